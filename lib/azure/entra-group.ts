import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Group } from '@cdktf/provider-azuread/lib/group';
import { describeValue, PlatformError } from '../platform-file/errors';
import { assertObjectId } from './private/checks';
import { terraformText } from './private/terraform-text';
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
      displayName: terraformText(name),
      description: terraformText(props.description),
      securityEnabled: true,
      mailEnabled: false,
      preventDuplicateNames: props.preventDuplicateNames ?? true,
    });
    this.objectId = this.resource.objectId;
    for (const member of props.memberObjectIds ?? []) this.addMember(member);
  }

  /**
   * Makes a user, group or service principal a member, by object id: a literal UUID (normalised
   * to lowercase) or a reference such as `otherGroup.objectId` of a group of this app.
   * @param name the membership's name in the Terraform address. @default - the object id, or the
   * construct id of the group it references; required for any other reference
   */
  public addMember(memberObjectId: string, name?: string): EntraGroupMembership {
    assertObjectId(`EntraGroup(${this.node.id}) member`, memberObjectId);
    const reference = Token.isUnresolved(memberObjectId);
    const objectId = reference ? memberObjectId : memberObjectId.toLowerCase();
    if (this.members.has(objectId)) {
      const shown = reference ? (name ?? this.referencedGroup(objectId)?.node.id) : objectId;
      throw new PlatformError(`EntraGroup(${this.node.id}) lists the member ${describeValue(shown)} twice`);
    }
    const id = name ?? (reference ? this.referencedGroup(objectId)?.node.id : objectId);
    if (id === undefined) {
      throw new PlatformError(
        `EntraGroup(${this.node.id}).addMember: ${describeValue(memberObjectId)} is a reference to no group of this app: give the membership a name (addMember(objectId, name))`,
      );
    }
    if (this.node.tryFindChild(`member-${id}`)) {
      throw new PlatformError(
        `EntraGroup(${this.node.id}) already has a member named ${describeValue(id)}: give this one another name (addMember(objectId, name))`,
      );
    }
    this.members.add(objectId);
    return new EntraGroupMembership(this, `member-${id}`, { group: this, memberObjectId: objectId });
  }

  /** The group of this app whose object id is this reference. */
  private referencedGroup(objectId: string): EntraGroup | undefined {
    return this.node.root.node
      .findAll()
      .find((c): c is EntraGroup => c instanceof EntraGroup && c.objectId === objectId);
  }
}
