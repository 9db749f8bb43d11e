import { Testing } from 'cdk8s';
import type { PolicyExceptionProps } from '../../../lib/kubernetes/kyverno';
import { KyvernoPolicies, PolicyApi, PolicyException, PolicyRef } from '../../../lib/kubernetes/kyverno';
import { PlatformError } from '../../../lib/platform-file';
import { cel } from './evaluate';
import { compliantPod } from './pods';

type Json = Record<string, any>;

const props = (over: Partial<PolicyExceptionProps> = {}): PolicyExceptionProps => ({
  exceptionName: 'demo-api-rootfs',
  policies: [PolicyRef.validating('require-ro-rootfs')],
  workloadNamespace: 'dev-demo',
  workloads: ['demo-api'],
  reason: 'The vendor image writes its cache under /var/cache.',
  ...over,
});

function synth(p: PolicyExceptionProps): Json {
  const chart = Testing.chart();
  new PolicyException(chart, 'exception', p);
  return Testing.synth(chart)[0];
}

describe('PolicyException', () => {
  test('policies.kyverno.io/v1: in the exception namespace, naming the control and the workloads', () => {
    const e = synth(props({ expiresAt: '2026-12-31T00:00:00Z' }));
    expect(e.apiVersion).toBe('policies.kyverno.io/v1');
    expect(e.metadata).toEqual({
      name: 'demo-api-rootfs',
      namespace: 'kyverno-exceptions',
      annotations: { 'policies.kyverno.io/reason': 'The vendor image writes its cache under /var/cache.' },
    });
    expect(e.spec.policyRefs).toEqual([{ kind: 'ValidatingPolicy', name: 'require-ro-rootfs' }]);
    expect(e.spec.expiresAt).toBe('2026-12-31T00:00:00Z');
    expect(e).toMatchSnapshot();
  });

  test('frees the workload and its pods, in its namespace only', () => {
    const condition = synth(props()).spec.matchConditions[0].expression;
    const frees = (object: Json) => cel(condition, { object });
    const pod = compliantPod();
    const deployment = { kind: 'Deployment', metadata: { name: 'demo-api', namespace: 'dev-demo' } };
    expect(frees(pod)).toBe(true);
    expect(frees(deployment)).toBe(true);
    expect(frees({ ...pod, metadata: { ...pod.metadata, namespace: 'staging-demo' } })).toBe(false);
    expect(frees({ ...deployment, metadata: { name: 'other', namespace: 'dev-demo' } })).toBe(false);
    expect(
      frees({
        kind: 'Pod',
        metadata: { name: 'other-1', namespace: 'dev-demo', labels: { 'app.kubernetes.io/name': 'other' } },
      }),
    ).toBe(false);
    expect(frees({ kind: 'Pod', metadata: { name: 'bare', namespace: 'dev-demo' } })).toBe(false);
  });

  test('image verification is referred to by its own kind', () => {
    const e = synth(props({ policies: [PolicyRef.imageValidating('verify-image-signatures')] }));
    expect(e.spec.policyRefs).toEqual([{ kind: 'ImageValidatingPolicy', name: 'verify-image-signatures' }]);
  });

  test('legacy kyverno.io/v2: the rule and the rules Kyverno generates for pod controllers', () => {
    const e = synth(props({ api: PolicyApi.LEGACY }));
    expect(e.apiVersion).toBe('kyverno.io/v2');
    expect(e.spec.exceptions).toEqual([
      {
        policyName: 'require-ro-rootfs',
        ruleNames: ['require-ro-rootfs', 'autogen-require-ro-rootfs', 'autogen-cronjob-require-ro-rootfs'],
      },
    ]);
    expect(e.spec.match.any[0].resources).toMatchObject({ namespaces: ['dev-demo'], names: ['demo-api'] });
    // The workload's Service too, for restrict-service-external-ips.
    expect(e.spec.match.any[0].resources.kinds).toEqual(
      expect.arrayContaining(['Pod', 'Deployment', 'Service']),
    );
    expect(e.spec.match.any[1].resources.selector.matchExpressions).toEqual([
      { key: 'app.kubernetes.io/name', operator: 'In', values: ['demo-api'] },
    ]);
    expect(e).toMatchSnapshot();
  });

  describe('bad input is refused in the constructor', () => {
    const cases: Array<[string, Partial<PolicyExceptionProps>, RegExp]> = [
      ['name', { exceptionName: 'Demo API' }, /exceptionName: "Demo API" must be a DNS subdomain/],
      ['no policies', { policies: [] }, /exception demo-api-rootfs: policies: must list at least one entry/],
      [
        'a reason past the annotation budget',
        { reason: 'x'.repeat(5000) },
        /exception demo-api-rootfs: reason: is 5000 bytes, more than 4 KiB: it is written as an annotation/,
      ],
      ['namespace', { workloadNamespace: 'dev_demo' }, /workloadNamespace: "dev_demo" must be a DNS label/],
      ['no workloads', { workloads: [] }, /workloads: must list at least one entry/],
      ['workload name', { workloads: ['Demo'] }, /workloads\[0\]: "Demo" must be a DNS subdomain/],
      ['no reason', { reason: '  ' }, /reason: must not be empty/],
      ['expiry format', { expiresAt: '31/12/2026' }, /expiresAt: "31\/12\/2026" must be an RFC 3339 time/],
      [
        'expiry in legacy',
        { expiresAt: '2026-12-31T00:00:00Z', api: PolicyApi.LEGACY },
        /the kyverno.io\/v2 PolicyException has no expiry/,
      ],
    ];
    test.each(cases)('%s', (_what, over, message) => {
      expect(() => synth(props(over))).toThrow(PlatformError);
      expect(() => synth(props(over))).toThrow(message);
    });

    test('policy name', () => {
      expect(() => PolicyRef.validating('Require RO')).toThrow(
        /policy name: "Require RO" must be a DNS label/,
      );
    });
  });

  describe('KyvernoPolicies.addException', () => {
    test('resolves catalog names, uses the catalog exception namespace and API', () => {
      const chart = Testing.chart();
      const catalog = new KyvernoPolicies(chart, 'kyverno', {
        exceptionNamespace: 'policy-exceptions',
        api: PolicyApi.LEGACY,
      });
      const e = catalog.addException('e', {
        exceptionName: 'agent',
        policies: ['disallow-host-path'],
        workloadNamespace: 'dev-agent',
        workloads: ['agent'],
        reason: 'Reads node logs.',
      });
      expect(e.namespace).toBe('policy-exceptions');
      expect(e.api).toBe(PolicyApi.LEGACY);
    });

    test('refuses a policy the catalog does not emit', () => {
      const chart = Testing.chart();
      const catalog = new KyvernoPolicies(chart, 'kyverno', {
        overrides: [{ policyName: 'require-probes', enabled: false }],
      });
      const add = (policy: string) => () =>
        catalog.addException(policy, {
          exceptionName: 'x',
          policies: [policy],
          workloadNamespace: 'dev-demo',
          workloads: ['demo-api'],
          reason: 'r',
        });
      expect(add('require-probes')).toThrow(PlatformError);
      expect(add('require-probes')).toThrow(
        /policies\[0\]: "require-probes" is not a validation policy emitted by this catalog/,
      );
      expect(add('verify-image-signatures')).toThrow(
        /"verify-image-signatures" is not a validation policy emitted/,
      );
      expect(add('add-default-deny-network-policy')).toThrow(PlatformError);
    });
  });
});
