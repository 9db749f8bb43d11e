import { TerraformOutput } from 'cdktf';
import { AksCluster, AksClusterProps } from '../../lib/azure/aks-cluster';
import {
  ApiServerAccess,
  NetworkPluginMode,
  NetworkPolicy,
  NodeOsUpgradeChannel,
  OsDiskType,
  SkuTier,
  TaintEffect,
  UpgradeChannel,
} from '../../lib/azure/cluster-options';
import { PlatformError } from '../../lib/platform-file';
import { only, resources, synth, testStack } from './helpers';

const ADMINS = '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13';

function props(overrides: Partial<AksClusterProps> = {}): AksClusterProps {
  return {
    name: 'demo-aks',
    location: 'francecentral',
    resourceGroupName: 'demo',
    adminGroupObjectIds: [ADMINS],
    apiServerAccess: ApiServerAccess.fromIpRanges(['203.0.113.0/24']),
    ...overrides,
  };
}

function cluster(overrides: Partial<AksClusterProps> = {}, withPool = false) {
  const stack = testStack();
  const aks = new AksCluster(stack, 'aks', props(overrides));
  if (withPool) aks.addUserPool({ name: 'apps' });
  const tf = synth(stack);
  return { tf, aks: only(tf, 'azurerm_kubernetes_cluster') };
}

describe('AksCluster defaults: the hardened baseline', () => {
  const { tf, aks } = cluster({}, true);

  test('Entra ID with Azure RBAC and the admin groups; no local accounts; RBAC explicit', () => {
    expect(aks.azure_active_directory_role_based_access_control).toEqual({
      azure_rbac_enabled: true,
      admin_group_object_ids: [ADMINS],
    });
    expect(aks.local_account_disabled).toBe(true);
    expect(aks.role_based_access_control_enabled).toBe(true);
    expect(aks.identity).toEqual({ type: 'SystemAssigned' });
  });

  test('the API server only answers the authorized ranges', () => {
    expect(aks.api_server_access_profile).toEqual({ authorized_ip_ranges: ['203.0.113.0/24'] });
    expect(aks.private_cluster_enabled).toBe(false);
  });

  test('Azure CNI overlay with the calico network policy', () => {
    expect(aks.network_profile).toMatchObject({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_policy: 'calico',
    });
  });

  test('OIDC issuer, workload identity, Key Vault secrets provider with rotation', () => {
    expect(aks.oidc_issuer_enabled).toBe(true);
    expect(aks.workload_identity_enabled).toBe(true);
    expect(aks.key_vault_secrets_provider).toEqual({ secret_rotation_enabled: true });
  });

  test('upgrade channels and the Standard tier', () => {
    expect(aks.automatic_upgrade_channel).toBe('patch');
    expect(aks.node_os_upgrade_channel).toBe('NodeImage');
    expect(aks.sku_tier).toBe('Standard');
  });

  test('Container Insights with a keyless workspace and its data collection rule', () => {
    const workspace = only(tf, 'azurerm_log_analytics_workspace');
    expect(workspace).toMatchObject({ retention_in_days: 30, local_authentication_enabled: false });
    expect(aks.oms_agent).toEqual({
      log_analytics_workspace_id: expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/),
      msi_auth_for_monitoring_enabled: true,
    });
    const rule = only(tf, 'azurerm_monitor_data_collection_rule');
    expect(rule.data_sources.extension[0]).toMatchObject({
      extension_name: 'ContainerInsights',
      streams: ['Microsoft-ContainerInsights-Group-Default'],
    });
    expect(only(tf, 'azurerm_monitor_data_collection_rule_association')).toMatchObject({
      target_resource_id: expect.stringMatching(/^\$\{azurerm_kubernetes_cluster\.\w+\.id\}$/),
      data_collection_rule_id: expect.stringMatching(/^\$\{azurerm_monitor_data_collection_rule\.\w+\.id\}$/),
    });
  });

  test('a system pool for critical add-ons only, autoscaled over 3 zones, ephemeral and host-encrypted', () => {
    expect(aks.default_node_pool).toMatchObject({
      name: 'system',
      only_critical_addons_enabled: true,
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 5,
      zones: ['1', '2', '3'],
      max_pods: 110,
      os_disk_type: 'Ephemeral',
      host_encryption_enabled: true,
    });
  });

  test('user pools get the same hardening', () => {
    const pool = only(tf, 'azurerm_kubernetes_cluster_node_pool');
    expect(pool).toMatchObject({
      name: 'apps',
      mode: 'User',
      kubernetes_cluster_id: expect.stringMatching(/^\$\{azurerm_kubernetes_cluster\.\w+\.id\}$/),
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 5,
      zones: ['1', '2', '3'],
      os_disk_type: 'Ephemeral',
      host_encryption_enabled: true,
    });
    expect(pool.max_pods).toBeGreaterThanOrEqual(50);
  });
});

