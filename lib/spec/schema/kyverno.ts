import { z } from 'zod';
import type { PlatformIssue } from '../errors';
import type { PlatformSpec } from './platform';
import { dnsLabel } from './common';

const action = z.enum(['Audit', 'Enforce']);

function replicas(min: number, what: string) {
  return z
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min} for high availability (${what})`)
    .max(15, 'must be at most 15')
    .default(min);
}

export const kyvernoSchema = z.strictObject({
  namespace: dnsLabel().default('kyverno').describe('Namespace of the Kyverno release.'),
  replicas: z
    .strictObject({
      admission: replicas(
        3,
        'Kyverno HA guide minimum: one admission pod down must not block the API server',
      ),
      background: replicas(2, 'a second pod keeps generate and mutate-existing running'),
      cleanup: replicas(2, 'a second pod keeps cleanup running'),
      reports: replicas(2, 'a second pod keeps policy reports flowing'),
    })
    .prefault({})
    .describe('Replicas per Kyverno controller.'),
  podSecurity: z
    .enum(['baseline', 'restricted'])
    .default('restricted')
    .describe('Pod Security Standards profile enforced by the policies.'),
  action: action
    .default('Enforce')
    .describe('Default action of every policy: Audit (report only) or Enforce (deny).'),
  policies: z
    .record(
      z.string(),
      z.strictObject({
        action: action.optional().describe('Overrides kyverno.action for this policy.'),
        enabled: z.boolean().default(true).describe('false removes the policy from the output.'),
      }),
    )
    .default({})
    .describe('Per-policy overrides, by policy name (see the catalog in the README).'),
  exceptionNamespace: dnsLabel()
    .default('kyverno-exceptions')
    .describe(
      'The only namespace where Kyverno accepts PolicyExceptions; only platform admins can write there.',
    ),
  imageVerification: z
    .strictObject({
      images: z
        .array(z.string().min(1))
        .min(1, 'must list at least one image pattern')
        .describe('Image patterns, e.g. myregistry.azurecr.io/*.'),
      issuer: z
        .string()
        .url('must be an OIDC issuer URL')
        .describe('Keyless signing: the OIDC issuer of the signer.'),
      subject: z
        .string()
        .min(1)
        .describe('Keyless signing: the certificate subject (identity) of the signer.'),
      action: action.optional().describe('Overrides kyverno.action for image verification.'),
    })
    .optional()
    .describe('Sigstore keyless signature verification of images (off when absent).'),
});

/** Checks of this section that need the whole platform (called after parsing, with the others). */
export function checkKyverno(_spec: PlatformSpec): PlatformIssue[] {
  return [];
}
