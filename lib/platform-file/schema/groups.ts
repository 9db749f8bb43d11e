import { z } from 'zod';
import { groupKey, terraformText, uuid } from './common';

export const groupSchema = z
  .strictObject({
    displayName: terraformText(
      z.string().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
    )
      .optional()
      .describe(
        'Display name of a security group the infra stack creates. Exactly one of displayName and objectId.',
      ),
    description: terraformText(z.string().max(1024)).optional().describe('Description of a created group.'),
    objectId: uuid
      .optional()
      .describe('Object id of an existing Entra ID group to reference instead of creating one.'),
    members: z
      .array(uuid)
      .default([])
      .describe('Object ids of users, groups or service principals made members of a created group.'),
  })
  .superRefine((g, ctx) => {
    if ((g.displayName === undefined) === (g.objectId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'needs exactly one of displayName (the infra stack creates the group) and objectId (an existing group)',
      });
    }
    if (g.objectId !== undefined && g.members.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['members'],
        message:
          'can only be set on a group the infra stack creates (with displayName); manage members of an existing group in Entra ID',
      });
    }
    if (new Set(g.members).size !== g.members.length) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'lists the same object id twice' });
    }
  });

export const groupsSchema = z
  .record(groupKey, groupSchema)
  .describe('Entra ID groups by key: created by the infra stack (displayName) or referenced (objectId).');
