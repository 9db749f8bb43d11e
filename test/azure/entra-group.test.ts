import { TerraformVariable, Testing } from 'cdktf';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { EntraGroup } from '../../lib/azure/entra-group';
import { PlatformStack } from '../../lib/azure/platform-stack';
import { EntraGroupMembership } from '../../lib/azure/entra-group-membership';
import { PlatformError } from '../../lib/platform-file';
import { resources, synth, testStack } from './helpers';

const USER = '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0';
const OTHER = 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58';

describe('EntraGroup', () => {
  test('creates a security-enabled, non-mail group that refuses duplicate names', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new EntraGroup(stack, 'dev', { displayName: 'capsuleDevGroup', description: 'Developers' });
    // THEN
    const groups = Object.values(resources(synth(stack), 'azuread_group'));
    expect(groups).toEqual([
      expect.objectContaining({
        display_name: 'capsuleDevGroup',
        description: 'Developers',
        security_enabled: true,
        mail_enabled: false,
        prevent_duplicate_names: true,
      }),
    ]);
    expect(groups[0]).not.toHaveProperty('members');
  });

  test('adds members one membership resource each, by object id, normalised to lowercase', () => {
    const stack = testStack();
    const group = new EntraGroup(stack, 'dev', { displayName: 'dev', memberObjectIds: [USER.toUpperCase()] });
    group.addMember(OTHER);
    const members = Object.values(resources(synth(stack), 'azuread_group_member'));
    expect(members.map((m) => m.member_object_id).sort()).toEqual([OTHER, USER].sort());
    for (const m of members) expect(m.group_object_id).toMatch(/^\$\{azuread_group\.[\w-]+\.object_id\}$/);
  });

  test('a referenced group creates nothing and exposes its literal object id', () => {
    const stack = testStack();
    const group = EntraGroup.fromObjectId(stack, 'sre', USER.toUpperCase());
    new EntraGroupMembership(stack, 'nest', { group, memberObjectId: OTHER });
    const tf = synth(stack);
    expect(group.objectId).toBe(USER);
    expect(resources(tf, 'azuread_group')).toEqual({});
    expect(Object.values(resources(tf, 'azuread_group_member'))).toEqual([
      expect.objectContaining({ group_object_id: USER, member_object_id: OTHER }),
    ]);
  });

  test('the object id is the UUID attribute, never the /groups/<id> resource id', () => {
    const stack = testStack();
    const group = new EntraGroup(stack, 'dev', { displayName: 'dev' });
    new EntraGroupMembership(stack, 'nest', {
      group: EntraGroup.fromObjectId(stack, 'x', USER),
      memberObjectId: group.objectId,
    });
    const member = Object.values(resources(synth(stack), 'azuread_group_member'))[0];
    expect(member.member_object_id).toMatch(/\.object_id\}$/);
  });

  test.each([
    [
      'an empty display name',
      () => new EntraGroup(testStack(), 'g', { displayName: ' ' }),
      /EntraGroup\(g\)\.displayName must be 1 to 120 characters, got " "/,
    ],
    [
      'a display name over 120 characters',
      () => new EntraGroup(testStack(), 'g', { displayName: 'x'.repeat(121) }),
      /displayName must be 1 to 120 characters/,
    ],
    [
      'a member that is not an object id',
      () => new EntraGroup(testStack(), 'g', { displayName: 'g', memberObjectIds: ['alice@example.com'] }),
      /EntraGroup\(g\) member must be an Entra object id .*got "alice@example\.com"/,
    ],
    [
      'the same member twice',
      () =>
        new EntraGroup(testStack(), 'g', { displayName: 'g', memberObjectIds: [USER, USER.toUpperCase()] }),
      /EntraGroup\(g\) lists the member "0fd5e5bb-39bb-468c-b343-dcdfb01e92d0" twice/,
    ],
    [
      'a referenced group without a UUID',
      () => EntraGroup.fromObjectId(testStack(), 'sre', '/groups/' + USER),
      /EntraGroup\.fromObjectId\(sre\) must be an Entra object id .*got "\/groups\/0fd5e5bb/,
    ],
    [
      'a membership of something that is not an object id',
      () =>
        new EntraGroupMembership(testStack(), 'm', {
          group: EntraGroup.fromObjectId(testStack(), 'g', USER),
          memberObjectId: 'bob',
        }),
      /EntraGroupMembership\(m\)\.memberObjectId must be an Entra object id .*got "bob"/,
    ],
  ])('rejects %s', (_what, build, message) => {
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  });
});

