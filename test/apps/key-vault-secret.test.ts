// One secret of the reference platform, followed from the platform file through both apps: the
// vault, the role assignment scoped to it, the identity, the federated credential, and (after a
// simulated `cdktf deploy --outputs-file`) the ServiceAccount, the pods and the SecretProviderClass.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { synthAzurePlatform } from '../../lib/azure/synth';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { loadPlatformFile } from '../../lib/platform-file';
import { runCaptured, STACK_FRAME } from '../support/run-app';

const REFERENCE = 'apps/platform.yaml';
// Ids unlike those of the example outputs file: what the YAML carries must come from the deploy.
const TENANT_ID = '0d6a8c21-5e3b-4f7a-9c1d-2b4e6f8a0c13';
const CLIENT_ID = 'e8f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b';

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function yamlFile(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON());
}

/** `${type.name.attribute}`: how Terraform JSON refers to an attribute of a resource. */
const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

describe('a Key Vault secret of the reference platform, from the platform file to the pod', () => {
  const spec = loadPlatformFile(REFERENCE);
  const workload = spec.workloads.find((w) => w.keyVault)!;
  const secret = workload.keyVault!.secrets[0];
  const vaultSpec = spec.keyVaults[workload.tenant];

  const cdktfOut = tmp('secret-path-tf-');
  synthAzurePlatform({ configFile: REFERENCE, outdir: cdktfOut });
  const infra = JSON.parse(fs.readFileSync(path.join(cdktfOut, 'stacks/infra/cdk.tf.json'), 'utf8'));
  const resources = (type: string): [string, any][] =>
    Object.entries(infra.resource[type] ?? {}).map(([name, r]) => [`${type}.${name}`, r]);
  const one = (type: string, match: (r: any) => boolean): [string, any] => {
    const found = resources(type).filter(([, r]) => match(r));
    expect(found).toHaveLength(1);
    return found[0];
  };

  const [vault, vaultResource] = one('azurerm_key_vault', (r) => r.name === vaultSpec.name);
  const [identity] = one('azurerm_user_assigned_identity', (r) => r.name === 'dev-demo_demo-api');

  test('the platform file: one workload reads one secret of its tenant vault', () => {
    expect(workload).toMatchObject({ name: 'demo-api', namespace: 'dev-demo', tenant: 'dev' });
    expect(secret).toEqual({ name: 'demo-api-greeting', type: 'secret', file: 'greeting' });
    expect(workload.keyVault).not.toHaveProperty('clientId');
    expect(vaultSpec).toEqual({ tenant: 'dev', name: 'aw-capsule-dev' });
  });

  test('the vault: Azure RBAC only, soft delete and purge protection, audit logs to the cluster workspace', () => {
    expect(vaultResource).toMatchObject({
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: true,
      tenant_id: ref('data.azurerm_client_config.current', 'tenant_id'),
    });
    expect(vaultResource).not.toHaveProperty('access_policy');
    const [, logs] = one(
      'azurerm_monitor_diagnostic_setting',
      (r) => r.target_resource_id === ref(vault, 'id'),
    );
    const cluster = Object.values(infra.resource.azurerm_kubernetes_cluster)[0] as any;
    expect(logs.log_analytics_workspace_id).toBe(cluster.oms_agent.log_analytics_workspace_id);
    expect(logs.enabled_log).toEqual([{ category_group: 'audit' }]);
  });

  test('the identity holds Key Vault Secrets User on that vault, and no other role anywhere', () => {
    const assignments = resources('azurerm_role_assignment').filter(
      ([, r]) => r.principal_id === ref(identity, 'principal_id'),
    );
    expect(assignments.map(([, r]) => r)).toEqual([
      expect.objectContaining({
        scope: ref(vault, 'id'),
        role_definition_name: 'Key Vault Secrets User',
        principal_type: 'ServicePrincipal',
      }),
    ]);
    // The tenant's owners keep the secrets; no one else has a role on the vault.
    const onVault = resources('azurerm_role_assignment').filter(([, r]) => r.scope === ref(vault, 'id'));
    expect(onVault.map(([, r]) => [r.role_definition_name, r.principal_id]).sort()).toEqual([
      ['Key Vault Secrets Officer', ref('azuread_group.group_dev', 'object_id')],
      ['Key Vault Secrets User', ref(identity, 'principal_id')],
    ]);
  });

  test('the federated credential trusts exactly the workload ServiceAccount, on the cluster issuer', () => {
    const [, credential] = one(
      'azurerm_federated_identity_credential',
      (r) => r.parent_id === ref(identity, 'id'),
    );
    expect(credential).toMatchObject({
      issuer: ref('azurerm_kubernetes_cluster.aks', 'oidc_issuer_url'),
      subject: 'system:serviceaccount:dev-demo:demo-api',
      audience: ['api://AzureADTokenExchange'],
    });
  });

  test('the outputs hand the client id and the tenant to the Kubernetes app', () => {
    expect(infra.output['workload_identity_dev-demo_demo-api_client_id'].value).toBe(
      ref(identity, 'client_id'),
    );
    expect(infra.output.azure_tenant_id.value).toBe(ref('data.azurerm_client_config.current', 'tenant_id'));
  });

  describe('after cdktf deploy infra --outputs-file outputs.json', () => {
    // What the deploy writes: every output of the stack, with the values Azure gave.
    const deployed: Record<string, string> = {};
    Object.keys(infra.output)
      .filter((name) => name.startsWith('group_'))
      .forEach((name, i) => (deployed[name] = `3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a${10 + i}`));
    deployed['workload_identity_dev-demo_demo-api_client_id'] = CLIENT_ID;
    deployed.azure_tenant_id = TENANT_ID;
    const outputsFile = path.join(tmp('secret-path-outputs-'), 'outputs.json');
    fs.writeFileSync(outputsFile, JSON.stringify({ infra: deployed }));

    const dist = tmp('secret-path-dist-');
    synthKubernetesPlatform({
      configFile: REFERENCE,
      outputsFile,
      outdir: dist,
      reportsDir: `${dist}-reports`,
    });
    const workloads = yamlFile(path.join(dist, 'workloads.k8s.yaml'));
    const find = (kind: string) => workloads.find((o) => o.kind === kind && o.metadata.name === 'demo-api');
    const [, , namespace, serviceAccount] = 'system:serviceaccount:dev-demo:demo-api'.split(':');

    test('the ServiceAccount of the federated subject carries the deployed client and tenant ids', () => {
      const sa = find('ServiceAccount');
      expect(sa.metadata).toMatchObject({ name: serviceAccount, namespace });
      expect(sa.metadata.annotations).toEqual({
        'azure.workload.identity/client-id': CLIENT_ID,
        'azure.workload.identity/tenant-id': TENANT_ID,
      });
    });

    test('the pods use workload identity, as that ServiceAccount, and mount the vault read-only', () => {
      const pod = find('Deployment').spec.template;
      expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
      expect(pod.spec.serviceAccountName).toBe(serviceAccount);
      expect(pod.spec.volumes).toContainEqual({
        name: 'key-vault',
        csi: {
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          volumeAttributes: { secretProviderClass: 'demo-api' },
        },
      });
      expect(pod.spec.containers[0].volumeMounts).toContainEqual({
        name: 'key-vault',
        mountPath: '/mnt/secrets-store',
        readOnly: true,
      });
    });

    test('the SecretProviderClass names the vault Terraform creates, the identity and the secret', () => {
      const spc = find('SecretProviderClass');
      expect(spc.metadata.namespace).toBe(namespace);
      expect(spc.spec.parameters).toMatchObject({
        keyvaultName: vaultResource.name,
        clientID: CLIENT_ID,
        tenantId: TENANT_ID,
        usePodIdentity: 'false',
      });
      const objects = parse(spc.spec.parameters.objects).array.map((o: string) => parse(o));
      expect(objects).toEqual([{ objectName: secret.name, objectType: 'secret', objectAlias: 'greeting' }]);
    });

    test('the workload identity policy issues that client id to that namespace only', () => {
      const policies = yamlFile(path.join(dist, 'kyverno-policies.k8s.yaml'));
      const policy = policies.find((p) => p.metadata.name === 'restrict-workload-identity');
      const issued = policy.spec.variables.find((v: any) => v.name === 'issued').expression;
      expect(issued).toBe(`{'dev-demo': ['${CLIENT_ID}']}`);
      const results = yamlFile(path.join(`${dist}-reports`, 'policy-reports.yaml')).flatMap(
        (r) => r.results ?? [],
      );
      const judged = results.filter(
        (r: any) => r.policy === 'restrict-workload-identity' && r.resources[0].kind === 'ServiceAccount',
      );
      expect(judged.map((r: any) => [r.resources[0].name, r.result])).toEqual([['demo-api', 'pass']]);
    });

    test('no placeholder, no secret value, no Terraform expression in the YAML', () => {
      const text = fs
        .readdirSync(dist)
        .map((f) => fs.readFileSync(path.join(dist, f), 'utf8'))
        .join('\n');
      expect(text).not.toMatch(/\$\{|TfToken|00000000-0000-0000-0000-000000000000/);
      expect(workloads.filter((o) => o.kind === 'Secret')).toEqual([]);
    });

    test('without the identity output, the synth names the workload and how to get it', () => {
      const partial = path.join(tmp('secret-path-partial-'), 'outputs.json');
      const rest = { ...deployed };
      delete rest['workload_identity_dev-demo_demo-api_client_id'];
      fs.writeFileSync(partial, JSON.stringify({ infra: rest }));
      const out = tmp('secret-path-refused-');
      const run = runCaptured('kubernetes', () =>
        synthKubernetesPlatform({
          configFile: REFERENCE,
          outputsFile: partial,
          outdir: out,
          reportsDir: `${out}-r`,
        }),
      );
      expect(run.code).toBe(1);
      expect(run.err).not.toMatch(STACK_FRAME);
      expect(run.err).toContain(
        `  - workload dev-demo/demo-api (workloads[0]): ${partial} has no output workload_identity_dev-demo_demo-api_client_id\n`,
      );
      expect(run.err).toContain('`cdktf deploy infra --outputs-file outputs.json`');
      expect(run.err).toContain('give workloads[].keyVault.clientId for an identity made elsewhere');
      expect(fs.readdirSync(out)).toEqual([]);
    });
  });
});
