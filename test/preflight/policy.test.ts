import { FieldReads } from '../../lib/preflight/field-reads';
import { CompiledPolicy, isValidatingPolicy } from '../../lib/preflight/policy';
import type { ResourceIdentity } from '../../lib/preflight/resources';
import { PolicyResultStatus } from '../../lib/preflight/result';
import { PlatformError } from '../../lib/platform-file';

// CompiledPolicy on its own: what it reads from a ValidatingPolicy manifest, what it refuses,
// what it selects and what it concludes, each at the edge where a careless change would flip it.

const POD: ResourceIdentity = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  clusterScoped: false,
};
const NAMESPACE: ResourceIdentity = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  clusterScoped: true,
};

const podRule = { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] };

function manifest(spec: Record<string, any> = {}, metadata: Record<string, any> = {}): any {
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: 'p', ...metadata },
    spec: {
      validationActions: ['Deny'],
      matchConstraints: { resourceRules: [podRule] },
      validations: [{ expression: 'true', message: 'p failed' }],
      ...spec,
    },
  };
}

const compile = (spec: Record<string, any> = {}, metadata: Record<string, any> = {}) =>
  new CompiledPolicy(manifest(spec, metadata));

/** Evaluates the policy on `object` (as the preflight binds it). */
function verdictOn(policy: CompiledPolicy, object: unknown = {}) {
  return policy.evaluate({ object: new FieldReads().track(object) as any });
}

function refused(m: any, message: string): void {
  expect(() => new CompiledPolicy(m)).toThrow(PlatformError);
  expect(() => new CompiledPolicy(m)).toThrow(message);
}

describe('isValidatingPolicy', () => {
  test.each(['policies.kyverno.io/v1', 'policies.kyverno.io/v1beta1', 'policies.kyverno.io/v1alpha1'])(
    '%s is a ValidatingPolicy',
    (apiVersion) => {
      expect(isValidatingPolicy({ apiVersion, kind: 'ValidatingPolicy' })).toBe(true);
    },
  );

  test.each([
    ['another group', { apiVersion: 'kyverno.io/v1', kind: 'ValidatingPolicy' }],
    ['another kind', { apiVersion: 'policies.kyverno.io/v1', kind: 'GeneratingPolicy' }],
    ['nothing', undefined],
    ['null', null],
  ])('%s is not', (_what, m) => {
    expect(isValidatingPolicy(m as any)).toBe(false);
  });
});

