import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { serviceAccountSubject } from '../platform-file/azure-names';
import { describeValue } from '../platform-file/errors';
import { isDnsLabel, isDnsSubdomain } from '../platform-file/formats';
import { PropProblems } from '../platform-file/prop-problems';
import { AzureRole } from './cluster-access';
import type { IKeyVault } from './key-vault';
import { terraformText } from './private/terraform-text';
import { assignRole, PrincipalType } from './role-principal';

/** The audience Entra ID expects in a Kubernetes token exchanged for an Azure token. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** The roles a workload may hold on a vault: reading, never writing. */
const READ_ROLES: readonly AzureRole[] = [AzureRole.KEY_VAULT_SECRETS_USER, AzureRole.KEY_VAULT_READER];

/** Properties of a {@link WorkloadIdentity}. */
export interface WorkloadIdentityProps {
  /** Name of the managed identity (3 to 128 letters, digits, '-' and '_'). */
  readonly name: string;
  /** Azure region. */
  readonly location: string;
  /** Resource group of the identity. */
  readonly resourceGroupName: string;
  /** OIDC issuer URL of the cluster whose tokens the identity trusts. */
  readonly oidcIssuerUrl: string;
  /**
   * Name of the federated credential: one per cluster trusting the identity (3 to 120 letters,
   * digits, '-' and '_').
   * @default 'kubernetes'
   */
  readonly federationName?: string;
  /** Namespace of the workload's ServiceAccount. */
  readonly namespace: string;
  /** Name of the workload's ServiceAccount: the only one the identity trusts. */
  readonly serviceAccount: string;
  /** The vault the workload reads. */
  readonly keyVault: IKeyVault;
  /**
   * Its roles on the vault: `AzureRole.KEY_VAULT_SECRETS_USER` for secret values,
   * `AzureRole.KEY_VAULT_READER` for the public part of keys and certificates.
   */
  readonly keyVaultRoles: AzureRole[];
}

const IDENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/;
const CREDENTIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

/**
 * The Azure identity of one workload: a user-assigned managed identity, federated with exactly
 * one Kubernetes ServiceAccount (`system:serviceaccount:<namespace>:<name>`, tokens of one
 * cluster's OIDC issuer), holding read roles on one vault. No secret or password exists: the pod
 * exchanges its ServiceAccount token for an Entra token.
 */
export class WorkloadIdentity extends Construct {
  /** The azurerm_user_assigned_identity resource. */
  public readonly resource: UserAssignedIdentity;
  /** The federated credential trusting the ServiceAccount. */
  public readonly federatedCredential: FederatedIdentityCredential;
  /** The role assignments on the vault, one per role. */
  public readonly roleAssignments: RoleAssignment[];
  /** Client id of the identity: what the ServiceAccount annotation and the SecretProviderClass name. */
  public readonly clientId: string;
  /** Object id of the identity's service principal: what role assignments name. */
  public readonly principalId: string;
  /** The token subject the identity trusts. */
  public readonly subject: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const problems = new PropProblems('WorkloadIdentity', this.node.path);
    const federationName = props.federationName ?? 'kubernetes';
    if (!Token.isUnresolved(props.name) && !IDENTITY_NAME.test(props.name))
      problems.add(
        'name',
        `${describeValue(props.name)} is not a managed identity name (3 to 128 letters, digits, '-' and '_')`,
      );
    if (!Token.isUnresolved(federationName) && !CREDENTIAL_NAME.test(federationName))
      problems.add(
        'federationName',
        `${describeValue(federationName)} is not a federated credential name (3 to 120 letters, digits, '-' and '_')`,
      );
    if (!isDnsLabel(props.namespace))
      problems.add('namespace', `${describeValue(props.namespace)} is not a namespace name`);
    if (!isDnsSubdomain(props.serviceAccount))
      problems.add('serviceAccount', `${describeValue(props.serviceAccount)} is not a ServiceAccount name`);
    if (props.keyVaultRoles.length === 0)
      problems.add('keyVaultRoles', 'lists no role: the identity would read nothing');
    props.keyVaultRoles.forEach((r, i) => {
      if (!READ_ROLES.includes(r))
        problems.add(
          `keyVaultRoles[${i}]`,
          `${describeValue(r.name)} is not a read role of Key Vault (${READ_ROLES.map((x) => x.name).join(', ')})`,
        );
      if (props.keyVaultRoles.indexOf(r) !== i)
        problems.add(`keyVaultRoles[${i}]`, `${describeValue(r.name)} is listed twice`);
    });
    problems.throwIfAny();

    const location = terraformText(props.location);
    const resourceGroupName = terraformText(props.resourceGroupName);
    this.subject = serviceAccountSubject(props.namespace, props.serviceAccount);
    this.resource = new UserAssignedIdentity(this, 'identity', {
      name: terraformText(props.name),
      location,
      resourceGroupName,
    });
    this.clientId = this.resource.clientId;
    this.principalId = this.resource.principalId;
    this.federatedCredential = new FederatedIdentityCredential(this, 'federation', {
      name: federationName,
      resourceGroupName,
      parentId: this.resource.id,
      issuer: terraformText(props.oidcIssuerUrl),
      subject: this.subject,
      audience: [TOKEN_EXCHANGE_AUDIENCE],
    });
    // Scoped to the vault: the identity reads that vault and nothing else.
    this.roleAssignments = props.keyVaultRoles.map((role) =>
      assignRole(
        this,
        role === AzureRole.KEY_VAULT_SECRETS_USER ? 'secrets-user' : 'reader',
        `WorkloadIdentity(${this.node.path})`,
        props.keyVault.vaultId,
        { principalId: this.principalId, principalType: PrincipalType.SERVICE_PRINCIPAL },
        role,
      ),
    );
  }
}
