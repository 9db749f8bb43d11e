import type { Construct } from 'constructs';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { AzureRole } from './cluster-access';
import { assertObjectId } from './private/checks';
import { terraformText } from './private/terraform-text';

/** What kind of Entra principal receives a role. */
export enum PrincipalType {
  /** A security group. */
  GROUP = 'Group',
  /** A service principal, managed identities included. */
  SERVICE_PRINCIPAL = 'ServicePrincipal',
  /** A user. */
  USER = 'User',
}

/** A principal that receives a role, by object id. */
export interface RolePrincipal {
  /** Object id of the principal (a UUID, or a reference such as an identity's principal id). */
  readonly principalId: string;
  /**
   * Its kind. Declaring it skips a directory lookup that fails on principals created seconds
   * earlier (the directory replicates them late).
   */
  readonly principalType: PrincipalType;
}

/** A role assignment on one resource: the only scope the platform assigns roles at. */
export function assignRole(
  scope: Construct,
  id: string,
  what: string,
  resourceId: string,
  principal: RolePrincipal,
  role: AzureRole,
): RoleAssignment {
  assertObjectId(`${what}.principalId`, principal.principalId);
  return new RoleAssignment(scope, id, {
    scope: terraformText(resourceId),
    roleDefinitionName: role.name,
    principalId: principal.principalId,
    principalType: principal.principalType,
  });
}
