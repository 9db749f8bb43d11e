import { z } from 'zod';
import { dnsLabel, groupKey, terraformText } from './common';

export const capsuleSchema = z.strictObject({
  users: groupKey.describe('Group key of the Capsule users group; tenant owner groups are nested into it.'),
  forceTenantPrefix: z.boolean().default(true).describe('Tenant namespaces must be named <tenant>-<name>.'),
  namespace: dnsLabel()
    .default('capsule-system')
    .describe('Namespace of the Capsule and capsule-proxy releases.'),
  replicas: z
    .number()
    .int()
    .min(2, 'must be at least 2: Capsule webhooks fail closed, one pod is a single point of failure')
    .max(10)
    .default(2)
    .describe('Capsule controller replicas (leader election and a PodDisruptionBudget are added).'),
  administrators: z
    .array(
      z.strictObject({
        kind: z.enum(['User', 'Group', 'ServiceAccount']),
        name: terraformText(z.string().min(1, 'must not be empty')).describe(
          'User name; for Group a group key; for ServiceAccount "<namespace>:<name>".',
        ),
      }),
    )
    .default([])
    .describe(
      'Capsule administrators: the identity that applies the platform tenant namespaces (e.g. a GitOps controller). Admin groups are ignored by Capsule and cannot be administrators.',
    ),
  proxy: z
    .strictObject({
      dnsLabel: z
        .string()
        .refine(
          (v) => /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/.test(v),
          "must be an Azure DNS label: 3 to 63 lowercase letters, digits and '-', starting with a letter",
        )
        .optional()
        .describe(
          'Azure DNS label of the proxy: <label>.<location>.cloudapp.azure.com. Default: <name>-capsule-proxy.',
        ),
      replicas: z
        .number()
        .int()
        .min(1)
        .max(10)
        .default(2)
        .describe('capsule-proxy replicas (leader election when > 1).'),
    })
    .prefault({}),
  guardrails: z
    .strictObject({
      action: z
        .enum(['Deny', 'Audit'])
        .default('Deny')
        .describe(
          'What the API server does when anyone but the platform writes a NetworkPolicy in a tenant namespace or weakens its Pod Security labels.',
        ),
      exemptServiceAccountNamespaces: z
        .array(dnsLabel())
        .default([])
        .describe(
          'Namespaces whose service accounts (GitOps controllers) are exempt, besides kube-system, Capsule and Kyverno.',
        ),
    })
    .prefault({})
    .describe('Admission policies that keep tenant owners from loosening their isolation.'),
});