describe('CompiledPolicy refuses what Kyverno would not run, naming the field', () => {
  test.each([
    ['no manifest', undefined, 'nothing'],
    ['no metadata', { spec: {} }, 'nothing'],
    ['an empty name', { metadata: { name: '' } }, '""'],
    ['a name that is no string', { metadata: { name: 7 } }, '7'],
  ])('%s', (_what, m, received) => {
    refused(m, `ValidatingPolicy: metadata.name must be a non-empty string, received ${received}`);
  });

  test.each([
    ['no spec', undefined, 'nothing'],
    ['a single action', 'Deny', '"Deny"'],
    ['no action', [], '[]'],
    ['one unknown action among known ones', ['Deny', 'Enforce'], '["Deny","Enforce"]'],
  ])('validationActions: %s', (_what, actions, received) => {
    const m = manifest({ validationActions: actions });
    if (actions === undefined) delete m.spec;
    refused(
      m,
      `ValidatingPolicy/p spec.validationActions: expected a non-empty list of Deny, Audit or Warn, received ${received}`,
    );
  });

  test('every known action is taken', () => {
    expect(compile({ validationActions: ['Audit', 'Warn', 'Deny'] }).actions).toEqual([
      'Audit',
      'Warn',
      'Deny',
    ]);
  });

  test.each([
    ['matchConditions', { matchConditions: 'x' }, 'spec.matchConditions: expected a list, received "x"'],
    ['variables', { variables: 'x' }, 'spec.variables: expected a list, received "x"'],
    [
      'excludeResourceRules',
      { matchConstraints: { resourceRules: [podRule], excludeResourceRules: 'x' } },
      'spec.matchConstraints.excludeResourceRules: expected a list, received "x"',
    ],
  ])('%s that is not a list', (_what, spec, message) => {
    refused(manifest(spec), `ValidatingPolicy/p ${message}`);
  });

  test.each([
    ['a match condition', { matchConditions: [null] }, 'spec.matchConditions[0].expression'],
    [
      'a match condition',
      { matchConditions: [{ name: 'c', expression: '((' }] },
      'spec.matchConditions[0].expression',
    ],
    ['a variable', { variables: [{ name: 'v', expression: '((' }] }, 'spec.variables[0].expression'],
    ['a validation', { validations: [null] }, 'spec.validations[0].expression'],
    [
      'a message expression',
      { validations: [{ expression: 'true', messageExpression: '((' }] },
      'spec.validations[0].messageExpression',
    ],
  ])('%s that does not compile', (_what, spec, where) => {
    refused(manifest(spec), `ValidatingPolicy/p ${where}`);
  });

  test.each([
    ['nothing', null],
    ['a boolean', true],
    ['no entry at all', undefined],
    ['a leading digit', '1a'],
    ['a dash', 'a-b'],
  ])('a variable named with %s', (_what, name) => {
    const variable = name === undefined ? null : { name, expression: '1' };
    refused(manifest({ variables: [variable] }), 'spec.variables[0].name: expected a CEL identifier');
  });

  test('null lists are empty, rules without fields select nothing, and an empty variable list is fine', () => {
    const p = compile({
      matchConditions: null,
      variables: [{ name: '_a1', expression: '1' }],
      validations: null,
      matchConstraints: { resourceRules: [null, { resources: ['pods'] }, podRule] },
    });
    expect(p.messages).toEqual([]);
    expect(p.matchesResource(POD, 'x')).toBe(true);
    expect(verdictOn(p)).toEqual({ rule: 'validation', result: PolicyResultStatus.PASS, message: '' });
  });
});

