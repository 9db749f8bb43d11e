import { Testing } from 'cdk8s';
import {
  ServiceType,
  Tenant,
  TenantProps,
  TenantQuota,
  TENANT_INGRESS_POLICY_NAME,
  TENANT_NETWORK_POLICY_NAME,
} from '../../../lib/kubernetes/capsule';
import { WORKLOAD_INGRESS_LABEL } from '../../../lib/kubernetes/labels';
import { PodSecurityLevel, PodSecurityVersion } from '../../../lib/kubernetes/pod-security';
import { PlatformError } from '../../../lib/platform-file';
import { capsuleCrd, coreObjectErrors } from './upstream-schemas';

const DEV = 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58';
const SRE = '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0';
const READERS = 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02';

function synth(props: Partial<TenantProps> = {}): any[] {
  const chart = Testing.chart();
  new Tenant(chart, 'dev', { name: 'dev', ownerGroupIds: [DEV], ...props });
  return Testing.synth(chart);
}

const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);
const tenantOf = (objects: any[]) => byKind(objects, 'Tenant')[0];
const budgetOf = (objects: any[]) => byKind(objects, 'GlobalResourceQuota')[0];
const rawItems = (objects: any[]) => byKind(objects, 'GlobalTenantResource')[0].spec.resources[0].rawItems;

const PSA_RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'latest',
};

