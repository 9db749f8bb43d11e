import {
  Preflight,
  PolicyResultStatus,
  PreflightViolationError,
  ValidationAction,
  type PolicyResult,
} from '../../lib/preflight';
import { PlatformError } from '../../lib/platform-file';
import { cronJob, deployment, namespace, pinnedImages, podSpec, policy, runAsNonRoot } from './fixtures';

function run(policies: any[], objects: any[], extra: { namespaces?: any[] } = {}): PolicyResult[] {
  return new Preflight({ policies, objects, ...extra }).evaluate().results;
}

describe('Preflight: matching and autogen', () => {
  test('GIVEN a Deny pod policy WHEN a Deployment template runs as root THEN the Deployment is a blocking failure', () => {
    const result = new Preflight({
      policies: [runAsNonRoot()],
      objects: [deployment('demo-api', 'dev-demo', podSpec({ nonRoot: false }))],
    }).evaluate();

    expect(result.results).toEqual([
      expect.objectContaining({
        policy: 'require-run-as-non-root',
        rule: 'validation',
        result: PolicyResultStatus.FAIL,
        message: 'Containers must set securityContext.runAsNonRoot to true.',
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'dev-demo', name: 'demo-api' },
        actions: [ValidationAction.DENY],
        blocking: true,
        severity: 'medium',
        category: 'Pod Security Standards (Restricted)',
      }),
    ]);
    expect(result.violations).toHaveLength(1);
    expect(() => result.assertNoViolations('nothing was written')).toThrow(PreflightViolationError);
    expect(() => result.assertNoViolations('nothing was written')).toThrow(
      '1 violation of Enforce (Deny) policies; nothing was written\n' +
        '  - require-run-as-non-root: Deployment/dev-demo/demo-api: Containers must set securityContext.runAsNonRoot to true.',
    );
  });

  test('a compliant workload passes, and a passing run has no violations', () => {
    const result = new Preflight({
      policies: [runAsNonRoot()],
      objects: [deployment('demo-api', 'dev-demo')],
    }).evaluate();
    expect(result.results.map((r) => [r.result, r.blocking])).toEqual([[PolicyResultStatus.PASS, false]]);
    expect(result.summary).toEqual({ pass: 1, fail: 0, warn: 0, error: 0, skip: 0 });
    expect(() => result.assertNoViolations('x')).not.toThrow();
  });

  test('a CronJob is judged through spec.jobTemplate.spec.template and reported as the CronJob', () => {
    const [r] = run([runAsNonRoot()], [cronJob('nightly', 'dev-demo', podSpec({ nonRoot: false }))]);
    expect(r.resource).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      namespace: 'dev-demo',
      name: 'nightly',
    });
    expect(r.result).toBe(PolicyResultStatus.FAIL);
  });

  test('the pod built by autogen carries the template labels and the controller namespace and name', () => {
    const seen = policy(
      'sees-pod',
      "object.kind == 'Pod' && object.metadata.name == 'web' && object.metadata.namespace == 'ns' && object.metadata.labels.tier == 'front' && request.kind.kind == 'Pod'",
    );
    const [r] = run([seen], [deployment('web', 'ns', podSpec(), { tier: 'front' })]);
    expect(r.result).toBe(PolicyResultStatus.PASS);
  });

  test('autogen.podControllers.controllers limits the controllers; [] turns autogen off', () => {
    const only = policy('only-jobs', 'false', {
      spec: { autogen: { podControllers: { controllers: ['cronjobs'] } } },
    });
    const off = policy('no-autogen', 'false', { spec: { autogen: { podControllers: { controllers: [] } } } });
    const results = run([only, off], [deployment('web', 'ns'), cronJob('cj', 'ns')]);
    expect(results.map((r) => `${r.policy} ${r.resource.kind}`)).toEqual(['only-jobs CronJob']);
  });

  test('a policy on deployments judges the Deployment itself, not its pod', () => {
    const p = policy('min-replicas', 'object.spec.replicas >= 3', {
      apiGroups: ['apps'],
      resources: ['deployments'],
    });
    const [r] = run([p], [deployment('web', 'ns')]);
    expect(r).toMatchObject({ result: PolicyResultStatus.FAIL, message: 'min-replicas failed' });
  });

  test('resource rules: group, version, operations, resourceNames, scope and excludeResourceRules', () => {
    const rule = (r: any): any => ({
      apiGroups: ['apps'],
      apiVersions: ['v1'],
      operations: ['CREATE'],
      resources: ['deployments'],
      ...r,
    });
    const mk = (name: string, resourceRules: any[], exclude: any[] = []): any =>
      policy(name, 'true', { spec: { matchConstraints: { resourceRules, excludeResourceRules: exclude } } });
    const results = run(
      [
        mk('any-group', [rule({ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] })]),
        mk('wrong-version', [rule({ apiVersions: ['v1beta1'] })]),
        mk('update-only', [rule({ operations: ['UPDATE'] })]),
        mk('by-name', [rule({ resourceNames: ['other'] })]),
        mk('cluster-only', [rule({ scope: 'Cluster' })]),
        mk('excluded', [rule({})], [rule({ resourceNames: ['web'] })]),
      ],
      [deployment('web', 'ns')],
    );
    expect(results.map((r) => r.policy)).toEqual(['any-group']);
  });

  test('objects of a kind the table does not know: regular plural, scope from metadata', () => {
    const p = policy('widgets', 'true', { apiGroups: ['example.com'], resources: ['widgets'] });
    const r = run([p], [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    expect(r.map((x) => x.resource)).toEqual([{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' }]);
  });
});

describe('Preflight: namespaces, conditions, variables, messages', () => {
  const labelled = policy('only-restricted-namespaces', 'false', {
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
        ],
        namespaceSelector: { matchLabels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      },
    },
  });

  test('namespaceSelector uses the labels of the emitted Namespace objects', () => {
    const results = run(
      [labelled],
      [
        namespace('dev-demo', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
        deployment('a', 'dev-demo'),
        deployment('b', 'elsewhere'),
      ],
    );
    expect(results.map((r) => r.resource.name)).toEqual(['a']);
  });

  test('namespaces given separately count; a namespace not emitted only has kubernetes.io/metadata.name', () => {
    const byName = policy('by-name', 'namespaceObject.metadata.name == request.namespace', {
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
          ],
          namespaceSelector: {
            matchExpressions: [
              { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ghost', 'team'] },
            ],
          },
        },
      },
    });
    const results = run([labelled, byName], [deployment('a', 'ghost'), deployment('b', 'team')], {
      namespaces: [namespace('team', { 'pod-security.kubernetes.io/enforce': 'restricted' })],
    });
    expect(results.map((r) => `${r.policy} ${r.resource.name} ${r.result}`)).toEqual([
      'by-name a pass',
      'by-name b pass',
      'only-restricted-namespaces b fail',
    ]);
  });

  test('a Namespace is selected on its own labels; other cluster-scoped objects always are', () => {
    const p = policy('ns-policy', 'true', {
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] },
          ],
          namespaceSelector: { matchLabels: { team: 'a' } },
        },
      },
    });
    const results = run([p], [namespace('x', { team: 'a' }), namespace('y', { team: 'b' })]);
    expect(results.map((r) => r.resource)).toEqual([{ apiVersion: 'v1', kind: 'Namespace', name: 'x' }]);
  });

  test('objectSelector, matchConditions and objects without a namespace (default namespace)', () => {
    const p = policy('conditions', 'false', {
      spec: {
        matchConditions: [{ name: 'not-system', expression: "!object.metadata.name.startsWith('system-')" }],
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['pods'] }],
          objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] },
        },
      },
    });
    const pod = (name: string, labels: Record<string, string> = {}): any => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: podSpec(),
    });
    const results = new Preflight({
      policies: [p],
      objects: [pod('app'), pod('system-x'), pod('skipped', { skip: 'y' })],
      defaultNamespace: 'apps',
    }).evaluate().results;
    expect(results.map((r) => r.resource)).toEqual([
      { apiVersion: 'v1', kind: 'Pod', namespace: 'apps', name: 'app' },
    ]);
  });

  test('variables (in order), messageExpression, and the fallback messages', () => {
    const p = policy('msgs', '', {
      spec: {
        variables: [
          { name: 'names', expression: 'object.spec.containers.map(c, c.name)' },
          { name: 'count', expression: 'size(variables.names)' },
        ],
      },
      validations: [
        {
          expression: 'variables.count > 5',
          messageExpression: "'only ' + string(variables.count) + ' container: ' + variables.names.join(',')",
        },
        { expression: 'false', message: 'static message', messageExpression: "''" },
        { expression: 'object.spec.containers.size() == 0' },
      ],
    });
    const [r] = run([p], [deployment('web', 'ns')]);
    expect(r.result).toBe(PolicyResultStatus.FAIL);
    expect(r.message).toBe(
      'only 1 container: app; static message; failed expression: object.spec.containers.size() == 0',
    );
  });

  test('an evaluation error is an error result, blocking under Deny unless failurePolicy is Ignore', () => {
    const broken = (name: string, spec: any = {}): any =>
      policy(name, 'object.spec.nothing.here == 1', { spec });
    const results = run(
      [broken('fails-closed'), broken('ignored', { failurePolicy: 'Ignore' })],
      [deployment('web', 'ns')],
    );
    expect(results.map((r) => [r.policy, r.result, r.blocking])).toEqual([
      ['fails-closed', 'error', true],
      ['ignored', 'error', false],
    ]);
    expect(results[0].message).toMatch(/nothing/);
  });

  test('Audit fails without blocking; Warn alone is a warn result; admission disabled only reports', () => {
    const results = run(
      [
        pinnedImages(['Audit']),
        policy('warn-only', 'false', { actions: ['Warn'] }),
        policy('background-only', 'false', { spec: { evaluation: { admission: { enabled: false } } } }),
        policy('http-mode', 'false', { spec: { evaluation: { mode: 'HTTP' } } }),
      ],
      [deployment('web', 'ns', podSpec({ image: 'nginx:latest' }))],
    );
    expect(results.map((r) => [r.policy, r.result, r.blocking])).toEqual([
      ['background-only', 'fail', false],
      ['disallow-latest-tag', 'fail', false],
      ['warn-only', 'warn', false],
    ]);
  });

  test('integers are CEL ints, so arithmetic on fields type-checks', () => {
    const [r] = run(
      [policy('ints', 'object.spec.containers[0].ports[0].containerPort + 1 == 8081')],
      [deployment('web', 'ns')],
    );
    expect(r.result).toBe(PolicyResultStatus.PASS);
  });
});

