import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { KeyVault as AzurermKeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import type { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { isKeyVaultName, isKeyVaultResourceId, keyVaultNameOf } from '../platform-file/azure-names';
import { describeValue } from '../platform-file/errors';
import { isUuid } from '../platform-file/formats';
import { PropProblems } from '../platform-file/prop-problems';
import type { AzureRole } from './cluster-access';
import { sendAuditLogs } from './private/audit-logs';
import { terraformText } from './private/terraform-text';
import { assignRole, type RolePrincipal } from './role-principal';

/** Pricing tier of a Key Vault. */
export enum KeyVaultSku {
  /** Software-protected keys. */
  STANDARD = 'standard',
  /** HSM-protected keys available. */
  PREMIUM = 'premium',
}

/** A Key Vault with Azure RBAC authorization, created here or referenced by resource id. */
export interface IKeyVault extends IConstruct {
  /** Resource id of the vault: the scope of its role assignments. */
  readonly vaultId: string;
  /** Vault name (what a SecretProviderClass names). */
  readonly vaultName: string;
  /**
   * Gives a principal a role on this vault, and on nothing else.
   * @param id construct id of the assignment (a child of the vault)
   */
  grant(id: string, principal: RolePrincipal, role: AzureRole): RoleAssignment;
}

/** Properties of a {@link KeyVault}. */
export interface KeyVaultProps {
  /** Vault name: 3 to 24 letters, digits and single '-', globally unique. */
  readonly name: string;
  /** Azure region. */
  readonly location: string;
  /** Resource group of the vault. */
  readonly resourceGroupName: string;
  /** Entra ID tenant whose identities the vault trusts (a UUID or a reference). */
  readonly tenantId: string;
  /**
   * Pricing tier.
   * @default KeyVaultSku.STANDARD
   */
  readonly sku?: KeyVaultSku;
  /**
   * Days a deleted vault or object can be recovered (7 to 90). Purge protection is always on:
   * nobody can destroy a secret before that time, not even an administrator.
   * @default 90
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Reachable from public networks (every request still needs an Entra identity with a role on
   * the vault). Without it, clients need a private endpoint, which this construct does not create.
   * @default true
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /**
   * Log Analytics workspace receiving the audit logs (every read and write of the vault).
   * @default - no diagnostic setting
   */
  readonly logAnalyticsWorkspaceId?: string;
}

abstract class KeyVaultBase extends Construct implements IKeyVault {
  public abstract readonly vaultId: string;
  public abstract readonly vaultName: string;

  public grant(id: string, principal: RolePrincipal, role: AzureRole): RoleAssignment {
    return assignRole(
      this,
      id,
      `${this.constructor.name}(${this.node.id}).grant(${id})`,
      this.vaultId,
      principal,
      role,
    );
  }
}

class ReferencedKeyVault extends KeyVaultBase {
  public readonly vaultName: string;

  constructor(
    scope: Construct,
    id: string,
    public readonly vaultId: string,
  ) {
    super(scope, id);
    this.vaultName = keyVaultNameOf(vaultId);
  }
}

/**
 * An Azure Key Vault for a tenant's secrets: access by Azure RBAC only (no access policies), soft
 * delete and purge protection on, and its audit logs sent to a Log Analytics workspace. Nobody
 * has a role on it until `grant` gives one.
 */
export class KeyVault extends KeyVaultBase {
  /** References an existing vault (which must use Azure RBAC authorization): nothing is created. */
  public static fromResourceId(scope: Construct, id: string, resourceId: string): IKeyVault {
    const problems = new PropProblems('KeyVault.fromResourceId', `${scope.node.path}/${id}`);
    if (!isKeyVaultResourceId(resourceId))
      problems.add(
        'resourceId',
        `${describeValue(resourceId)} is not a Key Vault resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>)`,
      );
    problems.throwIfAny();
    return new ReferencedKeyVault(scope, id, resourceId);
  }

  public readonly vaultId: string;
  public readonly vaultName: string;
  /** The azurerm_key_vault resource. */
  public readonly resource: AzurermKeyVault;
  /** The diagnostic setting of the audit logs, when a workspace was given. */
  public readonly auditLogs?: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    const problems = new PropProblems('KeyVault', this.node.path);
    if (!Token.isUnresolved(props.name) && !isKeyVaultName(props.name))
      problems.add(
        'name',
        `${describeValue(props.name)} is not a Key Vault name (3 to 24 letters, digits and single '-', starting with a letter, ending with a letter or digit)`,
      );
    const retention = props.softDeleteRetentionDays ?? 90;
    if (!Number.isInteger(retention) || retention < 7 || retention > 90)
      problems.add(
        'softDeleteRetentionDays',
        `${describeValue(retention)} is not a whole number from 7 to 90`,
      );
    if (!Token.isUnresolved(props.tenantId) && !isUuid(props.tenantId))
      problems.add('tenantId', `${describeValue(props.tenantId)} is not an Entra tenant id (a UUID)`);
    problems.throwIfAny();

    this.resource = new AzurermKeyVault(this, 'vault', {
      name: props.name,
      location: terraformText(props.location),
      resourceGroupName: terraformText(props.resourceGroupName),
      tenantId: props.tenantId,
      skuName: props.sku ?? KeyVaultSku.STANDARD,
      // Roles on the vault only: access policies would grant per vault, outside Azure RBAC and its logs.
      rbacAuthorizationEnabled: true,
      softDeleteRetentionDays: retention,
      purgeProtectionEnabled: true,
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled ?? true,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
    });
    this.vaultId = this.resource.id;
    this.vaultName = props.name;
    if (props.logAnalyticsWorkspaceId !== undefined)
      this.auditLogs = sendAuditLogs(this, 'audit-logs', this.vaultId, props.logAnalyticsWorkspaceId);
  }
}
