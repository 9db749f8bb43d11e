import { Construct } from 'constructs';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { describeValue, PlatformError } from '../platform-file/errors';
import { assertObjectId } from './private/checks';
import { LeanRoleAssignment } from './private/lean-role-assignment';
import { terraformText } from './private/terraform-text';

/** Built-in Azure roles the platform assigns, by their exact names. */
export class AzureRole {
  /** Lets a principal fetch the user kubeconfig (`listClusterUserCredential`); no Kubernetes rights. */
  public static readonly CLUSTER_USER = new AzureRole('Azure Kubernetes Service Cluster User Role');
  /** Read access to the cluster resource in the portal and CLI. */
  public static readonly READER = new AzureRole('Reader');
  /** Reads secret values of a Key Vault with Azure RBAC authorization (and nothing else). */
  public static readonly KEY_VAULT_SECRETS_USER = new AzureRole('Key Vault Secrets User');
  /** Writes, reads and deletes the secrets of a Key Vault: the team that owns them. */
  public static readonly KEY_VAULT_SECRETS_OFFICER = new AzureRole('Key Vault Secrets Officer');
  /**
   * Reads the metadata of a Key Vault and of its objects, and the public part of keys and
   * certificates; never a secret value or private key material.
   */
  public static readonly KEY_VAULT_READER = new AzureRole('Key Vault Reader');
  /** Pulls images from a container registry. */
  public static readonly ACR_PULL = new AzureRole('AcrPull');

  private constructor(
    /** The role definition name. */
    public readonly name: string,
  ) {}
}

/** A group that receives access, named for readable resource names. */
export interface AccessGroup {
  /** Short name used in resource names (the platform file's group key). */
  readonly name: string;
  /** Object id of the Entra group. */
  readonly objectId: string;
}

/** Properties of {@link ClusterAccess}. */
export interface ClusterAccessProps {
  /** Resource id of the cluster: the only scope of every assignment. */
  readonly clusterId: string;
  /**
   * Admin groups: they need the user kubeconfig; cluster-admin itself comes from the cluster's
   * admin group list.
   */
  readonly adminGroups: AccessGroup[];
  /**
   * Tenant owner groups: kubeconfig and read access. Their rights inside the cluster come from
   * Capsule's RoleBindings, never from Azure RBAC Kubernetes roles (those would bypass Capsule).
   * @default - none
   */
  readonly tenantGroups?: AccessGroup[];
}

/** One role assignment made by {@link ClusterAccess}. */
export interface AccessGrant {
  readonly group: AccessGroup;
  readonly role: AzureRole;
  readonly resource: RoleAssignment;
}

/**
 * Least-privilege Azure role assignments on the cluster: nothing at subscription or resource
 * group scope, nothing that grants Kubernetes rights to tenants.
 */
export class ClusterAccess extends Construct {
  public readonly grants: AccessGrant[] = [];

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const tenants = props.tenantGroups ?? [];
    const names = new Map<string, string>();
    for (const [kind, groups] of [
      ['adminGroups', props.adminGroups],
      ['tenantGroups', tenants],
    ] as const) {
      groups.forEach((g, i) => {
        assertObjectId(`ClusterAccess.${kind}[${i}].objectId`, g.objectId);
        if (!/^[a-z][a-z0-9-]*$/.test(g.name)) {
          throw new PlatformError(
            `ClusterAccess.${kind}[${i}].name must be lowercase letters, digits and '-', starting with a letter, got ${describeValue(g.name)}`,
          );
        }
        const other = names.get(g.name);
        if (other !== undefined) {
          throw new PlatformError(
            `ClusterAccess.${kind}[${i}].name ${describeValue(g.name)} is also in ${other}`,
          );
        }
        names.set(g.name, kind);
      });
    }
    const clusterId = terraformText(props.clusterId);
    for (const g of props.adminGroups) this.grant(clusterId, g, AzureRole.CLUSTER_USER);
    for (const g of tenants) {
      this.grant(clusterId, g, AzureRole.CLUSTER_USER);
      this.grant(clusterId, g, AzureRole.READER);
    }
  }

  private grant(scope: string, group: AccessGroup, role: AzureRole): void {
    const suffix = role === AzureRole.READER ? 'reader' : 'cluster-user';
    const resource = new LeanRoleAssignment(this, `${group.name}-${suffix}`, {
      scope,
      roleDefinitionName: role.name,
      principalId: group.objectId,
      // Declaring the type skips a directory lookup that fails on groups created seconds ago.
      principalType: 'Group',
    });
    this.grants.push({ group, role, resource });
  }
}
