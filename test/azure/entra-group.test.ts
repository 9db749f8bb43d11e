import { EntraGroup } from '../../lib/azure/entra-group';
import { EntraGroupMembership } from '../../lib/azure/entra-group-membership';
import { PlatformError } from '../../lib/spec';
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