describe('AksCluster overrides', () => {
  test('every default can be changed explicitly', () => {
    const { tf, aks } = cluster({
      apiServerAccess: ApiServerAccess.privateEndpoint(),
      skuTier: SkuTier.PREMIUM,
      networkPolicy: NetworkPolicy.CILIUM,
      upgradeChannel: UpgradeChannel.STABLE,
      nodeOsUpgradeChannel: NodeOsUpgradeChannel.SECURITY_PATCH,
      kubernetesVersion: '1.33',
      localAccountDisabled: false,
      azureRbacEnabled: false,
      workloadIdentityEnabled: false,
      keyVaultSecretsProviderEnabled: false,
      logAnalyticsWorkspaceId:
        '/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/z',
      systemPool: {
        vmSize: 'Standard_D8ds_v5',
        minCount: 1,
        maxCount: 2,
        zones: ['1'],
        maxPods: 60,
        osDiskType: OsDiskType.MANAGED,
        hostEncryptionEnabled: false,
      },
    });
    expect(aks).toMatchObject({
      private_cluster_enabled: true,
      sku_tier: 'Premium',
      automatic_upgrade_channel: 'stable',
      node_os_upgrade_channel: 'SecurityPatch',
      kubernetes_version: '1.33',
      local_account_disabled: false,
      oidc_issuer_enabled: false,
      workload_identity_enabled: false,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: false },
      network_profile: { network_policy: 'cilium', network_data_plane: 'cilium' },
      default_node_pool: {
        vm_size: 'Standard_D8ds_v5',
        min_count: 1,
        max_count: 2,
        zones: ['1'],
        max_pods: 60,
        os_disk_type: 'Managed',
        host_encryption_enabled: false,
      },
    });
    expect(aks).not.toHaveProperty('api_server_access_profile');
    expect(aks).not.toHaveProperty('key_vault_secrets_provider');
    expect(resources(tf, 'azurerm_log_analytics_workspace')).toEqual({});
    expect(aks.oms_agent.log_analytics_workspace_id).toMatch(/workspaces\/z$/);
  });

  test('user pool labels and taints', () => {
    const stack = testStack();
    const aks = new AksCluster(stack, 'aks', props());
    aks.addUserPool({
      name: 'gpu',
      labels: [{ key: 'workload', value: 'gpu' }],
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: TaintEffect.NO_SCHEDULE }],
    });
    expect(only(synth(stack), 'azurerm_kubernetes_cluster_node_pool')).toMatchObject({
      node_labels: { workload: 'gpu' },
      node_taints: ['nvidia.com/gpu=present:NoSchedule'],
    });
  });
});

