import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { tenantsFromSpec } from '../../../lib/kubernetes/capsule';
import { validatePlatform } from '../../../lib/spec';
import { validPlatform } from '../../spec/fixtures';
import { Cluster, Endpoint, inCidr, Namespace, NetworkPolicy, selects } from './network-policy-evaluator';

const IDS = new Map([
  ['dev', 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58'],
  ['staging', 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02'],
  ['sre', '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0'],
]);

/** The platform's YAML for two tenants: dev without internet egress, staging with it. */
function synthTenants(): any[] {
  const data = validPlatform();
  data.ingress = { namespace: 'ingress-nginx', className: 'nginx' };
  data.tenants[1].internetEgress = true;
  data.workloads.push({
    name: 'web',
    tenant: 'staging',
    namespace: 'staging-web',
    image: 'nginxinc/nginx-unprivileged:1.27.3',
    port: 8080,
  });
  const chart = Testing.chart();
  tenantsFromSpec(chart, validatePlatform(data), IDS);
  return Testing.synth(chart);
}

/**
 * What Capsule does with the synthesized YAML: the platform namespaces, one namespace an owner
 * creates later in each tenant, and every replicated object in every namespace of its tenant.
 * `extraPolicies` adds policies to each tenant namespace.
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
  for (const ns of namespaces.filter((n) => n.labels['capsule.clastix.io/tenant'] !== undefined)) {
    policies.push(...extraPolicies(ns.name));
  }
  return { namespaces, policies, cluster: new Cluster(namespaces, policies) };
}

const objects = synthTenants();
const { namespaces, policies, cluster } = replicate(objects);

let nextIp = 1;
const pod = (namespace: string, labels: Record<string, string> = { app: 'x' }): Endpoint => ({
  namespace,
  labels,
  ip: `10.244.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`,
});
const external = (ip: string): Endpoint => ({ ip });
const TCP = (port: number) => ({ protocol: 'TCP' as const, port });
const UDP = (port: number) => ({ protocol: 'UDP' as const, port });

const devDemo = pod('dev-demo');
const devOther = pod('dev-owner-made');
const stagingWeb = pod('staging-web');
const stagingOther = pod('staging-owner-made');
const coredns = pod('kube-system', { 'k8s-app': 'kube-dns' });
const metricsServer = pod('kube-system', { 'k8s-app': 'metrics-server' });
const ingressController = pod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
const defaultPod = pod('default');

describe('what Capsule replicates', () => {
  test('one isolation policy in each tenant namespace, none elsewhere', () => {
    expect(policies.map((p) => p.metadata.namespace).sort()).toEqual([
      'dev-demo',
      'dev-owner-made',
      'staging-owner-made',
      'staging-web',
    ]);
    expect(namespaces.find((n) => n.name === 'staging-web')?.labels['capsule.clastix.io/tenant']).toBe(
      'staging',
    );
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

  test('property: no pod of one tenant opens any connection to a pod of another', () => {
    const tenantNamespaces = namespaces.filter((n) => n.labels['capsule.clastix.io/tenant'] !== undefined);
    fc.assert(
      fc.property(
        fc.constantFrom(...tenantNamespaces),
        fc.constantFrom(...tenantNamespaces),
        fc.dictionary(fc.constantFrom('app', 'k8s-app', 'role'), fc.constantFrom('x', 'kube-dns', 'web')),
        fc.dictionary(fc.constantFrom('app', 'k8s-app', 'role'), fc.constantFrom('x', 'kube-dns', 'web')),
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

  test('pods outside every tenant cannot reach tenant pods; the ingress controller can', () => {
    expect(cluster.allows(defaultPod, devDemo, TCP(8080))).toBe(false);
    expect(cluster.allows(metricsServer, stagingWeb, TCP(8080))).toBe(false);
    expect(cluster.allows(ingressController, devDemo, TCP(8080))).toBe(true);
    expect(cluster.allows(ingressController, stagingWeb, TCP(8080))).toBe(true);
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

  test('an unselected pod is open; an empty policy isolates it', () => {
    const ns = [{ name: 'a', labels: { 'kubernetes.io/metadata.name': 'a' } }];
    const p = { namespace: 'a', labels: {}, ip: '10.0.0.1' };
    const q = { namespace: 'a', labels: {}, ip: '10.0.0.2' };
    expect(new Cluster(ns, []).allows(p, q, TCP(80))).toBe(true);
    const deny: NetworkPolicy = { metadata: { name: 'd', namespace: 'a' }, spec: { podSelector: {} } };
    expect(new Cluster(ns, [deny]).allows(p, q, TCP(80))).toBe(false);
  });
});