describe('Tenant: defaults', () => {
  // Built per test (beforeEach, not at collection): mutation testing then knows which tests run which code.
  let objects: any[];
  let tenant: any;
  beforeEach(() => {
    objects = synth();
    tenant = tenantOf(objects);
  });

  test('a capsule.clastix.io/v1beta2 Tenant owned by the Entra group, with the default cluster roles', () => {
    expect(tenant.apiVersion).toBe('capsule.clastix.io/v1beta2');
    expect(tenant.metadata).toEqual({ name: 'dev', labels: { 'capsule.clastix.io/tenant': 'dev' } });
    expect(tenant.spec.owners).toEqual([
      { kind: 'Group', name: DEV, clusterRoles: ['admin', 'capsule-namespace-deleter'] },
    ]);
  });

  test('10 namespaces, the prefix rule, deletion protection', () => {
    expect(tenant.spec.namespaceOptions.quota).toBe(10);
    expect(tenant.spec.forceTenantPrefix).toBe(true);
    expect(tenant.spec.preventDeletion).toBe(true);
  });

  test('ClusterIP only: NodePort, LoadBalancer and ExternalName are written out as refused', () => {
    expect(tenant.spec.serviceOptions.allowedServices).toEqual({
      nodePort: false,
      loadBalancer: false,
      externalName: false,
    });
  });

  test('no Service externalIPs (CVE-2020-8554): Capsule reads an empty list as none allowed', () => {
    expect(tenant.spec.serviceOptions.externalIPs).toEqual({ allowed: [] });
  });

  test('no IngressClass (an empty list, not an absent one), no wildcard, cluster-wide hostname collisions', () => {
    expect(tenant.spec.ingressOptions).toEqual({
      allowedClasses: { allowed: [] },
      allowWildcardHostnames: false,
      hostnameCollisionScope: 'Cluster',
    });
  });

  test('the AKS default StorageClass only; no node selector or extra role binding', () => {
    expect(tenant.spec.storageClasses).toEqual({ allowed: ['default'] });
    expect(tenant.spec.nodeSelector).toBeUndefined();
    expect(tenant.spec.additionalRoleBindings).toBeUndefined();
  });

  test('the default budget: 10 namespaces of 10 pods at the container defaults, in a GlobalResourceQuota', () => {
    expect(tenant.spec.resourceQuotas).toBeUndefined();
    expect(budgetOf(objects)).toEqual({
      apiVersion: 'capsule.clastix.io/v1beta2',
      kind: 'GlobalResourceQuota',
      metadata: { name: 'tenant-dev-budget' },
      spec: {
        namespaceSelectors: [{ matchLabels: { 'capsule.clastix.io/tenant': 'dev' } }],
        quota: {
          hard: {
            // 100 pods × the LimitRange's 100m / 128Mi requests and 256Mi limit; no CPU limit
            // because the LimitRange gives none (pods without one would all be refused).
            'limits.memory': '25Gi',
            persistentvolumeclaims: '50',
            pods: '100',
            'requests.cpu': '10',
            'requests.memory': '12800Mi',
            'requests.storage': '500Gi',
            services: '100',
          },
        },
      },
    });
  });

  test('Pod Security Admission labels (restricted) on every namespace Capsule assigns', () => {
    expect(tenant.spec.namespaceOptions.additionalMetadataList).toEqual([{ labels: PSA_RESTRICTED }]);
  });

  test('deprecated fields replaced by final replication are not used', () => {
    expect(tenant.spec.networkPolicies).toBeUndefined();
    expect(tenant.spec.limitRanges).toBeUndefined();
  });

  test('a GlobalTenantResource replicates the isolation policy and default container resources', () => {
    const gtr = byKind(objects, 'GlobalTenantResource')[0];
    expect(gtr.metadata.name).toBe('tenant-dev-baseline');
    expect(gtr.spec).toMatchObject({
      tenantSelector: { matchLabels: { 'capsule.clastix.io/tenant': 'dev' } },
      scope: 'Namespace',
      pruningOnDelete: true,
      settings: { adopt: false, force: true },
    });
    const [policy, ingress, limits] = rawItems(objects);
    expect(policy.kind).toBe('NetworkPolicy');
    expect(policy.metadata.name).toBe(TENANT_NETWORK_POLICY_NAME);
    expect(policy.spec.podSelector).toEqual({});
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    // Default-deny for every pod: the only ingress allowance is the next policy's.
    expect(policy.spec.ingress).toBeUndefined();
    expect(ingress.kind).toBe('NetworkPolicy');
    expect(ingress.metadata.name).toBe(TENANT_INGRESS_POLICY_NAME);
    expect(ingress.spec).toEqual({
      podSelector: { matchExpressions: [{ key: WORKLOAD_INGRESS_LABEL, operator: 'DoesNotExist' }] },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'capsule.clastix.io/tenant': 'dev' } } }] }],
    });
    expect(limits).toEqual({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'tenant-container-defaults' },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: '100m', memory: '128Mi' },
            default: { memory: '256Mi' },
          },
        ],
      },
    });
  });

  test('the Tenant comes before what depends on it', () => {
    expect(objects.map((o) => o.kind)).toEqual(['Tenant', 'GlobalTenantResource', 'GlobalResourceQuota']);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('Tenant: every prop', () => {
  let objects: any[];
  let tenant: any;
  beforeEach(() => {
    objects = synth({
      ownerGroupIds: [DEV, SRE.toUpperCase()],
      namespaceQuota: 3,
      quota: TenantQuota.of([
        { resource: 'requests.memory', hard: '16Gi' },
        { resource: 'requests.cpu', hard: '8' },
        { resource: 'pods', hard: '100' },
      ]),
      containerDefaults: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '1', memoryLimit: '128Mi' },
      ingressClasses: ['webapprouting.kubernetes.azure.com'],
      storageClasses: ['managed-csi', 'managed-csi-premium'],
      allowedServiceTypes: [ServiceType.LOAD_BALANCER],
      nodePool: 'apps',
      roleBindings: [{ clusterRole: 'view', groupIds: [READERS] }],
      podSecurity: PodSecurityLevel.BASELINE,
      podSecurityVersion: PodSecurityVersion.of(35),
      containerRegistries: ['myregistry.azurecr.io', 'docker.io'],
      forceTenantPrefix: false,
      preventDeletion: false,
      namespaces: ['dev-api', 'web'],
    });
    tenant = tenantOf(objects);
  });

  test('owners: every group, object ids in lowercase', () => {
    expect(tenant.spec.owners.map((o: any) => [o.kind, o.name])).toEqual([
      ['Group', DEV],
      ['Group', SRE],
    ]);
  });

  test('the explicit budget, as given, shared by the namespaces of the tenant, sorted by resource', () => {
    expect(tenant.spec.namespaceOptions.quota).toBe(3);
    expect(tenant.spec.resourceQuotas).toBeUndefined();
    const budget = budgetOf(objects);
    expect(budget.spec.namespaceSelectors).toEqual([{ matchLabels: { 'capsule.clastix.io/tenant': 'dev' } }]);
    expect(Object.entries(budget.spec.quota.hard)).toEqual([
      ['pods', '100'],
      ['requests.cpu', '8'],
      ['requests.memory', '16Gi'],
    ]);
  });

  test('container defaults used as given', () => {
    expect(rawItems(objects)[2].spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '50m', memory: '64Mi' },
        default: { cpu: '1', memory: '128Mi' },
      },
    ]);
  });

  test('classes, service types, node pool, role bindings', () => {
    expect(tenant.spec.ingressOptions.allowedClasses).toEqual({
      allowed: ['webapprouting.kubernetes.azure.com'],
    });
    expect(tenant.spec.storageClasses).toEqual({ allowed: ['managed-csi', 'managed-csi-premium'] });
    expect(tenant.spec.serviceOptions.allowedServices).toEqual({
      nodePort: false,
      loadBalancer: true,
      externalName: false,
    });
    expect(tenant.spec.nodeSelector).toEqual({ 'kubernetes.azure.com/agentpool': 'apps' });
    expect(tenant.spec.additionalRoleBindings).toEqual([
      {
        clusterRoleName: 'view',
        subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: READERS }],
      },
    ]);
  });

  test('baseline enforced, restricted still audited and warned, all three at the pinned version', () => {
    expect(tenant.spec.namespaceOptions.additionalMetadataList[0].labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
    });
  });

  test('registries: the hosts Capsule lets the tenant pull from', () => {
    expect(tenant.spec.containerRegistries).toEqual({ allowed: ['myregistry.azurecr.io', 'docker.io'] });
    expect(tenantOf(synth()).spec.containerRegistries).toBeUndefined();
  });

  test('platform namespaces: labelled for their tenant and Pod Security, after the Tenant', () => {
    const namespaces = byKind(objects, 'Namespace');
    expect(namespaces.map((n) => n.metadata.name)).toEqual(['dev-api', 'web']);
    for (const ns of namespaces) {
      expect(ns.metadata.labels['capsule.clastix.io/tenant']).toBe('dev');
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.35');
    }
    const kinds = objects.map((o) => o.kind);
    expect(kinds.indexOf('Tenant')).toBeLessThan(kinds.indexOf('Namespace'));
    expect(tenant.spec.forceTenantPrefix).toBe(false);
    expect(tenant.spec.preventDeletion).toBe(false);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('Tenant: the output is valid upstream', () => {
  let objects: any[];
  beforeEach(() => {
    objects = [
      ...synth(),
      ...synth({
        quota: TenantQuota.of([{ resource: 'limits.memory', hard: '32Gi' }]),
        nodePool: 'apps',
        roleBindings: [{ clusterRole: 'edit', groupIds: [READERS] }],
        internetEgress: true,
        ingressControllerNamespace: 'ingress-nginx',
        containerRegistries: ['myregistry.azurecr.io'],
        namespaces: ['dev-demo'],
      }),
    ];
  });

  test('Tenant, GlobalTenantResource and GlobalResourceQuota against the Capsule 0.14 CRDs', () => {
    expect(byKind(objects, 'GlobalResourceQuota')).toHaveLength(2);
    for (const [kind, plural] of [
      ['Tenant', 'tenants'],
      ['GlobalTenantResource', 'globaltenantresources'],
      ['GlobalResourceQuota', 'globalresourcequotas'],
    ]) {
      const crd = capsuleCrd(plural);
      expect(crd.served && !crd.deprecated).toBe(true);
      for (const o of byKind(objects, kind)) {
        expect({ valid: crd.validate(o), errors: crd.validate.errors ?? null }).toEqual({
          valid: true,
          errors: null,
        });
      }
    }
  });

  test('the deprecated Tenant fields used are exactly those whose rules[] replacement is not final', () => {
    const deprecated = new Set(capsuleCrd('tenants').deprecatedFields);
    const used: string[] = [];
    const walk = (v: any, at: string) => {
      if (deprecated.has(at)) used.push(at);
      if (v && typeof v === 'object' && !Array.isArray(v))
        for (const [k, c] of Object.entries(v)) walk(c, at ? `${at}.${k}` : k);
      if (Array.isArray(v)) v.forEach((c) => walk(c, at));
    };
    for (const t of byKind(objects, 'Tenant')) walk(t.spec, '');
    expect([...new Set(used)].sort()).toEqual([
      'containerRegistries',
      'namespaceOptions.additionalMetadataList',
      'serviceOptions',
    ]);
  });

  test('namespaces and the replicated objects against the Kubernetes API', () => {
    const replicated = byKind(objects, 'GlobalTenantResource').flatMap((gtr) =>
      gtr.spec.resources[0].rawItems.map((item: any) => ({
        ...item,
        metadata: { ...item.metadata, namespace: 'dev-demo' },
      })),
    );
    const core = [...byKind(objects, 'Namespace'), ...replicated];
    expect(core.map((o) => o.kind).sort()).toEqual([
      'LimitRange',
      'LimitRange',
      'Namespace',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
    ]);
    expect(coreObjectErrors(core)).toEqual([]);
  });
});

describe('Tenant: bad props fail in the constructor, naming the prop and the value', () => {
  const cases: [string, Partial<TenantProps>, RegExp][] = [
    ['name', { name: 'Dev' }, /^Tenant test\/dev: name: "Dev" is not a DNS label/],
    ['no owner', { ownerGroupIds: [] }, /^Tenant test\/dev: ownerGroupIds: needs at least one group/],
    [
      'owner not a uuid',
      { ownerGroupIds: ['dev'] },
      /ownerGroupIds\[0\]: "dev" is not an Entra ID object id/,
    ],
    ['owner twice', { ownerGroupIds: [DEV, DEV.toUpperCase()] }, /ownerGroupIds\[1\]: ".*" is listed twice/],
    ['namespaceQuota', { namespaceQuota: 0 }, /namespaceQuota: 0 is not a whole number of at least 1/],
    [
      'registry with a scheme',
      { containerRegistries: ['https://myregistry.azurecr.io'] },
      /containerRegistries\[0\]: "https:\/\/myregistry.azurecr.io" is not a registry host/,
    ],
    [
      'registry with a path (Capsule compares hosts)',
      { containerRegistries: ['ghcr.io/contoso'] },
      /containerRegistries\[0\]: "ghcr.io\/contoso" is not a registry host/,
    ],
    ['namespaceQuota fraction', { namespaceQuota: 1.5 }, /namespaceQuota: 1.5/],
    [
      'default quantity',
      { containerDefaults: { memoryLimit: '1 GB' } },
      /containerDefaults.memoryLimit: "1 GB"/,
    ],
    [
      'request above limit',
      { containerDefaults: { memoryRequest: '1Gi', memoryLimit: '512Mi' } },
      /containerDefaults.memoryRequest: "1Gi" is more than containerDefaults.memoryLimit "512Mi"/,
    ],
    ['ingress class', { ingressClasses: ['Nginx'] }, /ingressClasses\[0\]: "Nginx" is not a class name/],
    ['storage class', { storageClasses: [''] }, /storageClasses\[0\]: "" is not a class name/],
    ['node pool', { nodePool: 'Apps-Pool' }, /nodePool: "Apps-Pool" is not an AKS node pool name/],
    ['ingress namespace', { ingressControllerNamespace: 'Ingress' }, /ingressControllerNamespace: "Ingress"/],
    [
      'cluster-admin binding',
      { roleBindings: [{ clusterRole: 'cluster-admin', groupIds: [READERS] }] },
      /"cluster-admin" would let its groups edit the tenant's quota/,
    ],
    [
      'binding role',
      { roleBindings: [{ clusterRole: 'View Role', groupIds: [READERS] }] },
      /clusterRole: "View Role"/,
    ],
    [
      'binding without group',
      { roleBindings: [{ clusterRole: 'view', groupIds: [] }] },
      /roleBindings\[0\]\.groupIds: needs at least one group/,
    ],
    [
      'binding group',
      { roleBindings: [{ clusterRole: 'view', groupIds: ['readers'] }] },
      /"readers" is not an Entra/,
    ],
    [
      'namespace prefix',
      { namespaces: ['demo'] },
      /^Tenant test\/dev: namespaces\[0\]\.name: "demo" must start with "dev-"/,
    ],
    [
      'namespace name',
      { namespaces: ['dev_demo'] },
      /namespaces\[0\]\.name: "dev_demo" is not a namespace name/,
    ],
    ['namespace twice', { namespaces: ['dev-a', 'dev-a'] }, /namespaces\[1\]\.name: "dev-a" is added twice/],
    [
      'namespace quota exceeded',
      { namespaceQuota: 1, namespaces: ['dev-a', 'dev-b'] },
      /"dev-b" would be namespace 2, over the namespaceQuota of 1/,
    ],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    let error: unknown;
    try {
      synth(props);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as Error).message).toMatch(message);
  });
});

