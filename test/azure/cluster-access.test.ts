import { AzureRole, ClusterAccess } from '../../lib/azure/cluster-access';
import { PlatformError } from '../../lib/platform-file';
import { resources, synth, testStack } from './helpers';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.ContainerService/managedClusters/demo-aks';
const ADMINS = '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13';
const DEV = 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58';

describe('ClusterAccess', () => {
  test('tenant groups get Cluster User and Reader, admins Cluster User, all on the cluster only', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new ClusterAccess(stack, 'access', {
      clusterId: CLUSTER,
      adminGroups: [{ name: 'admins', objectId: ADMINS }],
      tenantGroups: [{ name: 'dev', objectId: DEV }],
    });
    // THEN
    const grants = Object.values(resources(synth(stack), 'azurerm_role_assignment'))
      .map((r) => [r.principal_id, r.role_definition_name, r.scope, r.principal_type])
      .sort();
    expect(grants).toEqual(
      [
        [ADMINS, 'Azure Kubernetes Service Cluster User Role', CLUSTER, 'Group'],
        [DEV, 'Azure Kubernetes Service Cluster User Role', CLUSTER, 'Group'],
        [DEV, 'Reader', CLUSTER, 'Group'],
      ].sort(),
    );
  });

  test('no Azure RBAC Kubernetes role is ever granted (it would bypass Capsule)', () => {
    const stack = testStack();
    const access = new ClusterAccess(stack, 'access', {
      clusterId: CLUSTER,
      adminGroups: [{ name: 'admins', objectId: ADMINS }],
      tenantGroups: [{ name: 'dev', objectId: DEV }],
    });
    expect(access.grants.map((g) => g.role)).toEqual([
      AzureRole.CLUSTER_USER,
      AzureRole.CLUSTER_USER,
      AzureRole.READER,
    ]);
    for (const r of Object.values(resources(synth(stack), 'azurerm_role_assignment'))) {
      expect(r.role_definition_name).not.toMatch(/RBAC/);
    }
  });

  test.each<[string, () => unknown, RegExp]>([
    [
      'a group that is not an object id',
      () =>
        new ClusterAccess(testStack(), 'a', {
          clusterId: CLUSTER,
          adminGroups: [{ name: 'admins', objectId: 'admins' }],
        }),
      /ClusterAccess\.adminGroups\[0\]\.objectId must be an Entra object id .*got "admins"/,
    ],
    [
      'a bad name',
      () =>
        new ClusterAccess(testStack(), 'a', {
          clusterId: CLUSTER,
          adminGroups: [{ name: 'Admins!', objectId: ADMINS }],
        }),
      /ClusterAccess\.adminGroups\[0\]\.name must be lowercase .*got "Admins!"/,
    ],
    [
      'a group both admin and tenant',
      () =>
        new ClusterAccess(testStack(), 'a', {
          clusterId: CLUSTER,
          adminGroups: [{ name: 'dev', objectId: ADMINS }],
          tenantGroups: [{ name: 'dev', objectId: DEV }],
        }),
      /ClusterAccess\.tenantGroups\[0\]\.name "dev" is also in adminGroups/,
    ],
  ])('rejects %s', (_what, build, message) => {
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  });
});
