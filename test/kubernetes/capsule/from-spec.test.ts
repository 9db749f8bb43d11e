import { Testing } from 'cdk8s';
import { tenantsFromSpec } from '../../../lib/kubernetes/capsule';
import {
  loadPlatformFile,
  PlatformError,
  PlatformValidationError,
  validatePlatform,
} from '../../../lib/platform-file';
import { errorsOf, validPlatform } from '../../platform-file/fixtures';

const IDS = new Map([
  ['dev', 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58'],
  ['staging', 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02'],
  ['sre', '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0'],
]);
const ADMINS = '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13';

function synth(data: Record<string, any>, ids: ReadonlyMap<string, string> = IDS): any[] {
  const chart = Testing.chart();
  tenantsFromSpec(chart, validatePlatform(data), ids);
  return Testing.synth(chart);
}

const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

describe('tenantsFromSpec on the fixture platform', () => {
  // Built per test (beforeEach, not at collection): mutation testing then knows which tests run which code.
  let objects: any[];
  let dev: any;
  let staging: any;
  beforeEach(() => {
    objects = synth(validPlatform());
    [dev, staging] = byKind(objects, 'Tenant');
  });

  test('one Tenant per tenants[] entry, owners resolved to object ids', () => {
    expect(byKind(objects, 'Tenant').map((t) => t.metadata.name)).toEqual(['dev', 'staging']);
    expect(dev.spec.owners.map((o: any) => o.name)).toEqual([IDS.get('dev')]);
    expect(staging.spec.owners.map((o: any) => o.name)).toEqual([IDS.get('staging'), IDS.get('sre')]);
    for (const t of [dev, staging]) {
      for (const o of t.spec.owners) {
        expect(o).toMatchObject({ kind: 'Group', clusterRoles: ['admin', 'capsule-namespace-deleter'] });
      }
    }
  });

  test('namespace quota and budget from the file; defaults otherwise', () => {
    expect(dev.spec.namespaceOptions.quota).toBe(5);
    const budgets = Object.fromEntries(
      byKind(objects, 'GlobalResourceQuota').map((q) => [q.metadata.name, q.spec.quota.hard]),
    );
    expect(budgets['tenant-dev-budget']).toEqual({
      'limits.memory': '32Gi',
      pods: '100',
      'requests.cpu': '8',
      'requests.memory': '16Gi',
    });
    expect(staging.spec.namespaceOptions.quota).toBe(10);
    // No quota in the file: the default budget for 10 namespaces.
    expect(budgets['tenant-staging-budget']).toEqual({
      'limits.memory': '25Gi',
      persistentvolumeclaims: '50',
      pods: '100',
      'requests.cpu': '10',
      'requests.memory': '12800Mi',
      'requests.storage': '500Gi',
      services: '100',
    });
    for (const t of [dev, staging]) expect(t.spec.resourceQuotas).toBeUndefined();
    expect(staging.spec.serviceOptions.allowedServices).toEqual({
      nodePort: false,
      loadBalancer: false,
      externalName: false,
    });
    expect(dev.spec.forceTenantPrefix).toBe(true);
    expect(dev.spec.preventDeletion).toBe(true);
  });

  test('the workload namespace dev-demo is created for dev, labelled, once', () => {
    const namespaces = byKind(objects, 'Namespace');
    expect(namespaces.map((n) => [n.metadata.name, n.metadata.labels['capsule.clastix.io/tenant']])).toEqual([
      ['dev-demo', 'dev'],
    ]);
    expect(namespaces[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('guardrails: denying, Capsule and Kyverno namespaces exempt; admins too when their id is known', () => {
    const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy');
    const condition = policy.spec.matchConditions[0].expression;
    expect(condition).toContain("'system:serviceaccounts:capsule-system'");
    expect(condition).toContain("'system:serviceaccounts:kyverno'");
    expect(condition).not.toContain(ADMINS);
    const withAdmins = synth(validPlatform(), new Map([...IDS, ['admins', ADMINS]]));
    expect(
      withAdmins.find((o) => o.kind === 'ValidatingAdmissionPolicy').spec.matchConditions[0].expression,
    ).toContain(`'${ADMINS}'`);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('tenantsFromSpec: every tenant key', () => {
  test('limits, classes, service types, node pool, internet egress, ingress controller, baseline, Audit', () => {
    const data = validPlatform();
    data.ingress = { namespace: 'ingress-nginx', className: 'nginx' };
    data.kyverno.podSecurity = 'baseline';
    data.capsule.guardrails = { action: 'Audit', exemptServiceAccountNamespaces: ['flux-system'] };
    Object.assign(data.tenants[1], {
      limits: { defaultRequest: { cpu: '50m' }, default: { memory: '512Mi' } },
      ingressClasses: ['nginx'],
      storageClasses: ['managed-csi'],
      serviceTypes: { loadBalancer: true, nodePort: true },
      nodePool: 'apps',
      internetEgress: true,
      preventDeletion: false,
    });
    const objects = synth(data);
    const staging = byKind(objects, 'Tenant')[1];
    const [policy, ingress, limits] = byKind(objects, 'GlobalTenantResource')[1].spec.resources[0].rawItems;
    expect(limits.spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '50m' }, default: { memory: '512Mi' } },
    ]);
    expect(staging.spec.ingressOptions.allowedClasses).toEqual({ allowed: ['nginx'] });
    expect(staging.spec.storageClasses).toEqual({ allowed: ['managed-csi'] });
    expect(staging.spec.serviceOptions.allowedServices).toEqual({
      nodePort: true,
      loadBalancer: true,
      externalName: false,
    });
    expect(staging.spec.nodeSelector).toEqual({ 'kubernetes.azure.com/agentpool': 'apps' });
    expect(staging.spec.preventDeletion).toBe(false);
    expect(
      staging.spec.namespaceOptions.additionalMetadataList[0].labels['pod-security.kubernetes.io/enforce'],
    ).toBe('baseline');
    expect(ingress.spec.ingress[0].from).toContainEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
    });
    expect(policy.spec.egress).toContainEqual({
      to: [
        { ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']) } },
      ],
    });
    for (const b of byKind(objects, 'ValidatingAdmissionPolicyBinding')) {
      expect(b.spec.validationActions).toEqual(['Audit', 'Warn']);
    }
    expect(byKind(objects, 'ValidatingAdmissionPolicy')[0].spec.matchConditions[0].expression).toContain(
      "'system:serviceaccounts:flux-system'",
    );
  });

  test('externalName alone is allowed alone', () => {
    const data = validPlatform();
    data.tenants[0].serviceTypes = { externalName: true };
    expect(byKind(synth(data), 'Tenant')[0].spec.serviceOptions.allowedServices).toEqual({
      nodePort: false,
      loadBalancer: false,
      externalName: true,
    });
  });

  test('limits with only defaults, or only default requests', () => {
    const data = validPlatform();
    data.tenants[0].limits = { default: { cpu: '2', memory: '1Gi' } };
    data.tenants[1].limits = { defaultRequest: { cpu: '50m', memory: '64Mi' } };
    const replicated = byKind(synth(data), 'GlobalTenantResource').map((r) => JSON.stringify(r));
    expect(replicated).toHaveLength(2);
    expect(replicated[0]).toContain('"default":{"cpu":"2","memory":"1Gi"}');
    expect(replicated[1]).toContain('"defaultRequest":{"cpu":"50m","memory":"64Mi"}');
  });

  test('tenant registries become Capsule containerRegistries', () => {
    const data = validPlatform();
    data.tenants[0].registries = ['myregistry.azurecr.io', 'docker.io'];
    data.workloads[0].image = 'docker.io/nginxinc/nginx-unprivileged:1.27.3';
    const [dev, staging] = byKind(synth(data), 'Tenant');
    expect(dev.spec.containerRegistries).toEqual({ allowed: ['myregistry.azurecr.io', 'docker.io'] });
    expect(staging.spec.containerRegistries).toBeUndefined();
  });

  test.each([
    ['cluster.kubernetesVersion', { kubernetesVersion: '1.34' }, {}, 'v1.34'],
    ['kyverno.podSecurityVersion with the AKS default version', {}, { podSecurityVersion: '1.35' }, 'v1.35'],
    ['an explicit older minor', { kubernetesVersion: '1.36' }, { podSecurityVersion: '1.35' }, 'v1.35'],
    ['neither', {}, {}, 'latest'],
  ])('Pod Security labels and guardrails follow %s', (_what, cluster, kyverno, label) => {
    const data = validPlatform();
    Object.assign(data.cluster, cluster);
    Object.assign(data.kyverno, kyverno);
    const objects = synth(data);
    const tenantLabels = byKind(objects, 'Tenant').map(
      (t) => t.spec.namespaceOptions.additionalMetadataList[0].labels,
    );
    for (const labels of [...tenantLabels, byKind(objects, 'Namespace')[0].metadata.labels]) {
      for (const mode of ['enforce', 'audit', 'warn'])
        expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe(label);
    }
    const lock = objects.find((o) => o.metadata.name === 'tenant-pod-security-lock');
    expect(lock.spec.validations[2].expression).toContain(`['${label}']`);
  });

  test('no tenant: nothing at all', () => {
    const data = validPlatform();
    data.tenants = [];
    data.workloads = [];
    expect(synth(data)).toEqual([]);
  });

  test('an owner whose id was not resolved fails, naming it', () => {
    expect(() => synth(validPlatform(), new Map([['dev', IDS.get('dev')!]]))).toThrow(PlatformError);
    expect(() => synth(validPlatform(), new Map([['dev', IDS.get('dev')!]]))).toThrow(
      /tenants\[1\]\.owners\[0\]: no object id was resolved for group "staging"/,
    );
  });

  test('the reference platform file', () => {
    const chart = Testing.chart();
    tenantsFromSpec(chart, loadPlatformFile('apps/platform.yaml'), IDS);
    const objects = Testing.synth(chart);
    expect(byKind(objects, 'Tenant').map((t) => t.metadata.name)).toEqual(['dev', 'staging']);
    expect(byKind(objects, 'Namespace').map((n) => n.metadata.name)).toEqual(['dev-demo']);
    // Every tenant of the reference platform has a budget over its own namespaces.
    const budgets = byKind(objects, 'GlobalResourceQuota');
    expect(budgets.map((b) => [b.metadata.name, b.spec.namespaceSelectors])).toEqual(
      ['dev', 'staging'].map((t) => [
        `tenant-${t}-budget`,
        [{ matchLabels: { 'capsule.clastix.io/tenant': t } }],
      ]),
    );
    expect(budgets.map((b) => b.spec.quota.hard.pods)).toEqual(['100', '100']);
    expect(budgets[1].spec.quota.hard['requests.cpu']).toBe('10');
  });
});

describe('tenants[].quota: a budget by default, none only when asked', () => {
  const budgetNames = (data: Record<string, any>) =>
    byKind(synth(data), 'GlobalResourceQuota').map((b) => b.metadata.name);

  test('quota: none is the explicit opt-out: that tenant has no GlobalResourceQuota', () => {
    const data = validPlatform();
    data.tenants[1].quota = 'none';
    expect(validatePlatform(data).tenants[1].quota).toBe('none');
    expect(budgetNames(data)).toEqual(['tenant-dev-budget']);
  });

  test('the default budget follows the tenant: namespaceQuota and limits', () => {
    const data = validPlatform();
    Object.assign(data.tenants[1], {
      namespaceQuota: 2,
      limits: { defaultRequest: { cpu: '200m', memory: '256Mi' }, default: { cpu: '1', memory: '512Mi' } },
    });
    const staging = byKind(synth(data), 'GlobalResourceQuota')[1];
    expect(staging.spec.quota.hard).toEqual({
      'limits.cpu': '20',
      'limits.memory': '10Gi',
      persistentvolumeclaims: '10',
      pods: '20',
      'requests.cpu': '4',
      'requests.memory': '5Gi',
      'requests.storage': '100Gi',
      services: '20',
    });
  });

  test('a budget that would refuse the pods of a hardened workload is refused, naming the workload', () => {
    const data = validPlatform();
    data.tenants[0].quota = { 'limits.cpu': '8', 'requests.ephemeral-storage': '10Gi' };
    expect(errorsOf(data)).toEqual([
      'workloads[0].resources.limits.cpu: is not set, and the budget of tenant "dev" counts limits.cpu: its pods would be refused (set a CPU limit here, or the tenant\'s limits.default.cpu)',
      'workloads[0].resources: declare no ephemeral storage, and the budget of tenant "dev" counts requests.ephemeral-storage: its pods would be refused',
    ]);
    data.tenants[0].quota = { 'limits.cpu': '8' };
    data.tenants[0].limits = { default: { cpu: '1' } };
    expect(() => validatePlatform(data)).not.toThrow();
    delete data.tenants[0].limits;
    data.workloads[0].resources = { limits: { cpu: '500m' } };
    expect(() => validatePlatform(data)).not.toThrow();
  });

  test.each<[string, unknown, string]>([
    [
      'an empty budget',
      {},
      'tenants[1].quota: is empty: write the hard limits, leave quota out for the default budget, or write quota: none to have no budget',
    ],
    ['another word than none', 'off', 'tenants[1].quota: '],
    ['None in capitals', 'None', 'tenants[1].quota: '],
  ])('refused: %s', (_name, quota, message) => {
    const data = validPlatform();
    data.tenants[1].quota = quota;
    const errors = errorsOf(data);
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(message)).toBe(true);
  });
});

describe('checkTenants', () => {
  test('a Kubernetes version without ValidatingAdmissionPolicy v1', () => {
    const data = validPlatform();
    data.cluster.kubernetesVersion = '1.29';
    expect(errorsOf(data)).toContainEqual(
      'cluster.kubernetesVersion: "1.29" is older than 1.30: the tenant guardrails need ValidatingAdmissionPolicy v1',
    );
    data.cluster.kubernetesVersion = '1.31';
    expect(() => validatePlatform(data)).not.toThrow();
  });

  test('an exempt namespace that belongs to a tenant', () => {
    const data = validPlatform();
    data.capsule.guardrails = { exemptServiceAccountNamespaces: ['flux-system', 'dev-demo', 'staging-ci'] };
    expect(errorsOf(data)).toEqual([
      'capsule.guardrails.exemptServiceAccountNamespaces[1]: "dev-demo" is a tenant namespace: its owners could then rewrite their own isolation',
      'capsule.guardrails.exemptServiceAccountNamespaces[2]: "staging-ci" is a tenant namespace: its owners could then rewrite their own isolation',
    ]);
  });

  test('an unknown guardrail action or key', () => {
    const data = validPlatform();
    data.capsule.guardrails = { action: 'Warn', exempt: [] };
    const errors = errorsOf(data).join('\n');
    expect(errors).toMatch(/capsule\.guardrails\.action/);
    expect(errors).toMatch(/exempt/);
  });
});

// The schema refuses these values first; a spec edited after validation reaches the constructs,
// whose problems must still come back under the platform-file key the value came from.
describe('construct problems are reported under the platform-file key', () => {
  const issuesOf = (edit: (spec: any) => void, ids: ReadonlyMap<string, string> = IDS) => {
    const spec: any = validatePlatform(validPlatform());
    edit(spec);
    try {
      tenantsFromSpec(Testing.chart(), spec, ids);
    } catch (e) {
      expect(e).toBeInstanceOf(PlatformValidationError);
      return (e as PlatformValidationError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    throw new Error('expected the constructs to refuse the spec');
  };

  test('tenant limits: each container default under limits.defaultRequest / limits.default', () => {
    expect(
      issuesOf((s) => {
        s.tenants[0].limits = {
          defaultRequest: { cpu: 'a', memory: 'b' },
          default: { cpu: 'c', memory: 'd' },
        };
      }),
    ).toEqual([
      'tenants[0].limits.defaultRequest.cpu: "a" is not a Kubernetes quantity (Tenant test/dev, containerDefaults.cpuRequest)',
      'tenants[0].limits.defaultRequest.memory: "b" is not a Kubernetes quantity (Tenant test/dev, containerDefaults.memoryRequest)',
      'tenants[0].limits.default.cpu: "c" is not a Kubernetes quantity (Tenant test/dev, containerDefaults.cpuLimit)',
      'tenants[0].limits.default.memory: "d" is not a Kubernetes quantity (Tenant test/dev, containerDefaults.memoryLimit)',
    ]);
  });

  test('owners, registries and the ingress controller namespace', () => {
    expect(issuesOf(() => undefined, new Map([...IDS, ['staging', 'not-a-uuid']]))).toEqual([
      'tenants[1].owners[0]: "not-a-uuid" is not an Entra ID object id (a UUID such as 0fd5e5bb-39bb-468c-b343-dcdfb01e92d0) (Tenant test/staging, ownerGroupIds[0])',
    ]);
    expect(issuesOf((s) => (s.tenants[0].registries = ['myregistry.azurecr.io', 'bad registry']))).toEqual([
      'tenants[0].registries[1]: "bad registry" is not a registry host (e.g. myregistry.azurecr.io or localhost:5000; no scheme, no path) (Tenant test/dev, containerRegistries[1])',
    ]);
    expect(issuesOf((s) => (s.ingress = { namespace: 'Bad_NS', className: 'nginx' }))).toEqual([
      'ingress.namespace: "Bad_NS" is not a namespace name (Tenant test/dev, ingressControllerNamespace)',
      'ingress.namespace: "Bad_NS" is not a namespace name (Tenant test/staging, ingressControllerNamespace)',
    ]);
  });

  test('a quota entry under its resource in tenants[].quota', () => {
    expect(
      issuesOf((s) => {
        s.tenants[0].quota = { 'requests.cpu': '8', pods: 'many', 'bogus.thing': '1' };
      }),
    ).toEqual([
      'tenants[0].quota.pods: "many" is not a Kubernetes quantity (TenantQuota of, entries[1].hard)',
      'tenants[0].quota.bogus.thing: "bogus.thing" is not a ResourceQuota resource name (e.g. requests.cpu, limits.memory, pods) (TenantQuota of, entries[2].resource)',
    ]);
  });

  test('a tenant namespace under the workload that declares it', () => {
    expect(
      issuesOf((s) => {
        s.workloads[0].namespace = 'Bad_NS';
      }),
    ).toEqual([
      `workloads[0].namespace: "Bad_NS" is not a namespace name (a DNS label: lowercase letters, digits and '-', at most 63 characters) (Tenant test/dev, namespaces[0].name)`,
    ]);
  });

  test('the namespace of a later workload names that workload', () => {
    expect(
      issuesOf((s) => {
        s.workloads.push({ ...s.workloads[0], name: 'second', namespace: 'Bad_NS' });
      }),
    ).toEqual([
      `workloads[1].namespace: "Bad_NS" is not a namespace name (a DNS label: lowercase letters, digits and '-', at most 63 characters) (Tenant test/dev, namespaces[1].name)`,
    ]);
  });

  test('an exempt service account namespace under capsule.guardrails', () => {
    const issues = issuesOf((s) => {
      s.capsule.guardrails.exemptServiceAccountNamespaces = ['Bad_NS'];
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /^capsule\.guardrails\.exemptServiceAccountNamespaces\[0\]: "Bad_NS" .*\(TenantGuardrails test\/guardrails, exemptServiceAccountNamespaces\[0\]\)$/,
    );
  });

  test('guardrails: the Capsule and Kyverno namespaces and the admin groups', () => {
    expect(
      issuesOf((s) => {
        s.capsule.namespace = 'Bad_C';
        s.kyverno.namespace = 'Bad_K';
      }),
    ).toEqual([
      'capsule.namespace: "Bad_C" is not a namespace name (TenantGuardrails test/guardrails, capsuleNamespace)',
      'kyverno.namespace: "Bad_K" is not a namespace name (TenantGuardrails test/guardrails, kyvernoNamespace)',
    ]);
    expect(issuesOf((s) => (s.groups[s.admins[0]] = { objectId: 'not-a-uuid' }))).toEqual([
      'admins[0]: "not-a-uuid" is not an Entra ID object id (a UUID) (TenantGuardrails test/guardrails, exemptGroupIds[0])',
    ]);
  });
});