test('every problem of the props is reported together, naming the construct path and each prop', () => {
  expect(() =>
    synth({ name: 'Dev', ingressClasses: ['also bad'], storageClasses: ['Bad Class\n', 'ok', 'other bad'] }),
  ).toThrow(
    [
      'Tenant test/dev: 4 problems',
      '  - name: "Dev" is not a DNS label (lowercase letters, digits and \'-\', at most 63 characters)',
      '  - ingressClasses[0]: "also bad" is not a class name',
      '  - storageClasses[0]: "Bad Class\\n" is not a class name',
      '  - storageClasses[2]: "other bad" is not a class name',
    ].join('\n'),
  );
});

describe('Tenant.addNamespace', () => {
  test('adds a namespace after construction and lists it', () => {
    const chart = Testing.chart();
    const tenant = new Tenant(chart, 'dev', { name: 'dev', ownerGroupIds: [DEV], namespaces: ['dev-a'] });
    const ns = tenant.addNamespace({ name: 'dev-b' });
    expect(ns.tenant).toBe('dev');
    expect(tenant.namespaces).toEqual(['dev-a', 'dev-b']);
    const names = byKind(Testing.synth(chart), 'Namespace').map((n) => n.metadata.name);
    expect(names).toEqual(['dev-a', 'dev-b']);
  });
});

