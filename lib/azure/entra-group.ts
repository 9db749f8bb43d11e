import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Group } from '@cdktf/provider-azuread/lib/group';
import { describeValue, PlatformError } from '../spec/errors';
import { assertObjectId } from './private/checks';
import { EntraGroupMembership } from './entra-group-membership';

/** An Entra ID group, created here or referenced by object id. */
export interface IEntraGroup extends IConstruct {
  /**
   * The group's object id (a UUID, what AKS puts in tokens and what azurerm expects as a
   * principal id); a Terraform reference when the group is created in the same stack.
   */
  readonly objectId: string;
}

/** Properties of an {@link EntraGroup}. */
export interface EntraGroupProps {
  /** Display name of the security group. */
  readonly displayName: string;
  /**
   * Description shown in Entra ID.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Object ids of users, groups or service principals made members, one membership resource
   * each (so members added elsewhere are left alone).
   * @default - no members
   */
  readonly memberObjectIds?: string[];
  /**
   * Fail instead of creating a second group with the same display name: a look-alike group is
   * how access gets granted to the wrong people.
   * @default true
   */
  readonly preventDuplicateNames?: boolean;
}

class ReferencedEntraGroup extends Construct implements IEntraGroup {
  constructor(
    scope: Construct,
    id: string,
    public readonly objectId: string,
  ) {
    super(scope, id);
  }
}

/**
 * A security-enabled, non-mail Entra ID group. Memberships are by object id; no user (and no
 * password) is ever created.
 */
export class EntraGroup extends Construct implements IEntraGroup {
  /** References an existing group: nothing is created and the id is used literally. */
  public static fromObjectId(scope: Construct, id: string, objectId: string): IEntraGroup {
    assertObjectId(`EntraGroup.fromObjectId(${id})`, objectId);
    return new ReferencedEntraGroup(
      scope,
      id,
      Token.isUnresolved(objectId) ? objectId : objectId.toLowerCase(),
    );
  }

  public readonly objectId: string;
  public readonly displayName: string;
  /** The azuread_group resource. */
  public readonly resource: Group;
  private readonly members = new Set<string>();

  constructor(scope: Construct, id: string, props: EntraGroupProps) {
    super(scope, id);
    const name = props.displayName;
    if (!Token.isUnresolved(name) && (name.trim() === '' || name.length > 120)) {
      throw new PlatformError(
        `EntraGroup(${id}).displayName must be 1 to 120 characters, got ${describeValue(name)}`,
      );
    }
    this.displayName = name;
    this.resource = new Group(this, 'group', {
      displayName: name,
      description: props.description,
      securityEnabled: true,
      mailEnabled: false,
      preventDuplicateNames: props.preventDuplicateNames ?? true,
    });
    this.objectId = this.resource.objectId;
    for (const member of props.memberObjectIds ?? []) this.addMember(member);
  }

  /** Makes a user, group or service principal a member, by object id. */
  public addMember(memberObjectId: string): EntraGroupMembership {
    assertObjectId(`EntraGroup(${this.node.id}) member`, memberObjectId);
    const id = memberObjectId.toLowerCase();
    if (this.members.has(id)) {
      throw new PlatformError(`EntraGroup(${this.node.id}) lists the member ${describeValue(id)} twice`);
    }
    this.members.add(id);
    return new EntraGroupMembership(this, `member-${id}`, { group: this, memberObjectId: id });
  }
}
