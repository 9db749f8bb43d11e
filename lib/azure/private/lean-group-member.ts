import { GroupMember } from '@cdktf/provider-azuread/lib/group-member';
import { setAttributesOnly } from './set-attributes';

/** A GroupMember that synthesizes only its set attributes: one per tenant's owner group. */
export class LeanGroupMember extends GroupMember {
  protected synthesizeAttributes(): { [name: string]: unknown } {
    return setAttributesOnly(super.synthesizeAttributes());
  }
}