describe('Tenant: props at their edges', () => {
  const limitRangeOf = (objects: any[]) => rawItems(objects).find((i: any) => i.kind === 'LimitRange');

  test('container defaults may request exactly their limit', () => {
    const objects = synth({
      containerDefaults: { cpuRequest: '1', cpuLimit: '1000m', memoryRequest: '1Gi', memoryLimit: '1024Mi' },
    });
    expect(limitRangeOf(objects).spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '1', memory: '1Gi' },
        default: { cpu: '1000m', memory: '1024Mi' },
      },
    ]);
  });

  test('a default CPU request above the default CPU limit is refused', () => {
    expect(() => synth({ containerDefaults: { cpuRequest: '1001m', cpuLimit: '1' } })).toThrow(
      'containerDefaults.cpuRequest: "1001m" is more than containerDefaults.cpuLimit "1"',
    );
  });

  test('requests without limits: a LimitRange with default requests only', () => {
    const objects = synth({ containerDefaults: { cpuRequest: '50m' }, quota: TenantQuota.none() });
    expect(limitRangeOf(objects).spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '50m' } },
    ]);
  });

  test('no container default at all: no LimitRange, only the network policies', () => {
    const objects = synth({ containerDefaults: {}, quota: TenantQuota.none() });
    expect(limitRangeOf(objects)).toBeUndefined();
    expect(rawItems(objects).every((i: any) => i.kind === 'NetworkPolicy')).toBe(true);
  });

  test.each(['apps-1', 'a1234567890ab', '1apps'])('node pool %s is refused', (nodePool) => {
    expect(() => synth({ nodePool })).toThrow(`nodePool: "${nodePool}" is not an AKS node pool name`);
  });

  test('a node pool of 12 characters is accepted', () => {
    expect(tenantOf(synth({ nodePool: 'a12345678901' })).spec.nodeSelector).toEqual({
      'kubernetes.azure.com/agentpool': 'a12345678901',
    });
  });

  test.each(['view-', 'edit.', '-view'])('ClusterRole %s is refused', (clusterRole) => {
    expect(() => synth({ roleBindings: [{ clusterRole, groupIds: [READERS] }] })).toThrow(
      `clusterRole: "${clusterRole}" is not a ClusterRole name`,
    );
  });

  test.each(['a', 'system:aggregate-to-view'])('ClusterRole %s is accepted', (clusterRole) => {
    expect(
      tenantOf(synth({ roleBindings: [{ clusterRole, groupIds: [READERS] }] })).spec.additionalRoleBindings,
    ).toEqual([expect.objectContaining({ clusterRoleName: clusterRole })]);
  });
});
