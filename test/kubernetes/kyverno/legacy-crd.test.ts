import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCelError, run } from '@bufbuild/cel';
import Ajv from 'ajv';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import type { KyvernoPoliciesProps } from '../../../lib/kubernetes/kyverno';
import { KyvernoPolicies, PolicyAction, PolicyApi } from '../../../lib/kubernetes/kyverno';

type Json = Record<string, any>;

/** The ClusterPolicy CRD of Kyverno 1.19, vendored with its source. */
const CRD = parse(
  fs.readFileSync(path.join(__dirname, '../../../vendor/kyverno/kyverno.io_clusterpolicies.yaml'), 'utf8'),
);
const SCHEMA = CRD.spec.versions.find((v: Json) => v.name === 'v1').schema.openAPIV3Schema;

/** The `x-kubernetes-validations` rules of a schema, with the path of the node that carries them. */
function celRules(schema: Json, at = ''): Array<{ at: string; rule: string; message?: string }> {
  if (!schema || typeof schema !== 'object') return [];
  const own = (schema['x-kubernetes-validations'] ?? []).map((r: Json) => ({
    at,
    rule: r.rule,
    message: r.message,
  }));
  const children = [
    ...Object.entries<Json>(schema.properties ?? {}).map(([k, s]) => celRules(s, `${at}.${k}`)),
    ...(schema.items ? [celRules(schema.items, `${at}[]`)] : []),
    ...(typeof schema.additionalProperties === 'object'
      ? [celRules(schema.additionalProperties, `${at}.*`)]
      : []),
  ];
  return [...own, ...children.flat()];
}

const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true });
for (const kw of [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-int-or-string',
  'x-kubernetes-validations',
])
  ajv.addKeyword(kw);
for (const f of ['int32', 'int64', 'byte', 'date-time', 'duration']) ajv.addFormat(f, true);
const validate = ajv.compile(SCHEMA);

/** The values at `at` (a path as celRules writes it) in `value`. */
function nodesAt(value: unknown, at: string): unknown[] {
  let nodes: unknown[] = [value];
  for (const step of at.match(/\.[^.[\]]+|\[\]/g) ?? []) {
    nodes = nodes.flatMap((n: any) => {
      if (n === undefined || n === null) return [];
      if (step === '[]') return Array.isArray(n) ? n : [];
      if (step === '.*') return typeof n === 'object' ? Object.values(n) : [];
      return [n[step.slice(1)]];
    });
  }
  return nodes.filter((n) => n !== undefined);
}

/**
 * What the API server and Kyverno 1.19 say of a ClusterPolicy: the CRD schema (its defaults
 * applied, as the API server does before anything else sees the object), the CRD's CEL rules that
 * do not need the old object, and Kyverno's own check of verifyImages rules
 * (pkg/validation/policy: an Audit rule must not mutate digests).
 */
function refusals(policy: Json): string[] {
  const object = structuredClone(policy);
  const errors = validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  for (const r of celRules(SCHEMA).filter((x) => !x.rule.includes('oldSelf'))) {
    for (const self of nodesAt(object, r.at)) {
      const ok = run(r.rule, { self: self as never });
      if (isCelError(ok) || ok !== true) errors.push(`${r.at}: ${r.message ?? r.rule}`);
    }
  }
  for (const rule of object.spec.rules ?? []) {
    for (const [i, iv] of (rule.verifyImages ?? []).entries()) {
      const audit = (iv.failureAction ?? object.spec.validationFailureAction ?? 'Audit') === 'Audit';
      if (audit && iv.mutateDigest)
        errors.push(`verifyImages[${i}].mutateDigest must be set to false for 'Audit' failure action`);
      if ((iv.imageReferences ?? []).length === 0)
        errors.push(`verifyImages[${i}]: an image reference is required`);
      for (const set of iv.attestors ?? [])
        if ((set.entries ?? []).length === 0)
          errors.push(`verifyImages[${i}].attestors: an entry is required`);
    }
  }
  return errors;
}

const IMAGES = {
  images: ['myacr.azurecr.io/*'],
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/contoso/api/.github/workflows/release.yml@refs/heads/main',
};

function legacy(props: KyvernoPoliciesProps): Json[] {
  const chart = Testing.chart();
  new KyvernoPolicies(chart, 'kyverno', { api: PolicyApi.LEGACY, imageVerification: IMAGES, ...props });
  return Testing.synth(chart).filter((o) => o.kind === 'ClusterPolicy');
}

describe('the legacy kyverno.io/v1 dialect against the Kyverno 1.19 ClusterPolicy CRD', () => {
  test.each([PolicyAction.AUDIT, PolicyAction.ENFORCE])('every ClusterPolicy is accepted (%s)', (action) => {
    const policies = legacy({ action, allowedRegistries: ['myacr.azurecr.io'] });
    expect(policies.length).toBe(26 + 1 + 2);
    for (const p of policies)
      expect({ policy: p.metadata.name, refusals: refusals(p) }).toEqual({
        policy: p.metadata.name,
        refusals: [],
      });
  });

  test('Audit image verification turns digest mutation off, which Kyverno requires', () => {
    const [verify] = legacy({ action: PolicyAction.AUDIT }).filter(
      (p) => p.metadata.name === 'verify-image-signatures',
    );
    expect(verify.spec.rules[0].verifyImages[0]).toMatchObject({
      failureAction: 'Audit',
      mutateDigest: false,
    });
    expect(refusals(verify)).toEqual([]);
    // Without it the CRD default (mutateDigest: true) applies, and Kyverno refuses the policy.
    const withoutIt = structuredClone(verify);
    delete withoutIt.spec.rules[0].verifyImages[0].mutateDigest;
    expect(refusals(withoutIt)).toEqual([
      "verifyImages[0].mutateDigest must be set to false for 'Audit' failure action",
    ]);
  });

  test('Enforce image verification keeps the default: tags are pinned to the verified digest', () => {
    const [verify] = legacy({ action: PolicyAction.ENFORCE }).filter(
      (p) => p.metadata.name === 'verify-image-signatures',
    );
    expect(verify.spec.rules[0].verifyImages[0].failureAction).toBe('Enforce');
    expect(verify.spec.rules[0].verifyImages[0]).not.toHaveProperty('mutateDigest');
  });

  test('the schema check can fail: an action outside the enum is refused', () => {
    const [p] = legacy({});
    const bad = structuredClone(p);
    bad.spec.rules[0].validate.failureAction = 'Deny';
    expect(refusals(bad).join('\n')).toMatch(/failureAction must be equal to one of the allowed values/);
  });

  test('the 1.19 ClusterPolicy CRD carries no CEL rule: the Audit refusal comes from Kyverno itself', () => {
    expect(celRules(SCHEMA)).toEqual([]);
    expect(nodesAt({ a: [{ b: 1 }, { b: 2 }] }, '.a[].b')).toEqual([1, 2]);
  });
});
