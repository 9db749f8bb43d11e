import { Testing } from 'cdk8s';
import { Preflight } from 'cdk-aks-platform';
import { buildApplication } from '../app-team/main';
import { buildPlatform } from './main';

const GROUPS = {
  admins: '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13',
  payments: 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58',
  search: 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02',
};

function platformObjects(): any[] {
  return Testing.synth(buildPlatform(Testing.app(), GROUPS));
}

describe('example: a platform repository composing the constructs', () => {
  const objects = platformObjects();
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  test('the policies enforce, except the one moved to audit for onboarding', () => {
    const policies = byKind('ValidatingPolicy');
    expect(policies.length).toBeGreaterThanOrEqual(17);
    const actions = Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec.validationActions]));
    expect(actions['require-probes']).toEqual(['Audit']);
    expect(actions['require-run-as-non-root'] ?? actions['require-run-as-nonroot']).toEqual(['Deny']);
  });

  test('each tenant is owned by its group, with its budget', () => {
    const tenants = Object.fromEntries(byKind('Tenant').map((t) => [t.metadata.name, t.spec]));
    expect(tenants.payments.owners).toEqual([
      { kind: 'Group', name: GROUPS.payments, clusterRoles: ['admin', 'capsule-namespace-deleter'] },
    ]);
    expect(tenants.payments.namespaceOptions.quota).toBe(4);
    const budgets = Object.fromEntries(byKind('GlobalResourceQuota').map((q) => [q.metadata.name, q.spec]));
    expect(budgets['tenant-payments-budget']).toEqual({
      namespaceSelectors: [{ matchLabels: { 'capsule.clastix.io/tenant': 'payments' } }],
      quota: { hard: { 'limits.memory': '64Gi', 'requests.cpu': '16', 'requests.memory': '32Gi' } },
    });
    // search sets no quota: it gets the default budget for its 10 namespaces.
    expect(budgets['tenant-search-budget'].quota.hard.pods).toBe('100');
    expect(tenants.search.serviceOptions.allowedServices.loadBalancer).toBe(true);
  });

  test('the platform-created namespace belongs to its tenant and enforces restricted', () => {
    const ns = byKind('Namespace').find((n) => n.metadata.name === 'payments-api');
    expect(ns.metadata.labels).toMatchObject({
      'capsule.clastix.io/tenant': 'payments',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  test('the guardrails exempt the admin group only', () => {
    const text = JSON.stringify(byKind('ValidatingAdmissionPolicy'));
    expect(text).toContain(GROUPS.admins);
    expect(text).not.toContain(GROUPS.payments);
  });

  test("the application team's manifests pass the platform's policies", () => {
    const app = Testing.synth(buildApplication(Testing.app()));
    const result = new Preflight({ policies: objects, objects: [...objects, ...app] }).evaluate();
    expect(result.violations).toEqual([]);
    expect(result.summary.pass).toBeGreaterThan(0);
  });
});