describe('EntraGroup.addMember with a reference', () => {
  /** A PlatformStack (readable names) with the azuread provider. */
  function stack(): PlatformStack {
    const s = new PlatformStack(Testing.app(), 'identity');
    new AzureadProvider(s, 'azuread', {});
    return s;
  }

  test('a group created in the same stack: the reference as is, a membership named after the group', () => {
    // GIVEN
    const s = stack();
    const dev = new EntraGroup(s, 'dev', { displayName: 'dev' });
    const ops = new EntraGroup(s, 'ops', { displayName: 'ops' });
    // WHEN
    dev.addMember(ops.objectId);
    dev.addMember(USER.toUpperCase());
    // THEN
    expect(resources(synth(s), 'azuread_group_member')).toEqual({
      dev_member_ops: expect.objectContaining({
        group_object_id: '${azuread_group.dev.object_id}',
        member_object_id: '${azuread_group.ops.object_id}',
      }),
      [`dev_member_${USER.replace(/-/g, '_')}`]: expect.objectContaining({ member_object_id: USER }),
    });
  });

  test('the membership name does not depend on token numbering (the order things are created in)', () => {
    const names = (extraTokensFirst: number) => {
      const s = stack();
      for (let i = 0; i < extraTokensFirst; i++) new EntraGroup(s, `x${i}`, { displayName: `x${i}` });
      const dev = new EntraGroup(s, 'dev', { displayName: 'dev' });
      const ops = new EntraGroup(s, 'ops', { displayName: 'ops' });
      return dev.addMember(ops.objectId).node.path;
    };
    expect(names(0)).toBe('identity/dev/member-ops');
    expect(names(3)).toBe('identity/dev/member-ops');
  });

  test('a group of another stack of the app is found too (cross-stack reference)', () => {
    const app = Testing.app();
    const a = new PlatformStack(app, 'a');
    new AzureadProvider(a, 'azuread', {});
    const b = new PlatformStack(app, 'b');
    new AzureadProvider(b, 'azuread', {});
    const ops = new EntraGroup(a, 'ops', { displayName: 'ops' });
    const dev = new EntraGroup(b, 'dev', { displayName: 'dev' });
    expect(dev.addMember(ops.objectId).node.id).toBe('member-ops');
  });

  test('any other reference needs a name; the same member twice is refused', () => {
    const s = stack();
    const dev = new EntraGroup(s, 'dev', { displayName: 'dev' });
    const ops = new EntraGroup(s, 'ops', { displayName: 'ops' });
    const spn = new TerraformVariable(s, 'deployer_object_id', { type: 'string' }).stringValue;
    expect(() => dev.addMember(spn)).toThrow(PlatformError);
    expect(() => dev.addMember(spn)).toThrow(
      /EntraGroup\(dev\)\.addMember: ".*" is a reference to no group of this app: give the membership a name/,
    );
    expect(dev.addMember(spn, 'deployer').node.id).toBe('member-deployer');
    dev.addMember(ops.objectId);
    expect(() => dev.addMember(ops.objectId)).toThrow(/EntraGroup\(dev\) lists the member "ops" twice/);
    expect(() => dev.addMember(USER, 'deployer')).toThrow(
      /EntraGroup\(dev\) already has a member named "deployer"/,
    );
    expect(resources(synth(s), 'azuread_group_member').dev_member_deployer.member_object_id).toBe(
      '${var.deployer_object_id}',
    );
  });
});
