// The Terraform half of the platform repository: the cluster and its admin group, composed from
// the constructs (the InfraStack of the platform file does the same with every option).
import { App, TerraformStack } from 'cdktf';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AksCluster, ApiServerAccess, EntraGroup, NetworkPolicy } from 'cdk-aks-platform';

/** The `infra` stack: an Entra ID admin group and a hardened AKS cluster with one user pool. */
export function buildInfra(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'infra');
  // The subscription comes from ARM_SUBSCRIPTION_ID when Terraform runs.
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new AzureadProvider(stack, 'azuread', {});

  const admins = new EntraGroup(stack, 'admins', { displayName: 'platformAdmins' });
  const cluster = new AksCluster(stack, 'aks', {
    name: 'platform-aks',
    location: 'francecentral',
    resourceGroupName: 'platform',
    adminGroupObjectIds: [admins.objectId],
    apiServerAccess: ApiServerAccess.fromIpRanges(['203.0.113.0/24']),
    networkPolicy: NetworkPolicy.CILIUM,
  });
  cluster.addUserPool({ name: 'apps', maxCount: 10 });
  return stack;
}