describe('AksCluster rejects unsafe or impossible props', () => {
  const base = () => props();
  test.each<[string, () => unknown, RegExp]>([
    [
      'no admin group',
      () => new AksCluster(testStack(), 'aks', { ...base(), adminGroupObjectIds: [] }),
      /AksCluster\(aks\)\.adminGroupObjectIds needs at least one group/,
    ],
    [
      'an admin group that is not an object id',
      () => new AksCluster(testStack(), 'aks', { ...base(), adminGroupObjectIds: ['admins'] }),
      /adminGroupObjectIds\[0\] must be an Entra object id .*got "admins"/,
    ],
    [
      'a patch version with an upgrade channel',
      () => new AksCluster(testStack(), 'aks', { ...base(), kubernetesVersion: '1.33.2' }),
      /kubernetesVersion "1\.33\.2" pins a patch while upgradeChannel is patch/,
    ],
    [
      'a malformed version',
      () => new AksCluster(testStack(), 'aks', { ...base(), kubernetesVersion: 'latest' }),
      /kubernetesVersion must look like 1\.33 or 1\.33\.2, got "latest"/,
    ],
    [
      'node-image with another node OS channel',
      () =>
        new AksCluster(testStack(), 'aks', {
          ...base(),
          upgradeChannel: UpgradeChannel.NODE_IMAGE,
          nodeOsUpgradeChannel: NodeOsUpgradeChannel.NONE,
        }),
      /nodeOsUpgradeChannel must be NodeImage when upgradeChannel is node-image, got "None"/,
    ],
    [
      'cilium without overlay',
      () =>
        new AksCluster(testStack(), 'aks', {
          ...base(),
          networkPolicy: NetworkPolicy.CILIUM,
          networkPluginMode: NetworkPluginMode.VNET,
        }),
      /networkPolicy cilium needs networkPluginMode overlay/,
    ],
    [
      'a short log retention',
      () => new AksCluster(testStack(), 'aks', { ...base(), logRetentionDays: 7 }),
      /logRetentionDays must be a whole number from 30 to 730, got 7/,
    ],
    [
      'fewer than 50 pods per node',
      () => new AksCluster(testStack(), 'aks', { ...base(), systemPool: { maxPods: 30 } }),
      /systemPool\.maxPods must be a whole number from 50 to 250, got 30/,
    ],
    [
      'minCount above maxCount',
      () => new AksCluster(testStack(), 'aks', { ...base(), systemPool: { minCount: 6, maxCount: 5 } }),
      /systemPool\.minCount \(6\) is greater than maxCount \(5\)/,
    ],
    [
      'an unknown zone',
      () => new AksCluster(testStack(), 'aks', { ...base(), systemPool: { zones: ['4'] } }),
      /systemPool\.zones must list distinct zones .*got \["4"\]/,
    ],
    [
      'a bad VM size',
      () => new AksCluster(testStack(), 'aks', { ...base(), systemPool: { vmSize: 'D4' } }),
      /systemPool\.vmSize must be an Azure VM size .*got "D4"/,
    ],
    [
      'a bad cluster name',
      () => new AksCluster(testStack(), 'aks', { ...base(), name: '-aks' }),
      /AksCluster\(aks\)\.name must be .*got "-aks"/,
    ],
    [
      'an API server open to the internet',
      () => ApiServerAccess.fromIpRanges(['0.0.0.0/0']),
      /"0\.0\.0\.0\/0" opens the API server to the whole internet/,
    ],
    [
      'no authorized range',
      () => ApiServerAccess.fromIpRanges([]),
      /needs at least one IPv4 range, got \[\]/,
    ],
    [
      'a range with host bits',
      () => ApiServerAccess.fromIpRanges(['203.0.113.7/24']),
      /"203\.0\.113\.7\/24" is not an IPv4 network in CIDR notation/,
    ],
  ])('%s', (_what, build, message) => {
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a bad pool name',
      { name: 'Apps' },
      /AksUserNodePool\(Apps\)\.name must be lowercase letters and digits.*got "Apps"/,
    ],
    ['the system pool name', { name: 'system' }, /"system" is the name of the system pool/],
    [
      'a bad label',
      { name: 'apps', labels: [{ key: 'bad key', value: 'x' }] },
      /labels has an invalid Kubernetes label/,
    ],
    [
      'a bad taint',
      { name: 'apps', taints: [{ key: 'k', value: 'a b', effect: TaintEffect.NO_EXECUTE }] },
      /taints has an invalid taint/,
    ],
  ])('user pool: %s', (_what, options, message) => {
    const aks = new AksCluster(testStack(), 'aks', props());
    expect(() => aks.addUserPool(options as never)).toThrow(message);
  });

  test('two user pools with the same name', () => {
    const aks = new AksCluster(testStack(), 'aks', props());
    aks.addUserPool({ name: 'apps' });
    expect(() => aks.addUserPool({ name: 'apps' })).toThrow(/already has a user pool named "apps"/);
  });
});

