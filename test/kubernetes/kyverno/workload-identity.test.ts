import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import type { KyvernoPoliciesProps } from '../../../lib/kubernetes/kyverno';
import { KyvernoPolicies, PolicyAction, PolicyApi } from '../../../lib/kubernetes/kyverno';
import { checkFolder, formatFolderCheck, Preflight } from '../../../lib/preflight';
import { PlatformError } from '../../../lib/platform-file';

type Json = Record<string, any>;

const DEV = '9a4e2b7c-1d3f-4c85-b6e0-5f8a2d9c3e71';
const STAGING = '4f1e7d2c-8b3a-4c69-a5d0-e2f7b1c6d8a9';
const GRANTS = [
  { namespace: 'dev-demo', clientIds: [DEV] },
  { namespace: 'staging-jobs', clientIds: [STAGING.toUpperCase()] },
];

function policies(props: KyvernoPoliciesProps = { workloadIdentities: GRANTS }): Json[] {
  const chart = Testing.chart();
  new KyvernoPolicies(chart, 'kyverno', props);
  return Testing.synth(chart);
}

const tenantNamespace = (name: string, tenant: string): Json => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'capsule.clastix.io/tenant': tenant } },
});
const NAMESPACES = [
  tenantNamespace('dev-demo', 'dev'),
  tenantNamespace('dev-tools', 'dev'), // created by the tenant's owners: nothing issued there
  tenantNamespace('staging-jobs', 'staging'),
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } },
];

function serviceAccount(namespace: string, clientId?: string, name = 'api'): Json {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace,
      ...(clientId === undefined ? {} : { annotations: { 'azure.workload.identity/client-id': clientId } }),
    },
  };
}

/** The result of restrict-workload-identity on each object: pass, DENY, fail (audit), or not judged. */
function judge(objects: Json[], policyObjects = policies()): string[] {
  const result = new Preflight({ policies: policyObjects, objects, namespaces: NAMESPACES }).evaluate();
  return objects.map((o) => {
    const r = result.results.find(
      (x) =>
        x.policy === 'restrict-workload-identity' &&
        x.resource.name === o.metadata.name &&
        x.resource.namespace === o.metadata.namespace,
    );
    if (!r) return 'not judged';
    return r.blocking ? `DENY: ${r.message}` : r.result;
  });
}