describe('CompiledPolicy: evaluation settings and annotations', () => {
  test('by default: judges objects at admission, errors block', () => {
    const p = compile();
    expect([p.judgesObjects, p.reportOnly, p.ignoreErrors]).toEqual([true, false, false]);
  });

  test('failurePolicy Ignore: errors never block', () => {
    expect(compile({ failurePolicy: 'Ignore' }).ignoreErrors).toBe(true);
    expect(compile({ failurePolicy: 'Fail' }).ignoreErrors).toBe(false);
  });

  test.each([
    ['admission off: reports only, still judges (background)', { admission: { enabled: false } }, true, true],
    ['background off only: still judges at admission', { background: { enabled: false } }, false, true],
    [
      'admission and background off: judges nothing',
      { admission: { enabled: false }, background: { enabled: false } },
      true,
      false,
    ],
    ['HTTP mode: judges no Kubernetes object', { mode: 'HTTP' }, false, false],
    ['Kubernetes mode said explicitly', { mode: 'Kubernetes' }, false, true],
  ])('%s', (_what, evaluation, reportOnly, judgesObjects) => {
    const p = compile({ evaluation });
    expect([p.reportOnly, p.judgesObjects]).toEqual([reportOnly, judgesObjects]);
  });

  test.each(['critical', 'high', 'medium', 'low', 'info'])(
    'severity %s is kept, in lower case',
    (severity) => {
      expect(
        compile({}, { annotations: { 'policies.kyverno.io/severity': severity.toUpperCase() } }).severity,
      ).toBe(severity);
    },
  );

  test('an unknown severity and absent annotations are left out', () => {
    const p = compile({}, { annotations: { 'policies.kyverno.io/severity': 'urgent' } });
    expect([p.severity, p.category, p.title, p.description]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('category, title and description are read from their annotations', () => {
    const p = compile(
      {},
      {
        annotations: {
          'policies.kyverno.io/category': 'Pod Security',
          'policies.kyverno.io/title': 'Run as non-root',
          'policies.kyverno.io/description': 'Containers run as non-root.',
        },
      },
    );
    expect([p.category, p.title, p.description]).toEqual([
      'Pod Security',
      'Run as non-root',
      'Containers run as non-root.',
    ]);
  });
});

describe('CompiledPolicy: which resources it selects (CREATE)', () => {
  const selects = (rules: any[], id: ResourceIdentity = POD, exclude?: any[], name = 'x') =>
    compile({
      matchConstraints: { resourceRules: rules, ...(exclude && { excludeResourceRules: exclude }) },
    }).matchesResource(id, name);

  test('any one of the rules selects', () => {
    expect(selects([{ ...podRule, resources: ['deployments'] }, podRule])).toBe(true);
    expect(selects([{ ...podRule, resources: ['deployments'] }])).toBe(false);
  });

  test('an exclude rule takes the resource back', () => {
    expect(selects([podRule], POD, [podRule])).toBe(false);
    expect(selects([podRule], POD, [{ ...podRule, resources: ['services'] }])).toBe(true);
  });

  test.each([
    [['*'], true],
    [['*/*'], true],
    [['pods/*'], false],
    [['pods/log', 'pods'], true],
    [['pods/log'], false],
  ])('resources %j: %s', (resources, expected) => {
    expect(selects([{ ...podRule, resources }])).toBe(expected);
  });

  test('only rules with CREATE (or *) select', () => {
    expect(selects([{ ...podRule, operations: ['UPDATE'] }])).toBe(false);
    expect(selects([{ ...podRule, operations: ['*'] }])).toBe(true);
  });

  test('resourceNames narrow the rule to those names; entries that are no string are ignored', () => {
    expect(selects([{ ...podRule, resourceNames: [5] }], POD, undefined, 'a')).toBe(true);
    expect(selects([{ ...podRule, resourceNames: ['a'] }], POD, undefined, 'a')).toBe(true);
    expect(selects([{ ...podRule, resourceNames: ['a'] }], POD, undefined, 'b')).toBe(false);
  });

  test.each([
    ['Cluster', POD, false],
    ['Cluster', NAMESPACE, true],
    ['Namespaced', POD, true],
    ['Namespaced', NAMESPACE, false],
    ['*', NAMESPACE, true],
  ])('scope %s for a %s', (scope, id, expected) => {
    expect(selects([{ ...podRule, resources: ['*'], scope }], id)).toBe(expected);
  });

  test('autogen: the listed controllers, as resources, or the defaults', () => {
    const listed = compile({ autogen: { podControllers: { controllers: ['Deployment', 'jobs'] } } });
    expect(listed.autogenApplies('deployments')).toBe(true);
    expect(listed.autogenApplies('jobs')).toBe(true);
    expect(listed.autogenApplies('statefulsets')).toBe(false);
    for (const p of [compile(), compile({ autogen: {} })]) {
      expect(p.autogenApplies('deployments')).toBe(true);
      expect(p.autogenApplies('cronjobs')).toBe(true);
    }
  });
});

describe('CompiledPolicy.evaluate', () => {
  test('a match condition that is false skips the object; true goes on', () => {
    expect(verdictOn(compile({ matchConditions: [{ name: 'c', expression: 'false' }] }))).toBeUndefined();
    expect(verdictOn(compile({ matchConditions: [{ name: 'c', expression: 'true' }] }))).toEqual({
      rule: 'validation',
      result: PolicyResultStatus.PASS,
      message: '',
    });
  });

  test('a match condition that fails or returns no bool is an error, named by its name or index', () => {
    expect(verdictOn(compile({ matchConditions: [{ expression: 'object.missing' }] }))).toEqual({
      rule: 'matchConditions',
      result: PolicyResultStatus.ERROR,
      message: expect.stringMatching(/^match condition '0': \S/),
    });
    expect(verdictOn(compile({ matchConditions: [{ name: 'c', expression: '1' }] }))).toEqual({
      rule: 'matchConditions',
      result: PolicyResultStatus.ERROR,
      message: "match condition 'c' did not return a bool",
    });
  });

  test('variables see the earlier ones; one that fails only fails what uses it', () => {
    const p = compile({
      variables: [
        { name: 'broken', expression: 'object.missing' },
        { name: 'a', expression: '1' },
        { name: 'b', expression: 'variables.a + 1' },
      ],
      validations: [{ expression: 'variables.b == 2', message: 'b' }],
    });
    expect(verdictOn(p)?.result).toBe(PolicyResultStatus.PASS);
    const uses = compile({
      variables: [{ name: 'broken', expression: 'object.missing' }],
      validations: [{ expression: 'variables.broken == 1', message: 'x' }],
    });
    expect(verdictOn(uses)?.result).toBe(PolicyResultStatus.ERROR);
  });

  test('failures win over errors, and each list is joined', () => {
    const p = compile({
      validations: [
        { expression: 'false', message: 'one' },
        { expression: 'object.missing', message: 'err' },
        { expression: 'false', message: 'two' },
      ],
    });
    expect(verdictOn(p)).toEqual({
      rule: 'validation',
      result: PolicyResultStatus.FAIL,
      message: 'one; two',
    });
  });

  test('errors name their expression; a value that is no bool is an error', () => {
    const p = compile({
      validations: [
        { expression: ' object.missing ', message: 'm' },
        { expression: ' 1 ', message: 'n' },
      ],
    });
    expect(verdictOn(p)).toEqual({
      rule: 'validation',
      result: PolicyResultStatus.ERROR,
      message: expect.stringMatching(
        /^\S.* \(expression: object\.missing\); the expression did not return a bool: 1$/,
      ),
    });
  });

  test.each([
    ['a messageExpression', "'size ' + string(1)", 'static', 'size 1'],
    ['a blank messageExpression: the static message', "'  '", ' static ', 'static'],
    ['a messageExpression over two lines: the static message', "'a\\nb'", 'static', 'static'],
    ['a messageExpression that is no string: the static message', '1', 'static', 'static'],
    ['a messageExpression that fails: the static message', 'object.missing', 'static', 'static'],
    ['no message at all: the expression', undefined, undefined, 'failed expression: false'],
  ])('the failure message: %s', (_what, messageExpression, message, expected) => {
    const p = compile({ validations: [{ expression: ' false ', message, messageExpression }] });
    expect(verdictOn(p)?.message).toBe(expected);
  });

  test('messages: each validation’s message, trimmed, or its expression', () => {
    const p = compile({
      validations: [
        { expression: 'true', message: '  be good \n' },
        { expression: ' 1 == 1 ' },
        { expression: 'true', message: 5 },
      ],
    });
    expect(p.messages).toEqual(['be good', 'failed expression: 1 == 1', 'failed expression: true']);
  });
});

describe('CompiledPolicy.fieldOfFailure', () => {
  function blamed(p: CompiledPolicy, object: unknown) {
    const reads = new FieldReads();
    return p.fieldOfFailure({}, reads.track(object), reads);
  }

  test('the field the first failing validation read last, with the variables bound', () => {
    const p = compile({
      variables: [{ name: 'limit', expression: '1' }],
      validations: [
        { expression: 'object.spec.a == 1', message: 'a' },
        { expression: 'object.spec.b <= variables.limit', message: 'b' },
      ],
    });
    expect(blamed(p, { spec: { a: 1, b: 2 } })).toEqual(['spec', 'b']);
  });

  test('nothing when every validation passes, or the failing one reads no field', () => {
    const p = compile({ validations: [{ expression: 'object.spec.a == 1', message: 'a' }] });
    expect(blamed(p, { spec: { a: 1 } })).toBeUndefined();
    expect(
      blamed(compile({ validations: [{ expression: 'false', message: 'x' }] }), { spec: {} }),
    ).toBeUndefined();
  });

  test('a validation that fails to evaluate is not the failing one', () => {
    const p = compile({
      validations: [
        { expression: 'object.spec.missing == 1', message: 'err' },
        { expression: 'object.spec.a == 2', message: 'a' },
      ],
    });
    expect(blamed(p, { spec: { a: 1 } })).toEqual(['spec', 'a']);
  });
});
