import { TerraformStack } from 'cdktf';
import { GroupMember } from '@cdktf/provider-azuread/lib/group-member';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { LeanGroupMember } from '../../lib/azure/private/lean-group-member';
import { LeanRoleAssignment } from '../../lib/azure/private/lean-role-assignment';
import { synth, testStack } from './helpers';

// The lean classes must write exactly what the provider classes write, whatever is set: the
// platform relies on it for byte-identical output.

const objectId = '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0';

function sameJson(build: (stack: TerraformStack, lean: boolean) => void): void {
  const [plain, lean] = [false, true].map((isLean) => {
    const stack = testStack();
    build(stack, isLean);
    return synth(stack);
  });
  expect(lean).toEqual(plain);
  expect(JSON.stringify(lean)).toBe(JSON.stringify(plain));
}

describe('lean provider resources', () => {
  test('a role assignment with the attributes the platform sets, and with the others too', () => {
    sameJson((stack, lean) => {
      const Class = lean ? LeanRoleAssignment : RoleAssignment;
      const few = new Class(stack, 'few', {
        scope: '/subscriptions/x',
        roleDefinitionName: 'Reader',
        principalId: objectId,
        principalType: 'Group',
      });
      const all = new Class(stack, 'all', {
        scope: few.scope,
        roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/x',
        principalId: few.principalId,
        description: 'every attribute',
        condition: 'true',
        conditionVersion: '2.0',
        name: objectId,
        skipServicePrincipalAadCheck: false,
        timeouts: { create: '5m' },
        dependsOn: [few],
        lifecycle: { preventDestroy: true },
      });
      all.putTimeouts({ delete: '7m' });
      all.addOverride('description', 'overridden');
    });
  });

  test('a group membership, with and without timeouts', () => {
    sameJson((stack, lean) => {
      const Class = lean ? LeanGroupMember : GroupMember;
      new Class(stack, 'plain', { groupObjectId: objectId, memberObjectId: objectId });
      new Class(stack, 'timed', {
        groupObjectId: objectId,
        memberObjectId: objectId,
        timeouts: { read: '1m' },
      }).resetTimeouts();
      new Class(stack, 'kept', {
        groupObjectId: objectId,
        memberObjectId: objectId,
        timeouts: { read: '1m' },
      });
    });
  });

  test('unset attributes are not synthesized, set ones are', () => {
    const stack = testStack();
    const r = new LeanRoleAssignment(stack, 'r', {
      scope: 's',
      roleDefinitionName: 'Reader',
      principalId: objectId,
    });
    expect(Object.keys((r as unknown as { synthesizeAttributes(): object }).synthesizeAttributes())).toEqual([
      'principal_id',
      'role_definition_name',
      'scope',
    ]);
  });
});
