import { Construct } from 'constructs';
import type { GroupMember } from '@cdktf/provider-azuread/lib/group-member';
import type { IEntraGroup } from './entra-group';
import { assertObjectId } from './private/checks';
import { LeanGroupMember } from './private/lean-group-member';

/** Properties of an {@link EntraGroupMembership}. */
export interface EntraGroupMembershipProps {
  /** The group that gains a member (created here or referenced). */
  readonly group: IEntraGroup;
  /** Object id of the user, group or service principal that becomes a member. */
  readonly memberObjectId: string;
}

/**
 * One membership edge. Managing edges one by one (rather than a group's whole member list)
 * leaves members added elsewhere alone, which also makes nesting into an existing group safe.
 */
export class EntraGroupMembership extends Construct {
  /** The azuread_group_member resource. */
  public readonly resource: GroupMember;

  constructor(scope: Construct, id: string, props: EntraGroupMembershipProps) {
    super(scope, id);
    assertObjectId(`EntraGroupMembership(${id}).memberObjectId`, props.memberObjectId);
    this.resource = new LeanGroupMember(this, 'member', {
      groupObjectId: props.group.objectId,
      memberObjectId: props.memberObjectId,
    });
  }
}
