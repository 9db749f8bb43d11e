import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { setAttributesOnly } from './set-attributes';

/** A RoleAssignment that synthesizes only its set attributes: two per tenant, 4 set of 13. */
export class LeanRoleAssignment extends RoleAssignment {
  protected synthesizeAttributes(): { [name: string]: unknown } {
    return setAttributesOnly(super.synthesizeAttributes());
  }
}
