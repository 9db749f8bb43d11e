import { Testing } from 'cdk8s';
import {
  DEFAULT_DENY_POLICY_NAME,
  IMAGE_SIGNATURE_POLICY_NAME,
  knownPolicyNames,
  kyvernoPoliciesFromSpec,
  POD_POLICY_CATALOG,
  POD_SECURITY_RESTRICTED,
  PolicyAction,
  PolicyApi,
} from '../../../lib/kubernetes/kyverno';
import { loadPlatformFile, validatePlatform } from '../../../lib/spec';
import { KYVERNO_POLICY_NAMES, RESTRICTED_ONLY_POLICY_NAMES } from '../../../lib/spec/schema/kyverno';
import { errorsOf, validPlatform } from '../../spec/fixtures';

type Json = Record<string, any>;

function fromSpec(mutate: (p: Json) => void = () => undefined) {
  const raw = validPlatform();
  mutate(raw);
  const chart = Testing.chart();
  const catalog = kyvernoPoliciesFromSpec(chart, validatePlatform(raw));
  return { catalog, objects: Testing.synth(chart) as Json[] };
}

function errorsOfMutated(mutate: (p: Json) => void): string[] {
  const raw = validPlatform();
  mutate(raw);
  return errorsOf(raw);
}

describe('kyvernoPoliciesFromSpec', () => {
  test('the reference platform: restricted catalog, Enforce, system namespaces but default excluded', () => {
    const chart = Testing.chart();
    const catalog = kyvernoPoliciesFromSpec(chart, loadPlatformFile('apps/platform.yaml'));
    const objects = Testing.synth(chart) as Json[];
    expect(catalog.action).toBe(PolicyAction.ENFORCE);
    expect(catalog.api).toBe(PolicyApi.CEL);
    expect(objects.filter((o) => o.kind === 'ValidatingPolicy')).toHaveLength(25);
    expect(catalog.excludedNamespaces).toEqual([
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'cert-manager',
      'kyverno',
      'kyverno-exceptions',
      'capsule-system',
      // the reference platform enforces network policies with Calico
      'calico-system',
      'tigera-operator',
    ]);
    expect(objects.find((o) => o.kind === 'Namespace')!.metadata.name).toBe('kyverno-exceptions');
  });

  test('platform file keys map onto the construct: profile, action, overrides, API, image verification, exceptions', () => {
    const { catalog, objects } = fromSpec((p) => {
      p.kyverno.podSecurity = 'baseline';
      p.kyverno.action = 'Audit';
      p.kyverno.policyApi = 'kyverno.io/v1';
      p.kyverno.namespace = 'policy-engine';
      p.kyverno.policies = {
        'disallow-host-path': { action: 'Enforce' },
        'require-probes': { enabled: false },
      };
      p.kyverno.imageVerification = {
        images: ['myacr.azurecr.io/*'],
        issuer: 'https://token.actions.githubusercontent.com',
        subject: 'ci',
      };
      p.kyverno.exceptions = [
        {
          name: 'demo-api-paths',
          policies: ['disallow-host-path'],
          namespace: 'dev-demo',
          workloads: ['demo-api'],
          reason: 'Reads node logs.',
        },
      ];
    });
    expect(catalog.podPolicies).toHaveLength(12 + 2 + 4);
    expect(catalog.excludedNamespaces).toContain('policy-engine');
    const rule = (name: string) => objects.find((o) => o.metadata.name === name)!.spec.rules[0];
    expect(rule('disallow-host-path').validate.failureAction).toBe('Enforce');
    expect(rule('disallow-host-ports').validate.failureAction).toBe('Audit');
    expect(rule('verify-image-signatures').verifyImages[0].failureAction).toBe('Audit');
    const exception = objects.find((o) => o.kind === 'PolicyException')!;
    expect(exception.apiVersion).toBe('kyverno.io/v2');
    expect(exception.metadata.namespace).toBe('kyverno-exceptions');
    expect(exception.spec.exceptions[0].policyName).toBe('disallow-host-path');
  });
});

