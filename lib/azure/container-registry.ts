import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ContainerRegistry as AzurermContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import type { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import {
  containerRegistryLoginServer,
  containerRegistryNameOf,
  isContainerRegistryName,
  isContainerRegistryResourceId,
} from '../platform-file/azure-names';
import { describeValue } from '../platform-file/errors';
import { PropProblems } from '../platform-file/prop-problems';
import { AzureRole } from './cluster-access';
import { sendAuditLogs } from './private/audit-logs';
import { terraformText } from './private/terraform-text';
import { assignRole, PrincipalType } from './role-principal';

/** Service tier of a container registry (Basic has no anonymous-pull switch and is not offered). */
export enum ContainerRegistrySku {
  STANDARD = 'Standard',
  /** Adds zone redundancy, private endpoints and network rules. */
  PREMIUM = 'Premium',
}

/** An Azure Container Registry, created here or referenced by resource id. */
export interface IContainerRegistry extends IConstruct {
  /** Resource id of the registry: the scope of its role assignments. */
  readonly registryId: string;
  /** Registry name. */
  readonly registryName: string;
  /** The host image references start with: `<name>.azurecr.io` (Azure public cloud). */
  readonly loginServer: string;
  /**
   * Lets an identity (a cluster's kubelet identity) pull images, from this registry only.
   * @param id construct id of the assignment (a child of the registry)
   * @param principalId object id of the identity
   */
  grantPull(id: string, principalId: string): RoleAssignment;
}

/** Properties of a {@link ContainerRegistry}. */
export interface ContainerRegistryProps {
  /** Registry name: 5 to 50 letters and digits, globally unique. */
  readonly name: string;
  /** Azure region. */
  readonly location: string;
  /** Resource group of the registry. */
  readonly resourceGroupName: string;
  /**
   * Service tier.
   * @default ContainerRegistrySku.STANDARD
   */
  readonly sku?: ContainerRegistrySku;
  /**
   * Reachable from public networks (pulls and pushes still need an Entra identity with a role).
   * Without it (Premium only), clients need a private endpoint, which this construct does not create.
   * @default true
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /**
   * Log Analytics workspace receiving the audit logs (logins, pushes, pulls, deletions).
   * @default - no diagnostic setting
   */
  readonly logAnalyticsWorkspaceId?: string;
}

abstract class ContainerRegistryBase extends Construct implements IContainerRegistry {
  public abstract readonly registryId: string;
  public abstract readonly registryName: string;

  public get loginServer(): string {
    return containerRegistryLoginServer(this.registryName);
  }

  public grantPull(id: string, principalId: string): RoleAssignment {
    return assignRole(
      this,
      id,
      `${this.constructor.name}(${this.node.id}).grantPull(${id})`,
      this.registryId,
      { principalId, principalType: PrincipalType.SERVICE_PRINCIPAL },
      AzureRole.ACR_PULL,
    );
  }
}

class ReferencedContainerRegistry extends ContainerRegistryBase {
  public readonly registryName: string;

  constructor(
    scope: Construct,
    id: string,
    public readonly registryId: string,
  ) {
    super(scope, id);
    this.registryName = containerRegistryNameOf(registryId);
  }
}

/**
 * An Azure Container Registry a cluster pulls from: no admin user (its static password would
 * bypass Entra ID), no anonymous pull, audit logs to a Log Analytics workspace. Pulls need
 * `AcrPull`, given by `grantPull`.
 */
export class ContainerRegistry extends ContainerRegistryBase {
  /** References an existing registry: nothing is created. */
  public static fromResourceId(scope: Construct, id: string, resourceId: string): IContainerRegistry {
    const problems = new PropProblems('ContainerRegistry.fromResourceId', `${scope.node.path}/${id}`);
    if (!isContainerRegistryResourceId(resourceId))
      problems.add(
        'resourceId',
        `${describeValue(resourceId)} is not a container registry resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name>)`,
      );
    problems.throwIfAny();
    return new ReferencedContainerRegistry(scope, id, resourceId);
  }

  public readonly registryId: string;
  public readonly registryName: string;
  /** The azurerm_container_registry resource. */
  public readonly resource: AzurermContainerRegistry;
  /** The diagnostic setting of the audit logs, when a workspace was given. */
  public readonly auditLogs?: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const problems = new PropProblems('ContainerRegistry', this.node.path);
    const sku = props.sku ?? ContainerRegistrySku.STANDARD;
    const publicAccess = props.publicNetworkAccessEnabled ?? true;
    if (!Token.isUnresolved(props.name) && !isContainerRegistryName(props.name))
      problems.add(
        'name',
        `${describeValue(props.name)} is not a container registry name (5 to 50 letters and digits)`,
      );
    if (!publicAccess && sku !== ContainerRegistrySku.PREMIUM)
      problems.add(
        'publicNetworkAccessEnabled',
        `false needs ContainerRegistrySku.PREMIUM (only Premium registries take private endpoints), got ${describeValue(sku)}`,
      );
    problems.throwIfAny();

    this.resource = new AzurermContainerRegistry(this, 'registry', {
      name: props.name,
      location: terraformText(props.location),
      resourceGroupName: terraformText(props.resourceGroupName),
      sku,
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: publicAccess,
    });
    this.registryId = this.resource.id;
    this.registryName = props.name;
    if (props.logAnalyticsWorkspaceId !== undefined)
      this.auditLogs = sendAuditLogs(this, 'audit-logs', this.registryId, props.logAnalyticsWorkspaceId);
  }
}
