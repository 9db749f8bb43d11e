import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { groupObjectIdOutputName } from '../platform-file/outputs';
import type { PlatformSpec } from '../platform-file';
import { AksCluster } from './aks-cluster';
import { ClusterAccess } from './cluster-access';
import { EntraGroup, IEntraGroup } from './entra-group';
import { EntraGroupMembership } from './entra-group-membership';
import { aksClusterPropsFromSpec, stateBackendFromSpec, userPoolOptionsFromSpec } from './from-spec';
import type { StateBackend } from './state-backend';
import { PlatformStack } from './platform-stack';
import { addSecretsFromSpec, type PlatformSecrets } from './secrets-from-spec';

/** Properties of the {@link InfraStack}. */
export interface InfraStackProps {
  /** The validated platform description. */
  readonly spec: PlatformSpec;
  /**
   * Where Terraform keeps the stack's state.
   * @default - from `azure.state` of the platform file: Azure Storage when set, local files otherwise
   */
  readonly stateBackend?: StateBackend;
}

/**
 * The `infra` stack: resource group, Entra groups and memberships, the AKS cluster with
 * Container Insights, its audit trail and opt-in add-ons, the role assignments on the cluster, the
 * Key Vaults, workload identities and container registry. Outputs the object id of every group
 * (`group_<key>_object_id`), the Entra tenant (`azure_tenant_id`) and the client id of every
 * workload identity (`workload_identity_<namespace>_<name>_client_id`) for the Kubernetes app.
 */
export class InfraStack extends PlatformStack {
  public readonly cluster: AksCluster;
  public readonly resourceGroup: ResourceGroup;
  /** The Key Vaults, workload identities and container registry of the platform file. */
  public readonly secrets: PlatformSecrets;
  private readonly groups = new Map<string, IEntraGroup>();

  constructor(scope: Construct, id: string, props: InfraStackProps) {
    super(scope, id);
    const spec = props.spec;
    // Without subscriptionId, azurerm 4 reads ARM_SUBSCRIPTION_ID (the az CLI login no longer supplies it).
    new AzurermProvider(this, 'azurerm', { features: [{}], subscriptionId: spec.azure.subscriptionId });
    (props.stateBackend ?? stateBackendFromSpec(spec)).applyTo(this);
    new AzureadProvider(this, 'azuread', {});

    this.resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: spec.azure.resourceGroup,
      location: spec.azure.location,
    });

    for (const [key, g] of Object.entries(spec.groups)) {
      if (g.objectId !== undefined) {
        this.groups.set(key, EntraGroup.fromObjectId(this, `group-${key}`, g.objectId));
        continue;
      }
      const group = new EntraGroup(this, `group-${key}`, {
        displayName: g.displayName ?? key,
        description: g.description,
      });
      for (const member of g.members) {
        group.addMember(member);
      }
      this.groups.set(key, group);
    }

    // Capsule only sees users of its users group: tenant owners get in through nesting.
    const users = spec.capsule.users;
    const owners = [...new Set(spec.tenants.flatMap((t) => t.owners))].sort();
    for (const owner of owners.filter((o) => o !== users)) {
      new EntraGroupMembership(this, `nest-${owner}-in-${users}`, {
        group: this.group(users),
        memberObjectId: this.group(owner).objectId,
      });
    }

    // Directly on the stack with pinned names: the Kubernetes app looks them up by name.
    for (const key of Object.keys(spec.groups)) {
      const name = groupObjectIdOutputName(key);
      new TerraformOutput(this, name, {
        value: this.group(key).objectId,
        description: `Object id of the Entra group "${key}"`,
      }).overrideLogicalId(name);
    }

    this.cluster = new AksCluster(
      this,
      'aks',
      aksClusterPropsFromSpec(
        spec,
        this.resourceGroup.name,
        spec.admins.map((k) => this.group(k).objectId),
      ),
    );
    for (const pool of spec.cluster.userPools) {
      this.cluster.addUserPool(userPoolOptionsFromSpec(pool));
    }

    this.secrets = addSecretsFromSpec(this, {
      spec,
      cluster: this.cluster,
      resourceGroupName: this.resourceGroup.name,
      group: (key) => this.group(key),
    });

    new ClusterAccess(this, 'access', {
      clusterId: this.cluster.clusterId,
      adminGroups: spec.admins.map((k) => ({ name: k, objectId: this.group(k).objectId })),
      tenantGroups: owners.map((k) => ({ name: k, objectId: this.group(k).objectId })),
    });
  }

  /** The group of a key of the platform file (created here or referenced). */
  public group(key: string): IEntraGroup {
    const g = this.groups.get(key);
    if (!g) throw new Error(`no group "${key}" in the infra stack`);
    return g;
  }
}
