import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { AksCluster } from '../../lib/azure/aks-cluster';
import { CapsuleRelease } from '../../lib/azure/addons/capsule-release';
import { CertManagerRelease } from '../../lib/azure/addons/cert-manager-release';
import { ApiServerAccess } from '../../lib/azure/cluster-options';
import { EntraGroup } from '../../lib/azure/entra-group';
import { AddonsStack, InfraStack, PlatformStack } from '../../lib/azure/stacks';
import { PlatformError } from '../../lib/platform-file';
import { platform, synth, type TerraformJson } from './helpers';

/** `type.name` of every resource of a stack. */
function addresses(tf: TerraformJson): string[] {
  return Object.entries(tf.resource ?? {})
    .flatMap(([type, rs]) => Object.keys(rs as object).map((name) => `${type}.${name}`))
    .sort();
}

/** A user's own stack composing some of the constructs, as docs/azure.md shows. */
function compose(stack: TerraformStack): void {
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new AzureadProvider(stack, 'azuread', {});
  new HelmProvider(stack, 'helm', {});
  const admins = new EntraGroup(stack, 'admins', { displayName: 'platformAdmins' });
  const cluster = new AksCluster(stack, 'aks', {
    name: 'demo-aks',
    location: 'francecentral',
    resourceGroupName: 'demo',
    adminGroupObjectIds: [admins.objectId],
    apiServerAccess: ApiServerAccess.fromIpRanges(['203.0.113.0/24']),
  });
  cluster.addUserPool({ name: 'apps' });
  const certManager = new CertManagerRelease(stack, 'cert-manager');
  new CapsuleRelease(stack, 'capsule', {
    certManager,
    usersGroupObjectId: '8d4e6f20-1b3c-4a7e-8f95-6c2a1d9e0b47',
    adminGroupObjectIds: [admins.objectId],
  });
}

describe('PlatformStack', () => {
  test("gives a user's own stack the readable Terraform names of the platform stacks", () => {
    // GIVEN a stack of the user's, not InfraStack or AddonsStack
    const stack = new PlatformStack(Testing.app(), 'mine');
    // WHEN
    compose(stack);
    // THEN
    const tf = synth(stack);
    expect(addresses(tf)).toEqual([
      'azuread_group.admins',
      'azurerm_kubernetes_cluster.aks',
      'azurerm_kubernetes_cluster_node_pool.aks_pool_apps',
      'azurerm_log_analytics_workspace.aks_logs',
      'azurerm_log_analytics_workspace_table.aks_audit_AKSAuditAdmin',
      'azurerm_log_analytics_workspace_table.aks_audit_AKSControlPlane',
      'azurerm_monitor_data_collection_rule.aks_insights_rule',
      'azurerm_monitor_data_collection_rule_association.aks_insights_association',
      'azurerm_monitor_diagnostic_setting.aks_audit',
      'helm_release.capsule',
      'helm_release.cert_manager',
    ]);
    expect(tf.resource.helm_release.capsule.depends_on).toEqual(['helm_release.cert_manager']);
    expect(
      tf.resource.azurerm_kubernetes_cluster.aks.azure_active_directory_role_based_access_control,
    ).toEqual(expect.objectContaining({ admin_group_object_ids: ['${azuread_group.admins.object_id}'] }));
  });

  test('a plain TerraformStack hashes the same names (what PlatformStack is for)', () => {
    const stack = new TerraformStack(Testing.app(), 'mine');
    compose(stack);
    expect(addresses(synth(stack))).toContainEqual(
      expect.stringMatching(/^azuread_group\.admins_group_[0-9A-F]{8}$/),
    );
  });

  test('two constructs that would share an address are refused as soon as the second exists', () => {
    const stack = new PlatformStack(Testing.app(), 'mine');
    new AzureadProvider(stack, 'azuread', {});
    new EntraGroup(stack, 'a-b', { displayName: 'one' });
    const a = new Construct(stack, 'a');
    const second = () => new EntraGroup(a, 'b', { displayName: 'two' });
    expect(second).toThrow(PlatformError);
    a.node.tryRemoveChild('b');
    expect(second).toThrow(
      'PlatformStack(mine): "mine/a-b/group" and "mine/a/b/group" would both be azuread_group.a_b in Terraform: rename one of the constructs',
    );
  });

  test('the same name for two kinds of resource is fine (addresses differ by type)', () => {
    const stack = new PlatformStack(Testing.app(), 'mine');
    compose(stack);
    new EntraGroup(new Construct(stack, 'aks-pool'), 'apps', { displayName: 'apps' });
    expect(addresses(synth(stack))).toEqual(
      expect.arrayContaining([
        'azuread_group.aks_pool_apps',
        'azurerm_kubernetes_cluster_node_pool.aks_pool_apps',
      ]),
    );
  });

  test('the platform stacks are PlatformStacks', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const infra = new InfraStack(app, 'infra', { spec: platform() });
    expect(infra).toBeInstanceOf(PlatformStack);
    expect(new AddonsStack(app, 'addons', { spec: platform(), infra })).toBeInstanceOf(PlatformStack);
  });
});
