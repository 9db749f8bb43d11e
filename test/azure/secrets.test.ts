import { AzureRole } from '../../lib/azure/cluster-access';
import { ContainerRegistry, ContainerRegistrySku } from '../../lib/azure/container-registry';
import { KeyVault, KeyVaultSku } from '../../lib/azure/key-vault';
import { PrincipalType } from '../../lib/azure/role-principal';
import { WorkloadIdentity } from '../../lib/azure/workload-identity';
import { ConstructError } from '../../lib/platform-file';
import { Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PlatformStack } from '../../lib/azure/platform-stack';
import { only, platform, resources, synth, synthPlatform } from './helpers';

/** A stack naming resources after their construct path, as the platform's stacks do. */
function testStack(): PlatformStack {
  const stack = new PlatformStack(Testing.app(), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const GROUP = 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58';
const WORKSPACE =
  '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/demo/providers/Microsoft.OperationalInsights/workspaces/logs';
const VAULT_ID =
  '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/shared/providers/Microsoft.KeyVault/vaults/kv-shared';
const REGISTRY_ID =
  '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/SharedImages';
const ISSUER = 'https://francecentral.oic.prod-aks.azure.com/72f988bf/0d6a8c21/';

const vaultProps = { name: 'kv-dev', location: 'francecentral', resourceGroupName: 'demo', tenantId: TENANT };

describe('KeyVault', () => {
  test('GIVEN defaults THEN RBAC only, purge protection, 90 days of soft delete, public access, no role', () => {
    const stack = testStack();
    new KeyVault(stack, 'vault', vaultProps);
    const tf = synth(stack);
    expect(only(tf, 'azurerm_key_vault')).toMatchObject({
      name: 'kv-dev',
      tenant_id: TENANT,
      sku_name: 'standard',
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: true,
      enabled_for_deployment: false,
      enabled_for_disk_encryption: false,
      enabled_for_template_deployment: false,
    });
    expect(only(tf, 'azurerm_key_vault')).not.toHaveProperty('access_policy');
    expect(resources(tf, 'azurerm_role_assignment')).toEqual({});
    expect(resources(tf, 'azurerm_monitor_diagnostic_setting')).toEqual({});
  });

  test('GIVEN options and a workspace THEN the audit logs go there', () => {
    const stack = testStack();
    const vault = new KeyVault(stack, 'vault', {
      ...vaultProps,
      sku: KeyVaultSku.PREMIUM,
      softDeleteRetentionDays: 7,
      publicNetworkAccessEnabled: false,
      logAnalyticsWorkspaceId: WORKSPACE,
    });
    vault.grant(
      'owners',
      { principalId: GROUP, principalType: PrincipalType.GROUP },
      AzureRole.KEY_VAULT_SECRETS_OFFICER,
    );
    const tf = synth(stack);
    expect(only(tf, 'azurerm_key_vault')).toMatchObject({
      sku_name: 'premium',
      soft_delete_retention_days: 7,
      public_network_access_enabled: false,
    });
    expect(only(tf, 'azurerm_monitor_diagnostic_setting')).toEqual(
      expect.objectContaining({
        name: 'audit-to-log-analytics',
        target_resource_id: '${azurerm_key_vault.vault.id}',
        log_analytics_workspace_id: WORKSPACE,
        enabled_log: [{ category_group: 'audit' }],
      }),
    );
    expect(only(tf, 'azurerm_role_assignment')).toMatchObject({
      scope: '${azurerm_key_vault.vault.id}',
      role_definition_name: 'Key Vault Secrets Officer',
      principal_id: GROUP,
      principal_type: 'Group',
    });
  });

  test('a referenced vault: nothing created, roles scoped to its resource id', () => {
    const stack = testStack();
    const vault = KeyVault.fromResourceId(stack, 'shared', VAULT_ID);
    expect(vault.vaultName).toBe('kv-shared');
    vault.grant(
      'reader',
      { principalId: GROUP, principalType: PrincipalType.GROUP },
      AzureRole.KEY_VAULT_READER,
    );
    const tf = synth(stack);
    expect(resources(tf, 'azurerm_key_vault')).toEqual({});
    expect(only(tf, 'azurerm_role_assignment')).toMatchObject({
      scope: VAULT_ID,
      role_definition_name: 'Key Vault Reader',
    });
  });

  test.each<[string, () => unknown, string]>([
    [
      'every refused prop at once',
      () =>
        new KeyVault(testStack(), 'vault', {
          ...vaultProps,
          name: 'kv_dev',
          softDeleteRetentionDays: 3,
          tenantId: 'contoso',
        }),
      'KeyVault test/vault: 3 problems\n' +
        '  - name: "kv_dev" is not a Key Vault name (3 to 24 letters, digits and single \'-\', starting with a letter, ending with a letter or digit)\n' +
        '  - softDeleteRetentionDays: 3 is not a whole number from 7 to 90\n' +
        '  - tenantId: "contoso" is not an Entra tenant id (a UUID)',
    ],
    [
      'a resource id of something else',
      () => KeyVault.fromResourceId(testStack(), 'shared', REGISTRY_ID),
      `KeyVault.fromResourceId test/shared: resourceId: "${REGISTRY_ID.slice(0, 76)}... is not a Key Vault resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>)`,
    ],
  ])('refused: %s', (_what, build, message) => {
    expect(build).toThrow(ConstructError);
    expect(build).toThrow(message);
  });
});

describe('WorkloadIdentity', () => {
  function identity(roles: AzureRole[], extra: Record<string, unknown> = {}) {
    const stack = testStack();
    const vault = new KeyVault(stack, 'vault', vaultProps);
    new WorkloadIdentity(stack, 'api', {
      name: 'shop_api',
      location: 'francecentral',
      resourceGroupName: 'demo',
      oidcIssuerUrl: ISSUER,
      namespace: 'shop',
      serviceAccount: 'api',
      keyVault: vault,
      keyVaultRoles: roles,
      ...extra,
    });
    return synth(stack);
  }

  test('an identity federated with one ServiceAccount, reading one vault', () => {
    const tf = identity([AzureRole.KEY_VAULT_SECRETS_USER]);
    expect(only(tf, 'azurerm_user_assigned_identity')).toMatchObject({
      name: 'shop_api',
      location: 'francecentral',
    });
    expect(only(tf, 'azurerm_federated_identity_credential')).toMatchObject({
      name: 'kubernetes',
      parent_id: '${azurerm_user_assigned_identity.api.id}',
      issuer: ISSUER,
      subject: 'system:serviceaccount:shop:api',
      audience: ['api://AzureADTokenExchange'],
    });
    expect(only(tf, 'azurerm_role_assignment')).toMatchObject({
      scope: '${azurerm_key_vault.vault.id}',
      role_definition_name: 'Key Vault Secrets User',
      principal_id: '${azurerm_user_assigned_identity.api.principal_id}',
      principal_type: 'ServicePrincipal',
    });
  });

  test('keys and certificates are read as their public part: Key Vault Reader', () => {
    const tf = identity([AzureRole.KEY_VAULT_SECRETS_USER, AzureRole.KEY_VAULT_READER], {
      federationName: 'blue-aks',
    });
    expect(resources(tf, 'azurerm_role_assignment')).toEqual({
      api_secrets_user: expect.objectContaining({ role_definition_name: 'Key Vault Secrets User' }),
      api_reader: expect.objectContaining({ role_definition_name: 'Key Vault Reader' }),
    });
    expect(only(tf, 'azurerm_federated_identity_credential').name).toBe('blue-aks');
  });

  test('refused: no role, a write role, a bad namespace, a bad name', () => {
    expect(() => identity([AzureRole.KEY_VAULT_SECRETS_OFFICER], { namespace: 'Shop', name: 'x' })).toThrow(
      'WorkloadIdentity test/api: 3 problems\n' +
        "  - name: \"x\" is not a managed identity name (3 to 128 letters, digits, '-' and '_')\n" +
        '  - namespace: "Shop" is not a namespace name\n' +
        '  - keyVaultRoles[0]: "Key Vault Secrets Officer" is not a read role of Key Vault (Key Vault Secrets User, Key Vault Reader)',
    );
    expect(() => identity([])).toThrow(
      'WorkloadIdentity test/api: keyVaultRoles: lists no role: the identity would read nothing',
    );
  });
});

describe('ContainerRegistry', () => {
  test('no admin user, no anonymous pull, AcrPull on the registry only', () => {
    const stack = testStack();
    const registry = new ContainerRegistry(stack, 'registry', {
      name: 'ShopImages',
      location: 'francecentral',
      resourceGroupName: 'demo',
      logAnalyticsWorkspaceId: WORKSPACE,
    });
    registry.grantPull('kubelet', GROUP);
    expect(registry.loginServer).toBe('shopimages.azurecr.io');
    const tf = synth(stack);
    expect(only(tf, 'azurerm_container_registry')).toMatchObject({
      name: 'ShopImages',
      sku: 'Standard',
      admin_enabled: false,
      anonymous_pull_enabled: false,
      public_network_access_enabled: true,
    });
    expect(only(tf, 'azurerm_role_assignment')).toMatchObject({
      scope: '${azurerm_container_registry.registry.id}',
      role_definition_name: 'AcrPull',
      principal_id: GROUP,
      principal_type: 'ServicePrincipal',
    });
    expect(only(tf, 'azurerm_monitor_diagnostic_setting').target_resource_id).toBe(
      '${azurerm_container_registry.registry.id}',
    );
  });

  test('a referenced registry: nothing created, its login server from the name', () => {
    const stack = testStack();
    const registry = ContainerRegistry.fromResourceId(stack, 'shared', REGISTRY_ID);
    registry.grantPull('kubelet', GROUP);
    expect(registry.loginServer).toBe('sharedimages.azurecr.io');
    const tf = synth(stack);
    expect(resources(tf, 'azurerm_container_registry')).toEqual({});
    expect(only(tf, 'azurerm_role_assignment').scope).toBe(REGISTRY_ID);
  });

  test('refused: a bad name, private access without Premium', () => {
    expect(
      () =>
        new ContainerRegistry(testStack(), 'registry', {
          name: 'shop-images',
          location: 'francecentral',
          resourceGroupName: 'demo',
          sku: ContainerRegistrySku.STANDARD,
          publicNetworkAccessEnabled: false,
        }),
    ).toThrow(
      'ContainerRegistry test/registry: 2 problems\n' +
        '  - name: "shop-images" is not a container registry name (5 to 50 letters and digits)\n' +
        '  - publicNetworkAccessEnabled: false needs ContainerRegistrySku.PREMIUM (only Premium registries take private endpoints), got "Standard"',
    );
  });
});

describe('the infra stack from the platform file', () => {
  const VAULTS = (p: Record<string, any>) => {
    p.keyVaults = {
      dev: { name: 'kv-aw-dev' },
      shared: {
        tenant: 'dev',
        resourceId: VAULT_ID,
      },
      staging: {},
    };
    p.workloads = [
      { ...p.workloads[0], keyVault: { secrets: [{ name: 'db' }, { name: 'tls', type: 'cert' }] } },
      {
        ...p.workloads[0],
        name: 'keys',
        keyVault: { vault: 'shared', secrets: [{ name: 'signing', type: 'key' }] },
      },
      {
        ...p.workloads[0],
        name: 'elsewhere',
        keyVault: { clientId: '5c3f1a2b-8d4e-4f60-9a7b-0c1d2e3f4a5b', secrets: [{ name: 'db' }] },
      },
    ];
    p.containerRegistry = { resourceId: REGISTRY_ID };
  };

  test('vaults, an identity per workload, roles by object type, owners as Secrets Officers', () => {
    const { infra } = synthPlatform(platform(VAULTS));
    expect(Object.keys(resources(infra, 'azurerm_key_vault'))).toEqual(['vault_dev', 'vault_staging']);
    // The identity made elsewhere gets nothing from the stack.
    expect(Object.values(resources(infra, 'azurerm_user_assigned_identity')).map((r) => r.name)).toEqual([
      'dev-demo_demo-api',
      'dev-demo_keys',
    ]);
    const roles = Object.entries(resources(infra, 'azurerm_role_assignment'))
      .filter(([name]) => !name.startsWith('access_'))
      .map(([name, r]) => [name, r.role_definition_name, r.scope, r.principal_id])
      .sort();
    expect(roles).toEqual(
      [
        [
          'vault_dev_secrets_officer_dev',
          'Key Vault Secrets Officer',
          '${azurerm_key_vault.vault_dev.id}',
          '${azuread_group.group_dev.object_id}',
        ],
        [
          'vault_staging_secrets_officer_staging',
          'Key Vault Secrets Officer',
          '${azurerm_key_vault.vault_staging.id}',
          '${azuread_group.group_staging.object_id}',
        ],
        [
          'vault_staging_secrets_officer_sre',
          'Key Vault Secrets Officer',
          '${azurerm_key_vault.vault_staging.id}',
          '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0',
        ],
        [
          'identity_dev_demo__demo_api_secrets_user',
          'Key Vault Secrets User',
          '${azurerm_key_vault.vault_dev.id}',
          '${azurerm_user_assigned_identity.identity_dev_demo__demo_api.principal_id}',
        ],
        [
          'identity_dev_demo__demo_api_reader',
          'Key Vault Reader',
          '${azurerm_key_vault.vault_dev.id}',
          '${azurerm_user_assigned_identity.identity_dev_demo__demo_api.principal_id}',
        ],
        [
          'identity_dev_demo__keys_reader',
          'Key Vault Reader',
          VAULT_ID,
          '${azurerm_user_assigned_identity.identity_dev_demo__keys.principal_id}',
        ],
        [
          'registry_kubelet_pull',
          'AcrPull',
          REGISTRY_ID,
          '${azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id}',
        ],
      ].sort(),
    );
    expect(
      Object.keys(infra.output).filter((o) => !o.startsWith('group_') && !o.startsWith('cross_')),
    ).toEqual([
      'azure_tenant_id',
      'container_registry_login_server',
      'workload_identity_dev-demo_demo-api_client_id',
      'workload_identity_dev-demo_keys_client_id',
    ]);
    expect(infra.output.container_registry_login_server.value).toBe('sharedimages.azurecr.io');
  });

  test('without vaults and registry: only the tenant output', () => {
    const { infra } = synthPlatform(platform());
    expect(resources(infra, 'azurerm_key_vault')).toEqual({});
    expect(resources(infra, 'azurerm_user_assigned_identity')).toEqual({});
    expect(resources(infra, 'azurerm_container_registry')).toEqual({});
    expect(infra.output.azure_tenant_id.value).toBe('${data.azurerm_client_config.current.tenant_id}');
  });
});
