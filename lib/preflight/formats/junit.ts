import { describeResource, formatWhere, type PolicyResult } from '../result';
import { STANDARD_INPUT } from '../origin';
import { verdictOf, type ReportInput } from './format';
import { formatSkipped } from './text';
import { xmlAttribute, xmlText } from './xml';

interface Suite {
  readonly name: string;
  readonly cases: string[];
  failures: number;
  errors: number;
  skipped: number;
  readonly notes: string[];
}

function testcase(name: string, classname: string, inner = ''): string {
  const open = `    <testcase name="${xmlAttribute(name)}" classname="${xmlAttribute(classname)}" time="0"`;
  return inner === '' ? `${open}/>` : `${open}>\n      ${inner}\n    </testcase>`;
}

function resultCase(r: PolicyResult, suite: Suite): string {
  const object = describeResource(r.resource);
  const where = formatWhere(r);
  const field = r.field ? ` (${r.field.path})` : '';
  const body = `${where}${field}\n${object}: ${r.message}`;
  switch (r.result) {
    case 'fail':
    case 'warn': {
      suite.failures++;
      const type = verdictOf(r) === 'DENY' ? 'Deny' : r.result === 'warn' ? 'Warn' : 'Audit';
      return testcase(
        r.policy,
        object,
        `<failure type="${type}" message="${xmlAttribute(r.message)}">${xmlText(body)}</failure>`,
      );
    }
    case 'error':
      suite.errors++;
      return testcase(
        r.policy,
        object,
        `<error type="${r.blocking ? 'Deny' : 'EvaluationError'}" message="${xmlAttribute(r.message)}">${xmlText(body)}</error>`,
      );
    case 'skip':
      suite.skipped++;
      return testcase(r.policy, object, `<skipped message="${xmlAttribute(r.message)}"/>`);
    default:
      return testcase(r.policy, object);
  }
}

/**
 * JUnit XML as Ant writes it (the schema Jenkins, Azure DevOps and GitLab read): one test suite
 * per file checked, one test case per object × policy (named after the policy, classed by the
 * object), a `failure` for each failed or warned validation (type Deny, Audit or Warn), an
 * `error` for an evaluation error, `skipped` for a PolicyException. An object no policy judged
 * is a skipped case named `not judged`; a source to render first is an `error` case, in a suite
 * of its own path. The schema requires a timestamp (the evaluation time, UTC) and a host name
 * (`localhost`: the result does not depend on the machine); times are 0, results are not timed.
 */
export function renderJunit(input: ReportInput): string {
  const suites = new Map<string, Suite>();
  const suiteOf = (file: string | undefined): Suite => {
    const name = file === undefined ? '(no file)' : file === STANDARD_INPUT ? '<stdin>' : file;
    let s = suites.get(name);
    if (!s) {
      s = { name, cases: [], failures: 0, errors: 0, skipped: 0, notes: [] };
      suites.set(name, s);
    }
    return s;
  };
  for (const r of input.results) {
    const suite = suiteOf(r.location?.file ?? r.source);
    suite.cases.push(resultCase(r, suite));
  }
  for (const n of input.notJudged) {
    const suite = suiteOf(n.location?.file ?? n.source);
    suite.skipped++;
    suite.cases.push(
      testcase('not judged', describeResource(n.resource), `<skipped message="${xmlAttribute(n.reason)}"/>`),
    );
  }
  for (const s of input.skipped) {
    const suite = suiteOf(s.file);
    if (s.renderWith === undefined) {
      suite.notes.push(formatSkipped(s));
      continue;
    }
    suite.errors++;
    suite.cases.push(
      testcase(
        'render first',
        s.file,
        `<error type="NotRendered" message="${xmlAttribute(s.reason)}">${xmlText(formatSkipped(s))}</error>`,
      ),
    );
  }
  const timestamp = new Date(input.evaluationTime).toISOString().slice(0, 19);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  let id = 0;
  for (const s of suites.values()) {
    const name = xmlAttribute(s.name);
    lines.push(
      `  <testsuite name="${name}" package="${name}" id="${id++}" timestamp="${timestamp}" hostname="localhost" ` +
        `tests="${s.cases.length}" failures="${s.failures}" errors="${s.errors}" skipped="${s.skipped}" time="0">`,
      `    <properties>`,
      `      <property name="file" value="${name}"/>`,
      `    </properties>`,
      ...s.cases,
      s.notes.length > 0
        ? `    <system-out>${xmlText(s.notes.map((n) => `SKIP  ${n}`).join('\n'))}</system-out>`
        : '    <system-out/>',
      '    <system-err/>',
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