describe('restrict-workload-identity', () => {
  test('a ServiceAccount may carry the client id issued to its namespace, in any case, or none', () => {
    expect(
      judge([
        serviceAccount('dev-demo', DEV, 'a'),
        serviceAccount('dev-demo', DEV.toUpperCase(), 'b'),
        serviceAccount('staging-jobs', STAGING, 'c'),
        serviceAccount('dev-demo', undefined, 'd'),
        {
          ...serviceAccount('dev-demo', undefined, 'e'),
          metadata: { name: 'e', namespace: 'dev-demo', annotations: {} },
        },
      ]),
    ).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });

  test("a foreign client id is denied: another tenant's, another namespace's, one never issued", () => {
    const message = (id: string, ns: string) =>
      `DENY: A ServiceAccount of a tenant namespace may only carry a workload identity client id that the platform issued to that namespace. Client id: ${id}, namespace: ${ns}`;
    expect(
      judge([
        serviceAccount('dev-demo', STAGING, 'a'),
        serviceAccount('dev-tools', DEV.toUpperCase(), 'b'),
        serviceAccount('dev-demo', '11111111-2222-4333-8444-555555555555', 'c'),
      ]),
    ).toEqual([
      message(STAGING, 'dev-demo'),
      message(DEV, 'dev-tools'),
      message('11111111-2222-4333-8444-555555555555', 'dev-demo'),
    ]);
  });

  test('only tenant namespaces are judged', () => {
    expect(judge([serviceAccount('monitoring', STAGING)])).toEqual(['not judged']);
  });

  test('Audit reports without denying; disabled or not configured, it is not emitted; no grant allows none', () => {
    const audit = policies({
      workloadIdentities: GRANTS,
      overrides: [{ policyName: 'restrict-workload-identity', action: PolicyAction.AUDIT }],
    });
    expect(judge([serviceAccount('dev-demo', STAGING)], audit)).toEqual(['fail']);
    const names = (objects: Json[]) => objects.map((o) => o.metadata.name);
    expect(names(policies({}))).not.toContain('restrict-workload-identity');
    expect(
      names(
        policies({
          workloadIdentities: GRANTS,
          overrides: [{ policyName: 'restrict-workload-identity', enabled: false }],
        }),
      ),
    ).not.toContain('restrict-workload-identity');
    // No grant at all: no client id is allowed anywhere.
    expect(judge([serviceAccount('dev-demo', DEV)], policies({ workloadIdentities: [] }))[0]).toMatch(
      /^DENY/,
    );
  });

  test('the ValidatingPolicy: ServiceAccounts of namespaces with the tenant label', () => {
    const policy = policies().find((o) => o.metadata.name === 'restrict-workload-identity')!;
    expect(policy.kind).toBe('ValidatingPolicy');
    expect(policy.spec.autogen).toBeUndefined();
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      {
        apiGroups: [''],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['serviceaccounts'],
      },
    ]);
    expect(policy.spec.matchConstraints.namespaceSelector.matchExpressions[0]).toEqual({
      key: 'capsule.clastix.io/tenant',
      operator: 'Exists',
    });
    expect(policy.spec.variables.find((v: Json) => v.name === 'issued').expression).toBe(
      `{'dev-demo': ['${DEV}'], 'staging-jobs': ['${STAGING}']}`,
    );
  });

  test('the legacy ClusterPolicy matches ServiceAccounts the same way', () => {
    const policy = policies({ workloadIdentities: GRANTS, api: PolicyApi.LEGACY }).find(
      (o) => o.metadata.name === 'restrict-workload-identity',
    )!;
    const rule = policy.spec.rules[0];
    expect(rule.match.any[0].resources.kinds).toEqual(['ServiceAccount']);
    expect(rule.match.any[0].resources.namespaceSelector.matchExpressions[0]).toEqual({
      key: 'capsule.clastix.io/tenant',
      operator: 'Exists',
    });
    expect(policy.metadata.annotations).not.toHaveProperty(['pod-policies.kyverno.io/autogen-controllers']);
  });

  test.each<[string, KyvernoPoliciesProps['workloadIdentities'], string]>([
    [
      'a namespace that is no name',
      [{ namespace: 'Dev', clientIds: [] }],
      'workloadIdentities[0].namespace: "Dev" is not a namespace name',
    ],
    [
      'a client id that is no UUID',
      [{ namespace: 'dev', clientIds: ['api'] }],
      'workloadIdentities[0].clientIds[0]: "api" is not a client id (a UUID)',
    ],
  ])('refused: %s', (_what, workloadIdentities, message) => {
    expect(() => policies({ workloadIdentities })).toThrow(new PlatformError(message));
  });
});

describe('the folder check of an application against the platform', () => {
  // The reference platform with a second identity, for a workload of the staging tenant.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-folder-'));
  const reference = fs.readFileSync('apps/platform.yaml', 'utf8');
  const configFile = path.join(dir, 'platform.yaml');
  fs.writeFileSync(
    configFile,
    reference.replace('keyVaults:\n  dev: {}\n', 'keyVaults:\n  dev: {}\n  staging: {}\n') +
      stringify([
        {
          name: 'mailer',
          tenant: 'staging',
          namespace: 'staging-jobs',
          kind: 'Job',
          image: 'awcapsule.azurecr.io/mailer:1.0.0',
          keyVault: { secrets: [{ name: 'smtp-password' }] },
        },
      ])
        .split('\n')
        .map((l) => (l ? `  ${l}` : l))
        .join('\n'),
  );
  const outputs = JSON.parse(fs.readFileSync('apps/platform-outputs.example.json', 'utf8'));
  outputs.infra['workload_identity_staging-jobs_mailer_client_id'] = STAGING;
  const outputsFile = path.join(dir, 'outputs.json');
  fs.writeFileSync(outputsFile, JSON.stringify(outputs));

  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  const exampleClientId = outputs.infra['workload_identity_dev-demo_demo-api_client_id'];

  test("a ServiceAccount of dev-demo presenting staging's identity is denied, its own is admitted", () => {
    fs.writeFileSync(
      path.join(app, 'service-accounts.yaml'),
      [serviceAccount('dev-demo', STAGING, 'borrowed'), serviceAccount('dev-demo', exampleClientId, 'own')]
        .map((o) => stringify(o))
        .join('---\n'),
    );
    const check = checkFolder({ target: app, platform: { configFile, outputsFile } });
    const text = formatFolderCheck(check);
    expect(text).toContain(
      `DENY  restrict-workload-identity: ServiceAccount/dev-demo/borrowed (${path.join(app, 'service-accounts.yaml')}:1:1): A ServiceAccount of a tenant namespace may only carry a workload identity client id that the platform issued to that namespace. Client id: ${STAGING}, namespace: dev-demo`,
    );
    expect(check.result.violations.map((v) => v.resource.name)).toEqual(['borrowed']);
    expect(text).toMatch(/1 would be denied$/);
  });
});
