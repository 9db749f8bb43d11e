import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { tenantsFromSpec } from '../../../lib/kubernetes/capsule';
import { WORKLOAD_INGRESS_LABEL } from '../../../lib/kubernetes/labels';
import { workloadsFromSpec } from '../../../lib/kubernetes/workloads';
import { validatePlatform } from '../../../lib/platform-file';
import { validPlatform } from '../../platform-file/fixtures';
import { Cluster, Endpoint, inCidr, Namespace, NetworkPolicy, selects } from './network-policy-evaluator';

const IDS = new Map([
  ['dev', 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58'],
  ['staging', 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02'],
  ['sre', '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0'],
]);

/**
 * The platform's YAML for two tenants, dev without internet egress and staging with it, and their
 * hardened workloads:
 * - dev-demo/demo-api (Deployment, port 8080), reachable from the storefront workload of its
 *   namespace, from the pods labelled role=client of dev-owner-made, and (declared, but across
 *   tenants) from staging-owner-made;
 * - dev-demo/report (Job), which serves nobody;
 * - staging-web/web (Deployment, port 8080) published through the ingress controller, no peer.
 */
function synthPlatform(): any[] {
  const data = validPlatform();
  data.ingress = { namespace: 'ingress-nginx', className: 'nginx' };
  data.tenants[1].internetEgress = true;
  data.workloads[0].allowFrom = [
    { workload: 'storefront' },
    { namespace: 'dev-owner-made', labels: { role: 'client' } },
    { namespace: 'staging-owner-made' },
  ];
  data.workloads.push(
    {
      name: 'report',
      tenant: 'dev',
      namespace: 'dev-demo',
      kind: 'Job',
      image: 'ghcr.io/example/report:1.0.3',
    },
    {
      name: 'web',
      tenant: 'staging',
      namespace: 'staging-web',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      port: 8080,
      ingress: { host: 'web.staging.example.com' },
    },
  );
  const spec = validatePlatform(data);
  const chart = Testing.chart();
  tenantsFromSpec(chart, spec, IDS);
  workloadsFromSpec(chart, spec);
  return Testing.synth(chart);
}

/**
 * What Capsule does with the synthesized YAML: the platform namespaces, one namespace an owner
 * creates later in each tenant, and every replicated object in every namespace of its tenant;
 * plus the workloads' own NetworkPolicies. `extraPolicies` adds policies to each tenant namespace.
 */
function replicate(objects: any[], extraPolicies: (ns: string) => NetworkPolicy[] = () => []) {
  const tenants = objects.filter((o) => o.kind === 'Tenant').map((t) => t.metadata.name as string);
  const namespaces: Namespace[] = [
    ...objects
      .filter((o) => o.kind === 'Namespace')
      .map((o) => ({ name: o.metadata.name, labels: { ...o.metadata.labels } })),
    ...tenants.map((t) => ({ name: `${t}-owner-made`, labels: { 'capsule.clastix.io/tenant': t } })),
    { name: 'kube-system', labels: {} },
    { name: 'ingress-nginx', labels: {} },
    { name: 'default', labels: {} },
  ].map((n) => ({ ...n, labels: { ...n.labels, 'kubernetes.io/metadata.name': n.name } }));
  const tenantByName = new Map(objects.filter((o) => o.kind === 'Tenant').map((t) => [t.metadata.name, t]));
  const policies: NetworkPolicy[] = [];
  for (const gtr of objects.filter((o) => o.kind === 'GlobalTenantResource')) {
    const selected = [...tenantByName.values()].filter((t) =>
      selects(gtr.spec.tenantSelector, t.metadata.labels),
    );
    for (const t of selected) {
      for (const ns of namespaces.filter((n) => n.labels['capsule.clastix.io/tenant'] === t.metadata.name)) {
        for (const item of gtr.spec.resources.flatMap((r: any) => r.rawItems)) {
          if (item.kind === 'NetworkPolicy')
            policies.push({ ...item, metadata: { ...item.metadata, namespace: ns.name } });
        }
      }
    }
  }
  policies.push(...objects.filter((o) => o.kind === 'NetworkPolicy'));
  for (const ns of namespaces.filter((n) => n.labels['capsule.clastix.io/tenant'] !== undefined)) {
    policies.push(...extraPolicies(ns.name));
  }
  return { namespaces, policies, cluster: new Cluster(namespaces, policies) };
}

const objects = synthPlatform();
const { namespaces, policies, cluster } = replicate(objects);

let nextIp = 1;
const pod = (namespace: string, labels: Record<string, string> = { app: 'x' }): Endpoint => ({
  namespace,
  labels,
  ip: `10.244.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`,
});
/** A pod of the hardened workload `name`, with the labels of its synthesized pod template. */
const workloadPod = (kind: string, name: string): Endpoint => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  return pod(o.metadata.namespace, { ...o.spec.template.metadata.labels });
};
const external = (ip: string): Endpoint => ({ ip });
const TCP = (port: number) => ({ protocol: 'TCP' as const, port });
const UDP = (port: number) => ({ protocol: 'UDP' as const, port });

// Pods the platform does not manage (no hardened construct): what an owner runs by hand.
const devDemo = pod('dev-demo');
const devOther = pod('dev-owner-made');
const stagingWeb = pod('staging-web');
const stagingOther = pod('staging-owner-made');
// Pods of the hardened workloads, and of their declared peers.
const demoApi = workloadPod('Deployment', 'demo-api');
const report = workloadPod('Job', 'report');
const web = workloadPod('Deployment', 'web');
const storefront = pod('dev-demo', { 'app.kubernetes.io/name': 'storefront' });
const client = pod('dev-owner-made', { role: 'client' });
const coredns = pod('kube-system', { 'k8s-app': 'kube-dns' });
const metricsServer = pod('kube-system', { 'k8s-app': 'metrics-server' });
const ingressController = pod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
const defaultPod = pod('default');

describe('what Capsule replicates', () => {
  test('the two tenant policies in each tenant namespace, none elsewhere; one per hardened workload', () => {
    const tenantWide = policies.filter((p) =>
      ['tenant-isolation', 'tenant-ingress'].includes(p.metadata.name),
    );
    expect(tenantWide.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual([
      'dev-demo/tenant-ingress',
      'dev-demo/tenant-isolation',
      'dev-owner-made/tenant-ingress',
      'dev-owner-made/tenant-isolation',
      'staging-owner-made/tenant-ingress',
      'staging-owner-made/tenant-isolation',
      'staging-web/tenant-ingress',
      'staging-web/tenant-isolation',
    ]);
    expect(
      policies
        .filter((p) => !tenantWide.includes(p))
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
        .sort(),
    ).toEqual(['dev-demo/demo-api', 'dev-demo/report', 'staging-web/web']);
    expect(namespaces.find((n) => n.name === 'staging-web')?.labels['capsule.clastix.io/tenant']).toBe(
      'staging',
    );
  });

  test('every hardened pod carries the label that takes it out of the tenant-wide ingress', () => {
    for (const p of [demoApi, report, web]) {
      expect(p.labels?.[WORKLOAD_INGRESS_LABEL]).toBe('workload');
    }
  });
});

describe('isolation between tenants', () => {
  test('a tenant reaches its own namespaces, in both directions', () => {
    for (const [a, b] of [
      [devDemo, devOther],
      [devOther, devDemo],
      [stagingWeb, stagingOther],
    ]) {
      expect(cluster.allows(a, b, TCP(8080))).toBe(true);
    }
  });

  test('dev and staging cannot reach each other, either way, whatever the port', () => {
    for (const a of [devDemo, devOther]) {
      for (const b of [stagingWeb, stagingOther]) {
        for (const c of [TCP(8080), TCP(443), UDP(53), TCP(53)]) {
          expect({ from: a.namespace, to: b.namespace, c, allowed: cluster.allows(a, b, c) }).toMatchObject({
            allowed: false,
          });
          expect({ from: b.namespace, to: a.namespace, c, allowed: cluster.allows(b, a, c) }).toMatchObject({
            allowed: false,
          });
        }
      }
    }
  });

  // Random labels, among them those of the hardened workloads and of their declared peers.
  const podLabels = fc.dictionary(
    fc.constantFrom('app', 'k8s-app', 'role', 'app.kubernetes.io/name', WORKLOAD_INGRESS_LABEL),
    fc.constantFrom('x', 'kube-dns', 'web', 'client', 'storefront', 'demo-api', 'workload'),
  );

  test('property: no pod of one tenant opens any connection to a pod of another', () => {
    const tenantNamespaces = namespaces.filter((n) => n.labels['capsule.clastix.io/tenant'] !== undefined);
    fc.assert(
      fc.property(
        fc.constantFrom(...tenantNamespaces),
        fc.constantFrom(...tenantNamespaces),
        podLabels,
        podLabels,
        fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP'),
        fc.integer({ min: 1, max: 65535 }),
        (a, b, la, lb, protocol, port) => {
          fc.pre(a.labels['capsule.clastix.io/tenant'] !== b.labels['capsule.clastix.io/tenant']);
          const from = { namespace: a.name, labels: la, ip: '10.244.9.1' };
          const to = { namespace: b.name, labels: lb, ip: '10.244.9.2' };
          return !cluster.allows(from, to, { protocol, port });
        },
      ),
      { seed: 4242, numRuns: 500 },
    );
  });

  test('a declared peer in another tenant changes nothing: its own egress stops it', () => {
    // demo-api admits staging-owner-made on 8080; staging's tenant-isolation admits no egress to dev.
    expect(cluster.allows(stagingOther, demoApi, TCP(8080))).toBe(false);
    expect(cluster.allows(pod('staging-owner-made', { role: 'client' }), demoApi, TCP(8080))).toBe(false);
  });

  test('hardened workloads of one tenant and pods of another cannot reach each other', () => {
    for (const a of [demoApi, report, devDemo, storefront]) {
      for (const b of [web, stagingOther]) {
        expect(cluster.allows(a, b, TCP(8080))).toBe(false);
        expect(cluster.allows(b, a, TCP(8080))).toBe(false);
      }
    }
  });

  test('pods outside every tenant cannot reach tenant pods; the ingress controller can', () => {
    expect(cluster.allows(defaultPod, devDemo, TCP(8080))).toBe(false);
    expect(cluster.allows(metricsServer, stagingWeb, TCP(8080))).toBe(false);
    expect(cluster.allows(ingressController, devDemo, TCP(8080))).toBe(true);
    expect(cluster.allows(ingressController, stagingWeb, TCP(8080))).toBe(true);
  });
});

describe('pods the platform does not manage keep the tenant-wide ingress', () => {
  test('reachable from every namespace of their tenant, on any port, even next to hardened workloads', () => {
    for (const [from, to] of [
      [devOther, devDemo],
      [demoApi, devDemo],
      [report, devOther],
      [storefront, devOther],
      [stagingOther, stagingWeb],
      [web, stagingOther],
    ]) {
      for (const c of [TCP(8080), TCP(5432), UDP(5353)]) {
        expect({
          from: from.labels,
          to: to.namespace,
          c,
          allowed: cluster.allows(from, to, c),
        }).toMatchObject({
          allowed: true,
        });
      }
    }
  });

  test('a pod that carries the label with another value is a managed pod too (DoesNotExist)', () => {
    const labelled = pod('dev-owner-made', { app: 'x', [WORKLOAD_INGRESS_LABEL]: 'anything' });
    expect(cluster.allows(devDemo, labelled, TCP(8080))).toBe(false);
  });
});

describe('a hardened workload: only its port, only from its declared peers', () => {
  test('its declared peers reach its port', () => {
    expect(cluster.allows(storefront, demoApi, TCP(8080))).toBe(true);
    expect(cluster.allows(client, demoApi, TCP(8080))).toBe(true);
    expect(cluster.allows(ingressController, web, TCP(8080))).toBe(true);
  });

  test('its declared peers reach no other port or protocol', () => {
    for (const c of [TCP(80), TCP(8081), TCP(9090), UDP(8080)]) {
      expect(cluster.allows(storefront, demoApi, c)).toBe(false);
      expect(cluster.allows(client, demoApi, c)).toBe(false);
      expect(cluster.allows(ingressController, web, c)).toBe(false);
    }
  });

  test('pods of its own tenant that are not declared peers cannot reach it, not even on its port', () => {
    for (const from of [
      devDemo,
      devOther,
      report,
      pod('dev-owner-made', { 'app.kubernetes.io/name': 'storefront' }), // right labels, wrong namespace
      pod('dev-demo', { role: 'client' }), // right labels, wrong namespace
    ]) {
      expect({ from, allowed: cluster.allows(from, demoApi, TCP(8080)) }).toEqual({ from, allowed: false });
    }
    expect(cluster.allows(stagingOther, web, TCP(8080))).toBe(false);
    expect(cluster.allows(stagingWeb, web, TCP(8080))).toBe(false);
  });

  test('the ingress controller reaches only the workloads that asked for an Ingress', () => {
    expect(cluster.allows(ingressController, demoApi, TCP(8080))).toBe(false);
    expect(cluster.allows(ingressController, web, TCP(8080))).toBe(true);
  });

  test('property: whatever connects to demo-api is a declared peer, on TCP 8080', () => {
    const tenantNamespaces = namespaces.filter((n) => n.labels['capsule.clastix.io/tenant'] !== undefined);
    const allNamespaces = [...tenantNamespaces, ...namespaces.filter((n) => !tenantNamespaces.includes(n))];
    fc.assert(
      fc.property(
        fc.constantFrom(...allNamespaces),
        fc.dictionary(
          fc.constantFrom('app', 'role', 'app.kubernetes.io/name', WORKLOAD_INGRESS_LABEL),
          fc.constantFrom('x', 'client', 'storefront', 'demo-api', 'workload'),
        ),
        fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP'),
        fc.constantFrom(53, 80, 443, 8080, 8081, 9090),
        (ns, labels, protocol, port) => {
          const from = { namespace: ns.name, labels, ip: '10.244.9.3' };
          const declared =
            (ns.name === 'dev-demo' && labels['app.kubernetes.io/name'] === 'storefront') ||
            (ns.name === 'dev-owner-made' && labels.role === 'client');
          const allowed = cluster.allows(from, demoApi, { protocol, port });
          return allowed === (declared && protocol === 'TCP' && port === 8080);
        },
      ),
      { seed: 4243, numRuns: 500 },
    );
  });
});

describe('a HardenedJob serves nobody', () => {
  test('no pod reaches it: not its tenant, not its namespace, not the ingress controller', () => {
    for (const from of [devDemo, devOther, demoApi, storefront, client, ingressController, defaultPod]) {
      for (const c of [TCP(80), TCP(8080), TCP(443), UDP(53)]) {
        expect({ from: from.namespace, c, allowed: cluster.allows(from, report, c) }).toMatchObject({
          allowed: false,
        });
      }
    }
  });

  test('it still reaches its tenant and DNS (egress is the tenant-wide policy)', () => {
    expect(cluster.allows(report, devOther, TCP(8080))).toBe(true);
    expect(cluster.allows(report, demoApi, TCP(8080))).toBe(false); // not a declared peer
    expect(cluster.allows(report, coredns, UDP(53))).toBe(true);
    expect(cluster.allows(report, external('8.8.8.8'), TCP(443))).toBe(false);
  });
});

describe('egress out of a tenant', () => {
  test('DNS to CoreDNS in kube-system on UDP and TCP 53 only', () => {
    for (const p of [devDemo, stagingWeb]) {
      expect(cluster.allows(p, coredns, UDP(53))).toBe(true);
      expect(cluster.allows(p, coredns, TCP(53))).toBe(true);
      expect(cluster.allows(p, coredns, TCP(9153))).toBe(false);
      expect(cluster.allows(p, metricsServer, UDP(53))).toBe(false);
      expect(cluster.allows(p, metricsServer, TCP(443))).toBe(false);
    }
  });

  test('nothing else of the cluster: not the default namespace, not the ingress controller', () => {
    expect(cluster.allows(devDemo, defaultPod, TCP(80))).toBe(false);
    expect(cluster.allows(stagingWeb, ingressController, TCP(443))).toBe(false);
  });

  test('the internet only with internetEgress (staging), never private or platform addresses', () => {
    expect(cluster.allows(devDemo, external('8.8.8.8'), TCP(443))).toBe(false);
    expect(cluster.allows(stagingWeb, external('8.8.8.8'), TCP(443))).toBe(true);
    expect(cluster.allows(stagingWeb, external('20.50.2.10'), UDP(123))).toBe(true);
    for (const ip of [
      '10.0.0.1',
      '10.224.0.4',
      '172.16.5.4',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '168.63.129.16',
    ]) {
      expect({ ip, allowed: cluster.allows(stagingWeb, external(ip), TCP(443)) }).toEqual({
        ip,
        allowed: false,
      });
    }
  });

  test('addresses outside the cluster cannot connect in (only the ingress controller namespace may)', () => {
    expect(cluster.allows(external('203.0.113.7'), stagingWeb, TCP(8080))).toBe(false);
  });
});

describe('alongside a generated default-deny policy', () => {
  test('a default-deny NetworkPolicy in every tenant namespace changes no decision', () => {
    const withDeny = replicate(objects, (ns) => [
      {
        metadata: { name: 'default-deny', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
    ]).cluster;
    const endpoints = [
      devDemo,
      devOther,
      stagingWeb,
      stagingOther,
      demoApi,
      report,
      web,
      storefront,
      client,
      coredns,
      ingressController,
      external('8.8.8.8'),
    ];
    for (const a of endpoints.filter((e) => e.namespace?.match(/^(dev|staging)-/))) {
      for (const b of endpoints) {
        for (const c of [TCP(8080), UDP(53), TCP(443)]) {
          expect(withDeny.allows(a, b, c)).toBe(cluster.allows(a, b, c));
        }
      }
    }
  });
});

describe('why owners must not write NetworkPolicies (policies add up)', () => {
  test('one extra allow-all policy in a staging namespace would open it to dev', () => {
    const loosened = replicate(objects, (ns) =>
      ns === 'staging-web'
        ? [
            {
              metadata: { name: 'allow-all', namespace: ns },
              spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] },
            },
          ]
        : [],
    ).cluster;
    expect(cluster.allows(devDemo, stagingWeb, TCP(8080))).toBe(false);
    // dev's own egress still stops it; a dev owner would add the mirror policy on their side.
    expect(loosened.allows(defaultPod, stagingWeb, TCP(8080))).toBe(true);
  });
});

describe('the evaluator itself', () => {
  test('CIDR membership', () => {
    expect(inCidr('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(inCidr('11.0.0.0', '10.0.0.0/8')).toBe(false);
    expect(inCidr('168.63.129.16', '168.63.129.16/32')).toBe(true);
    expect(inCidr('1.2.3.4', '0.0.0.0/0')).toBe(true);
  });

  test('label selectors: matchLabels and every matchExpressions operator', () => {
    const labels = { app: 'x', tier: 'web' };
    expect(selects({}, labels)).toBe(true);
    expect(selects({ matchLabels: { app: 'x' } }, labels)).toBe(true);
    expect(selects({ matchLabels: { app: 'y' } }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'In', values: ['x', 'y'] }] }, labels)).toBe(
      true,
    );
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(
      false,
    );
    expect(selects({ matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(
      true,
    );
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(() => selects({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }, labels)).toThrow(/unknown/);
  });

  test('policies add up: a pod selected by two policies gets the union of their rules', () => {
    const ns = [{ name: 'a', labels: { 'kubernetes.io/metadata.name': 'a' } }];
    const p = { namespace: 'a', labels: { app: 'p' }, ip: '10.0.0.1' };
    const q = { namespace: 'a', labels: { app: 'q' }, ip: '10.0.0.2' };
    const only80: NetworkPolicy = {
      metadata: { name: 'only-80', namespace: 'a' },
      spec: { podSelector: { matchLabels: { app: 'q' } }, ingress: [{ ports: [{ port: 80 }] }] },
    };
    const all: NetworkPolicy = {
      metadata: { name: 'all', namespace: 'a' },
      spec: { podSelector: {}, ingress: [{}] },
    };
    expect(new Cluster(ns, [only80]).allows(p, q, TCP(443))).toBe(false);
    expect(new Cluster(ns, [only80, all]).allows(p, q, TCP(443))).toBe(true);
  });

  test('an unselected pod is open; an empty policy isolates it', () => {
    const ns = [{ name: 'a', labels: { 'kubernetes.io/metadata.name': 'a' } }];
    const p = { namespace: 'a', labels: {}, ip: '10.0.0.1' };
    const q = { namespace: 'a', labels: {}, ip: '10.0.0.2' };
    expect(new Cluster(ns, []).allows(p, q, TCP(80))).toBe(true);
    const deny: NetworkPolicy = { metadata: { name: 'd', namespace: 'a' }, spec: { podSelector: {} } };
    expect(new Cluster(ns, [deny]).allows(p, q, TCP(80))).toBe(false);
  });
});
