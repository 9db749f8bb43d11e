import { Testing } from 'cdk8s';
import {
  DEFAULT_DENY_POLICY_NAME,
  IMAGE_SIGNATURE_POLICY_NAME,
  knownPolicyNames,
  kyvernoPoliciesFromSpec,
  IMAGE_REGISTRIES_POLICY_NAME,
  POD_POLICY_CATALOG,
  podSecurityRestricted,
  PolicyAction,
  PolicyApi,
  WORKLOAD_IDENTITY_POLICY_NAME,
} from '../../../lib/kubernetes/kyverno';
import { PodSecurityVersion } from '../../../lib/kubernetes/pod-security';
import { loadPlatformFile, validatePlatform } from '../../../lib/platform-file';
import {
  KYVERNO_POLICY_NAMES,
  POD_SECURITY_VERSIONS,
  RESTRICTED_ONLY_POLICY_NAMES,
} from '../../../lib/platform-file/schema/kyverno';
import { errorsOf, validPlatform } from '../../platform-file/fixtures';

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
    // It pins the Pod Security version of its cluster (the AKS default minor, 1.35).
    expect(catalog.podSecurityVersion).toBe(PodSecurityVersion.of(35));
    // 24 controls and the Service control, the registry restriction, the workload identity restriction
    expect(objects.filter((o) => o.kind === 'ValidatingPolicy')).toHaveLength(28);
    expect(catalog.allowedRegistries).toEqual(['awcapsule.azurecr.io', 'docker.io/nginxinc']);
    expect(catalog.workloadIdentities).toEqual([
      { namespace: 'dev-demo', clientIds: [] }, // no outputs given: nothing issued
    ]);
    expect(objects.find((o) => o.kind === 'Namespace')!.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
    });
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
    expect(catalog.podPolicies).toHaveLength(12 + 2 + 4 + 1 + 1);
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
    expect(KYVERNO_POLICY_NAMES.imageRegistries).toEqual([IMAGE_REGISTRIES_POLICY_NAME]);
    expect(KYVERNO_POLICY_NAMES.workloadIdentity).toEqual([WORKLOAD_IDENTITY_POLICY_NAME]);
    expect(KYVERNO_POLICY_NAMES.generating).toEqual([DEFAULT_DENY_POLICY_NAME]);
    expect(KYVERNO_POLICY_NAMES.imageValidating).toEqual([IMAGE_SIGNATURE_POLICY_NAME]);
    expect(RESTRICTED_ONLY_POLICY_NAMES).toEqual(podSecurityRestricted().map((d) => d.name));
    expect(knownPolicyNames()).toEqual([
      ...KYVERNO_POLICY_NAMES.validating,
      ...KYVERNO_POLICY_NAMES.imageRegistries,
      ...KYVERNO_POLICY_NAMES.workloadIdentity,
      ...KYVERNO_POLICY_NAMES.generating,
      ...KYVERNO_POLICY_NAMES.imageValidating,
    ]);
    expect(POD_SECURITY_VERSIONS).toEqual(PodSecurityVersion.SUPPORTED.map((v) => v.toString()));
  });

  test.each([
    ['cluster.kubernetesVersion', { kubernetesVersion: '1.33' }, {}, 33, 'v1.33'],
    [
      'the minor of a patch version',
      { kubernetesVersion: '1.34.2', upgrade: { channel: 'none' } },
      {},
      34,
      'v1.34',
    ],
    ['kyverno.podSecurityVersion (AKS default version)', {}, { podSecurityVersion: '1.36' }, 36, 'v1.36'],
    ['an explicit older minor', { kubernetesVersion: '1.36' }, { podSecurityVersion: '1.34' }, 34, 'v1.34'],
    ['an explicit latest', { kubernetesVersion: '1.36' }, { podSecurityVersion: 'latest' }, 37, 'latest'],
    ['neither: latest', {}, {}, 37, 'latest'],
  ])('the Pod Security version follows %s', (_what, cluster, kyverno, minor, label) => {
    const { catalog, objects } = fromSpec((p) => {
      Object.assign(p.cluster, cluster);
      Object.assign(p.kyverno, kyverno);
    });
    expect(catalog.podSecurityVersion.minor).toBe(minor);
    expect(catalog.podSecurityVersion.label).toBe(label);
    expect(catalog.podPolicy('disallow-probe-host') !== undefined).toBe(minor >= 34);
    const sysctls = objects.find((o) => o.metadata.name === 'restrict-sysctls')!.spec.validations[0]
      .expression;
    expect(sysctls.includes('net.ipv4.tcp_notsent_lowat')).toBe(minor >= 37);
  });

  test('allowed registries become restrict-image-registries', () => {
    const { objects } = fromSpec(
      (p) => (p.kyverno.allowedRegistries = ['myregistry.azurecr.io', 'docker.io']),
    );
    const policy = objects.find((o) => o.metadata.name === 'restrict-image-registries')!;
    expect(policy.spec.validations[0].message).toBe(
      'Images must come from myregistry.azurecr.io, docker.io.',
    );
    expect(fromSpec().objects.find((o) => o.metadata.name === 'restrict-image-registries')).toBeUndefined();
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
      'Pod Security version newer than the cluster',
      (p) => {
        p.cluster.kubernetesVersion = '1.34';
        p.kyverno.podSecurityVersion = '1.35';
      },
      /^kyverno\.podSecurityVersion: "1\.35" is newer than cluster\.kubernetesVersion "1\.34": the API server judges pods by its own version, so the policies and the Pod Security labels would not agree; use "1\.34" or older$/,
    ],
    [
      'a cluster older than the catalog, no Pod Security version',
      (p) => (p.cluster.kubernetesVersion = '1.30'),
      /^cluster\.kubernetesVersion: "1\.30" is older than 1\.31, the oldest Kubernetes minor whose Pod Security Standards the policies reproduce \(1\.31 to 1\.37\): upgrade the cluster, or set kyverno\.podSecurityVersion: latest/,
    ],
    [
      'a cluster newer than the catalog, no Pod Security version',
      (p) => (p.cluster.kubernetesVersion = '1.38'),
      /^cluster\.kubernetesVersion: "1\.38" is newer than 1\.37, the newest Kubernetes minor whose Pod Security Standards the policies reproduce: set kyverno\.podSecurityVersion: "1\.37"/,
    ],
    [
      'an unquoted Pod Security version (YAML reads 1.30 as 1.3)',
      (p) => (p.kyverno.podSecurityVersion = 1.3),
      /^kyverno\.podSecurityVersion: must be one of "1\.31", "1\.32", .*"1\.37", "latest", got 1\.3$/,
    ],
    [
      'an unsupported Pod Security version',
      (p) => (p.kyverno.podSecurityVersion = '1.29'),
      /^kyverno\.podSecurityVersion: must be one of .*got "1\.29"$/,
    ],
    [
      'exception for disallow-probe-host before 1.34',
      (p) => {
        p.cluster.kubernetesVersion = '1.33';
        p.kyverno.exceptions = [{ ...exception, policies: ['disallow-probe-host'] }];
      },
      /^kyverno\.exceptions\[0\]\.policies\[0\]: "disallow-probe-host" is not emitted \(.*version/,
    ],
    [
      'exception for the registry restriction when no registry is listed',
      (p) => (p.kyverno.exceptions = [{ ...exception, policies: ['restrict-image-registries'] }]),
      /^kyverno\.exceptions\[0\]\.policies\[0\]: "restrict-image-registries" is not emitted \(.*not configured/,
    ],
    [
      'a registry with a scheme',
      (p) => (p.kyverno.allowedRegistries = ['https://myregistry.azurecr.io']),
      /^kyverno\.allowedRegistries\[0\]: "https:\/\/myregistry\.azurecr\.io" must be a registry host with an optional path/,
    ],
    [
      'a registry listed twice',
      (p) => (p.kyverno.allowedRegistries = ['ghcr.io', 'ghcr.io']),
      /^kyverno\.allowedRegistries: lists the same entry twice$/,
    ],
    [
      'a tenant registry with a path',
      (p) => (p.tenants[0].registries = ['ghcr.io/contoso']),
      /^tenants\[0\]\.registries\[0\]: "ghcr\.io\/contoso" must be a registry host such as myregistry\.azurecr\.io/,
    ],
    [
      'a tenant registry the platform list does not allow',
      (p) => {
        p.kyverno.allowedRegistries = ['myregistry.azurecr.io', 'ghcr.io/contoso'];
        p.tenants[0].registries = ['myregistry.azurecr.io', 'quay.io'];
      },
      /^tenants\[0\]\.registries\[1\]: "quay\.io" is not a registry of kyverno\.allowedRegistries \(myregistry\.azurecr\.io, ghcr\.io\/contoso\): restrict-image-registries would refuse its images$/,
    ],
    [
      'a workload image Capsule would read as another registry',
      (p) => (p.tenants[0].registries = ['docker.io']),
      /^workloads\[0\]\.image: "nginxinc\/nginx-unprivileged:1\.27\.3" is read by Capsule as coming from "nginxinc", not from one of the registries of tenant dev \(docker\.io\): write the registry first, e\.g\. docker\.io\/nginxinc\/nginx-unprivileged:1\.27\.3$/,
    ],
    [
      'a workload image without a registry for a tenant with registries',
      (p) => {
        p.tenants[0].registries = ['docker.io'];
        p.workloads[0].image = 'nginx:1.27.3';
      },
      /^workloads\[0\]\.image: "nginx:1\.27\.3" names no registry, not from one of the registries of tenant dev/,
    ],
    [
      'exception without workloads',
      (p) => (p.kyverno.exceptions = [{ ...exception, workloads: [] }]),
      /^kyverno\.exceptions\[0\]\.workloads: .*at least one workload/,
    ],
  ];
  test.each(cases)('%s', (_what, mutate, message) => {
    const errors = errorsOfMutated(mutate);
    expect({ errors, matched: errors.some((e) => message.test(e)) }).toEqual({ errors, matched: true });
  });

  test('a supported cluster version, a pinned older version, or a tenant registry in the platform list are fine', () => {
    for (const mutate of [
      (p: Json) => (p.cluster.kubernetesVersion = '1.31'),
      (p: Json) => (p.cluster.kubernetesVersion = '1.37'),
      (p: Json) => {
        p.cluster.kubernetesVersion = '1.38';
        p.kyverno.podSecurityVersion = '1.37';
      },
      (p: Json) => {
        p.kyverno.allowedRegistries = ['myregistry.azurecr.io/team', 'docker.io'];
        p.tenants[0].registries = ['myregistry.azurecr.io', 'docker.io'];
        p.workloads[0].image = 'docker.io/nginxinc/nginx-unprivileged:1.27.3';
      },
    ]) {
      const raw = validPlatform();
      mutate(raw);
      expect(() => validatePlatform(raw)).not.toThrow();
    }
  });
});
