import { parse } from '@bufbuild/cel';
import { Testing } from 'cdk8s';
import { KyvernoPolicies } from '../../../lib/kubernetes/kyverno';

type Json = Record<string, any>;

/** Standard CEL operators, functions and macros, and the strings extension. */
const PORTABLE = new Set([
  '_&&_',
  '_||_',
  '!_',
  '-_',
  '_==_',
  '_!=_',
  '_<_',
  '_<=_',
  '_>_',
  '_>=_',
  '_+_',
  '_-_',
  '_*_',
  '_/_',
  '_%_',
  '_?_:_',
  '_[_]',
  '@in',
  '@not_strictly_false',
  'size',
  'has',
  'all',
  'exists',
  'exists_one',
  'map',
  'filter',
  'matches',
  'startsWith',
  'endsWith',
  'contains',
  'string',
  'int',
  'double',
  'bool',
  'join',
  'split',
  'lowerAscii',
  'upperAscii',
  'indexOf',
  'lastIndexOf',
  'substring',
  'replace',
  'trim',
]);

function functionsOf(expression: string): string[] {
  const seen = new Set<string>();
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    const node = o as Json;
    if (node.case === 'callExpr') seen.add(node.value.function);
    for (const v of Object.values(node)) walk(v);
  };
  walk(parse(expression));
  return [...seen];
}

/** Every CEL expression of the ValidatingPolicies and PolicyExceptions the preflight may evaluate. */
function expressions(objects: Json[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const o of objects.filter((x) => x.kind === 'ValidatingPolicy' || x.kind === 'PolicyException')) {
    const s = o.spec;
    for (const c of s.matchConditions ?? []) out.push([o.metadata.name, c.expression]);
    for (const v of s.variables ?? []) out.push([o.metadata.name, v.expression]);
    for (const v of s.validations ?? []) {
      out.push([o.metadata.name, v.expression]);
      if (v.messageExpression) out.push([o.metadata.name, v.messageExpression]);
    }
  }
  return out;
}

test('the CEL uses standard functions and the strings extension only, never the optional syntax', () => {
  const chart = Testing.chart();
  const catalog = new KyvernoPolicies(chart, 'kyverno');
  catalog.addException('e', {
    exceptionName: 'e',
    policies: ['require-ro-rootfs'],
    workloadNamespace: 'dev-a',
    workloads: ['a'],
    reason: 'r',
  });
  const all = expressions(Testing.synth(chart));
  expect(all.length).toBeGreaterThan(50);
  for (const [policy, expression] of all) {
    expect(expression).not.toContain('.?');
    const foreign = functionsOf(expression).filter((f) => !PORTABLE.has(f));
    expect({ policy, expression, foreign }).toEqual({ policy, expression, foreign: [] });
  }
});