describe('platform file: kyverno section', () => {
  test('the policy names of the spec and the catalog agree', () => {
    expect(KYVERNO_POLICY_NAMES.validating).toEqual(POD_POLICY_CATALOG.map((d) => d.name));
    expect(KYVERNO_POLICY_NAMES.generating).toEqual([DEFAULT_DENY_POLICY_NAME]);
    expect(KYVERNO_POLICY_NAMES.imageValidating).toEqual([IMAGE_SIGNATURE_POLICY_NAME]);
    expect(RESTRICTED_ONLY_POLICY_NAMES).toEqual(POD_SECURITY_RESTRICTED.map((d) => d.name));
    expect(knownPolicyNames()).toEqual([
      ...KYVERNO_POLICY_NAMES.validating,
      ...KYVERNO_POLICY_NAMES.generating,
      ...KYVERNO_POLICY_NAMES.imageValidating,
    ]);
  });

  test('defaults: CEL API, no exceptions', () => {
    const spec = validatePlatform(validPlatform());
    expect(spec.kyverno.policyApi).toBe('policies.kyverno.io/v1');
    expect(spec.kyverno.exceptions).toEqual([]);
  });

  const image = {
    images: ['myacr.azurecr.io/*'],
    issuer: 'https://token.actions.githubusercontent.com',
    subject: 'ci',
  };
  const exception = {
    name: 'e',
    policies: ['require-ro-rootfs'],
    namespace: 'dev-demo',
    workloads: ['demo-api'],
    reason: 'r',
  };
  const cases: Array<[string, (p: Json) => void, RegExp]> = [
    [
      'unknown policy, with a suggestion',
      (p) => (p.kyverno.policies = { 'disallow-latest-tags': { action: 'Audit' } }),
      /^kyverno\.policies\.disallow-latest-tags: "disallow-latest-tags" is not a policy of the catalog \(did you mean "disallow-latest-tag"\?\)/,
    ],
    [
      'action on the generator',
      (p) => (p.kyverno.policies = { 'add-default-deny-network-policy': { action: 'Audit' } }),
      /^kyverno\.policies\.add-default-deny-network-policy\.action: "Audit" cannot apply/,
    ],
    [
      'image action set twice',
      (p) => {
        p.kyverno.imageVerification = { ...image, action: 'Audit' };
        p.kyverno.policies = { 'verify-image-signatures': { action: 'Enforce' } };
      },
      /^kyverno\.policies\.verify-image-signatures\.action: is also set by kyverno\.imageVerification\.action/,
    ],
    ['bad policy API', (p) => (p.kyverno.policyApi = 'kyverno.io/v2beta1'), /^kyverno\.policyApi: /],
    [
      'exception for an unknown policy',
      (p) => (p.kyverno.exceptions = [{ ...exception, policies: ['require-ro-rootf'] }]),
      /^kyverno\.exceptions\[0\]\.policies\[0\]: "require-ro-rootf" is not a policy of the catalog \(did you mean "require-ro-rootfs"\?\)/,
    ],
    [
      'exception for a restricted control on baseline',
      (p) => {
        p.kyverno.podSecurity = 'baseline';
        p.kyverno.exceptions = [{ ...exception, policies: ['restrict-volume-types'] }];
      },
      /^kyverno\.exceptions\[0\]\.policies\[0\]: "restrict-volume-types" is not emitted/,
    ],
    [
      'exception for a disabled policy',
      (p) => {
        p.kyverno.policies = { 'require-ro-rootfs': { enabled: false } };
        p.kyverno.exceptions = [exception];
      },
      /^kyverno\.exceptions\[0\]\.policies\[0\]: "require-ro-rootfs" is not emitted/,
    ],
    [
      'exception for image verification that is off',
      (p) => (p.kyverno.exceptions = [{ ...exception, policies: ['verify-image-signatures'] }]),
      /"verify-image-signatures" is not emitted/,
    ],
    [
      'exception name twice',
      (p) => (p.kyverno.exceptions = [exception, exception]),
      /^kyverno\.exceptions\[1\]\.name: "e" is used by another exception/,
    ],
    [
      'exception expiry in legacy',
      (p) => {
        p.kyverno.policyApi = 'kyverno.io/v1';
        p.kyverno.exceptions = [{ ...exception, expiresAt: '2026-12-31T00:00:00Z' }];
      },
      /^kyverno\.exceptions\[0\]\.expiresAt: needs kyverno\.policyApi policies\.kyverno\.io\/v1/,
    ],
    [
      'exception expiry format',
      (p) => (p.kyverno.exceptions = [{ ...exception, expiresAt: 'tomorrow' }]),
      /^kyverno\.exceptions\[0\]\.expiresAt: .*RFC 3339/,
    ],
    [
      'exception without reason',
      (p) => (p.kyverno.exceptions = [{ ...exception, reason: ' ' }]),
      /^kyverno\.exceptions\[0\]\.reason: .*must explain why/,
    ],
    [
      'exception without workloads',
      (p) => (p.kyverno.exceptions = [{ ...exception, workloads: [] }]),
      /^kyverno\.exceptions\[0\]\.workloads: .*at least one workload/,
    ],
  ];
  test.each(cases)('%s', (_what, mutate, message) => {
    const errors = errorsOfMutated(mutate);
    expect(errors.some((e) => message.test(e))).toBe(true);
  });
});