describe('Preflight: bad policies are PlatformErrors naming the field', () => {
  const cases: Array<[string, any, RegExp]> = [
    [
      'no name',
      { ...policy('x', 'true'), metadata: {} },
      /ValidatingPolicy: metadata\.name must be a non-empty string, received nothing/,
    ],
    [
      'bad action',
      policy('x', 'true', { actions: ['Enforce'] }),
      /ValidatingPolicy\/x spec\.validationActions: expected a non-empty list of Deny, Audit or Warn, received \["Enforce"\]/,
    ],
    [
      'no resource rules',
      policy('x', 'true', { spec: { matchConstraints: {} } }),
      /ValidatingPolicy\/x spec\.matchConstraints\.resourceRules: a policy must select at least one resource rule/,
    ],
    [
      'bad expression',
      policy('x', 'object.(('),
      /ValidatingPolicy\/x spec\.validations\[0\]\.expression: the CEL expression does not compile/,
    ],
    [
      'bad variable name',
      policy('x', 'true', { spec: { variables: [{ name: 'a-b', expression: '1' }] } }),
      /spec\.variables\[0\]\.name: expected a CEL identifier, received "a-b"/,
    ],
    [
      'bad selector operator',
      policy('x', 'true', {
        spec: {
          matchConstraints: {
            resourceRules: [{ resources: ['pods'] }],
            namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] },
          },
        },
      }),
      /namespaceSelector\.matchExpressions\[0\]\.operator: expected In, NotIn, Exists or DoesNotExist, received "Equals"/,
    ],
    [
      'In without values',
      policy('x', 'true', {
        spec: {
          matchConstraints: {
            resourceRules: [{ resources: ['pods'] }],
            objectSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
          },
        },
      }),
      /objectSelector\.matchExpressions\[0\]\.values: In needs at least one value/,
    ],
    [
      'validations not a list',
      policy('x', 'true', { validations: { expression: 'true' } as any }),
      /spec\.validations: expected a list/,
    ],
  ];
  test.each(cases)('%s', (_name, p, message) => {
    expect(() => new Preflight({ policies: [p], objects: [] })).toThrow(PlatformError);
    expect(() => new Preflight({ policies: [p], objects: [] })).toThrow(message);
  });

  test('two policies with one name, and props that are not lists', () => {
    expect(
      () => new Preflight({ policies: [policy('x', 'true'), policy('x', 'false')], objects: [] }),
    ).toThrow('ValidatingPolicy/x: the name is used by two policies');
    expect(() => new Preflight({ policies: {} as any, objects: [] })).toThrow(
      'Preflight policies: expected a list of manifests, received {}',
    );
  });

  test('manifests that are not ValidatingPolicies are not policies', () => {
    const preflight = new Preflight({
      policies: [deployment('x', 'y'), { ...policy('old', 'true'), apiVersion: 'kyverno.io/v1' }],
      objects: [],
    });
    expect(preflight.policies).toHaveLength(0);
  });
});