describe('AksCluster: each hardened choice pinned', () => {
  test('Calico: the Azure data plane, overlay, a standard load balancer', () => {
    const { aks } = cluster();
    expect(aks.network_profile).toEqual({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_policy: 'calico',
      network_data_plane: 'azure',
      load_balancer_sku: 'standard',
    });
  });

  test('Cilium: the Cilium data plane, with overlay given explicitly', () => {
    const { aks } = cluster({
      networkPolicy: NetworkPolicy.CILIUM,
      networkPluginMode: NetworkPluginMode.OVERLAY,
    });
    expect(aks.network_profile).toEqual({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_policy: 'cilium',
      network_data_plane: 'cilium',
      load_balancer_sku: 'standard',
    });
  });

  test('Calico with pod addresses from the virtual network: no plugin mode', () => {
    const { aks } = cluster({ networkPluginMode: NetworkPluginMode.VNET });
    expect(aks.network_profile).not.toHaveProperty('network_plugin_mode');
    expect(aks.network_profile).toMatchObject({ network_policy: 'calico', network_data_plane: 'azure' });
  });

  test('the node-image upgrade channel with NodeImage OS patching, given or by default', () => {
    for (const nodeOsUpgradeChannel of [NodeOsUpgradeChannel.NODE_IMAGE, undefined]) {
      const { aks } = cluster({ upgradeChannel: UpgradeChannel.NODE_IMAGE, nodeOsUpgradeChannel });
      expect(aks.automatic_upgrade_channel).toBe('node-image');
      expect(aks.node_os_upgrade_channel).toBe('NodeImage');
    }
  });

  test('another OS channel is fine with an upgrade channel other than node-image', () => {
    const { aks } = cluster({ nodeOsUpgradeChannel: NodeOsUpgradeChannel.NONE });
    expect(aks.automatic_upgrade_channel).toBe('patch');
    expect(aks.node_os_upgrade_channel).toBe('None');
  });

  test('the system pool rotates under a temporary name and surges by a third', () => {
    const { aks } = cluster();
    expect(aks.default_node_pool.temporary_name_for_rotation).toBe('systemtmp');
    expect(aks.default_node_pool.upgrade_settings).toEqual({ max_surge: '33%' });
    expect(aks.default_node_pool).not.toHaveProperty('orchestrator_version');
  });

  test('the name is also the DNS prefix; the created workspace and insights are named after it', () => {
    const { tf, aks } = cluster();
    expect(aks).toMatchObject({
      name: 'demo-aks',
      dns_prefix: 'demo-aks',
      location: 'francecentral',
      resource_group_name: 'demo',
    });
    expect(aks).not.toHaveProperty('node_resource_group');
    expect(aks).not.toHaveProperty('kubernetes_version');
    expect(only(tf, 'azurerm_log_analytics_workspace')).toMatchObject({
      name: 'demo-aks-logs',
      sku: 'PerGB2018',
      location: 'francecentral',
      resource_group_name: 'demo',
    });
    expect(only(tf, 'azurerm_monitor_data_collection_rule').name).toMatch(/^demo-aks-insights/);
  });

  test('a patch version is accepted without an upgrade channel', () => {
    const { aks } = cluster({ upgradeChannel: UpgradeChannel.NONE, kubernetesVersion: '1.33.2' });
    expect(aks.kubernetes_version).toBe('1.33.2');
    expect(aks.automatic_upgrade_channel).toBe('none');
  });

  test.each([
    ['a patch of two digits', '1.33.12'],
    ['a major of two digits', '10.0'],
  ])('a version with %s is accepted without an upgrade channel', (_what, kubernetesVersion) => {
    expect(cluster({ upgradeChannel: UpgradeChannel.NONE, kubernetesVersion }).aks.kubernetes_version).toBe(
      kubernetesVersion,
    );
  });

  test.each(['v1.33', '1.33x', '1', '1.33.'])('the version %s is refused', (kubernetesVersion) => {
    expect(() => cluster({ upgradeChannel: UpgradeChannel.NONE, kubernetesVersion })).toThrow(
      `AksCluster(aks).kubernetesVersion must look like 1.33 or 1.33.2, got "${kubernetesVersion}"`,
    );
  });

  test('user pools of different names sit side by side', () => {
    const stack = testStack();
    const aks = new AksCluster(stack, 'aks', props());
    aks.addUserPool({ name: 'apps' });
    aks.addUserPool({ name: 'batch' });
    expect(
      Object.values(resources(synth(stack), 'azurerm_kubernetes_cluster_node_pool')).map((p) => p.name),
    ).toEqual(['apps', 'batch']);
  });

  test('the API server host and CA certificate are read from kube_config', () => {
    const stack = testStack();
    const aks = new AksCluster(stack, 'aks', props());
    new TerraformOutput(stack, 'host', { value: aks.apiServerHost });
    new TerraformOutput(stack, 'ca', { value: aks.clusterCaCertificate });
    const { output } = synth(stack);
    expect(output.host.value).toMatch(/^\$\{azurerm_kubernetes_cluster\.\w+\.kube_config\[0\]\.host\}$/);
    expect(output.ca.value).toMatch(
      /^\$\{azurerm_kubernetes_cluster\.\w+\.kube_config\[0\]\.cluster_ca_certificate\}$/,
    );
  });

  test('the node resource group is passed on when given', () => {
    expect(cluster({ nodeResourceGroup: 'demo-nodes' }).aks.node_resource_group).toBe('demo-nodes');
  });

  test.each([
    ['two characters', 'ab'],
    ['54 characters', `a${'-'.repeat(52)}b`],
    ['upper case and digits', 'Demo1'],
  ])('a name of %s is accepted', (_what, name) => {
    expect(cluster({ name }).aks.dns_prefix).toBe(name);
  });

  test.each([
    ['one character', 'a'],
    ['55 characters', `a${'-'.repeat(53)}b`],
    ['a trailing dash', 'aks-'],
    ['a dot', 'demo.aks'],
    ['text around a valid name', 'x demo y'],
  ])('a name of %s is refused', (_what, name) => {
    expect(() => cluster({ name })).toThrow(
      `AksCluster(aks).name must be 2 to 54 letters, digits and '-', starting and ending with a letter or digit, got "${name}"`,
    );
  });

  test('an admin group listed twice is refused', () => {
    expect(() => cluster({ adminGroupObjectIds: [ADMINS, ADMINS] })).toThrow(
      `AksCluster(aks).adminGroupObjectIds lists "${ADMINS}" twice`,
    );
  });

  test('the log retention is accepted from 30 to 730 days, refused just past', () => {
    expect(
      only(cluster({ logRetentionDays: 730 }).tf, 'azurerm_log_analytics_workspace').retention_in_days,
    ).toBe(730);
    expect(() => cluster({ logRetentionDays: 29 })).toThrow(
      /logRetentionDays must be a whole number from 30 to 730, got 29/,
    );
    expect(() => cluster({ logRetentionDays: 731 })).toThrow(
      /logRetentionDays must be a whole number from 30 to 730, got 731/,
    );
  });

  test('the audit log retention is accepted from 30 to 730 days, refused just past', () => {
    expect(() => cluster({ auditLogRetentionDays: 30 })).not.toThrow();
    expect(() => cluster({ auditLogRetentionDays: 730 })).not.toThrow();
    expect(() => cluster({ auditLogRetentionDays: 731 })).toThrow(
      /auditLogRetentionDays must be a whole number from 30 to 730, got 731/,
    );
  });
});
