import { z } from 'zod';
import { didYouMean } from '../suggest';
import type { PlatformIssue } from '../errors';
import { describeValue } from '../errors';
import type { PlatformSpec } from './platform';
import { dnsLabel } from './common';

/** The controls only the restricted profile emits (the others apply to both profiles). */
export const RESTRICTED_ONLY_POLICY_NAMES: readonly string[] = [
  'restrict-volume-types',
  'disallow-privilege-escalation',
  'require-run-as-nonroot',
  'require-run-as-non-root-user',
  'restrict-seccomp-strict',
  'disallow-capabilities-strict',
];

/**
 * Names of the policies of the Kyverno catalog, by kind. Plain data: the spec does not know the
 * constructs; a test keeps this list and the catalog in agreement.
 */
export const KYVERNO_POLICY_NAMES = {
  /** Pod controls: the Pod Security Standards (baseline, then restricted), conventions, best practices. */
  validating: [
    'disallow-host-process',
    'disallow-host-namespaces',
    'disallow-privileged-containers',
    'disallow-capabilities',
    'disallow-host-path',
    'disallow-host-ports',
    'restrict-apparmor-profiles',
    'disallow-selinux',
    'disallow-proc-mount',
    'restrict-seccomp',
    'restrict-sysctls',
    'disallow-probe-host',
    ...RESTRICTED_ONLY_POLICY_NAMES,
    'require-app-name-label',
    'restrict-app-tier-label',
    'disallow-latest-tag',
    'require-requests-limits',
    'require-probes',
    'require-ro-rootfs',
    'disallow-default-namespace',
  ],
  /** The NetworkPolicy generator: it can be disabled, it has no action. */
  generating: ['add-default-deny-network-policy'],
  /** Image signature verification (emitted when kyverno.imageVerification is set). */
  imageValidating: ['verify-image-signatures'],
} as const;

const ALL_POLICY_NAMES: readonly string[] = [
  ...KYVERNO_POLICY_NAMES.validating,
  ...KYVERNO_POLICY_NAMES.generating,
  ...KYVERNO_POLICY_NAMES.imageValidating,
];

const action = z.enum(['Audit', 'Enforce']);

/** An exception's reason is an annotation; Kubernetes allows 256 KiB of annotations per object. */
export const MAX_EXCEPTION_REASON_BYTES = 4 * 1024;

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
  policyApi: z
    .enum(['policies.kyverno.io/v1', 'kyverno.io/v1'])
    .default('policies.kyverno.io/v1')
    .describe(
      'Policy API: policies.kyverno.io/v1 (ValidatingPolicy..., Kyverno 1.19) or kyverno.io/v1 (ClusterPolicy, deprecated; for Kyverno 1.11-1.17).',
    ),
  exceptions: z
    .array(
      z.strictObject({
        name: dnsLabel().describe('Name of the PolicyException object.'),
        policies: z
          .array(z.string())
          .min(1, 'must list at least one policy')
          .describe('Names of the policies lifted (see the catalog).'),
        namespace: dnsLabel().describe('Namespace of the workloads freed.'),
        workloads: z
          .array(dnsLabel())
          .min(1, 'must list at least one workload')
          .describe('Workload names: the controller name and the app.kubernetes.io/name label of its pods.'),
        reason: z
          .string()
          .trim()
          .min(1, 'must explain why the exception is needed')
          .refine(
            (v) => Buffer.byteLength(v) <= MAX_EXCEPTION_REASON_BYTES,
            'is longer than 4 KiB: it is written as an annotation, and Kubernetes limits the annotations of an object to 256 KiB',
          )
          .describe('Why (at most 4 KiB).'),
        expiresAt: z
          .string()
          .regex(
            /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
            'must be an RFC 3339 time such as 2026-12-31T00:00:00Z',
          )
          .optional()
          .describe('When the exception stops applying (policies.kyverno.io/v1 only).'),
      }),
    )
    .default([])
    .describe('PolicyExceptions, written to kyverno.exceptionNamespace.'),
});

/** Checks of this section that need the whole platform (called after parsing, with the others). */
export function checkKyverno(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const k = spec.kyverno;
  const add = (path: string, message: string) => issues.push({ path, message });
  for (const [name, o] of Object.entries(k.policies)) {
    const at = `kyverno.policies.${name}`;
    if (!ALL_POLICY_NAMES.includes(name)) {
      add(at, `${describeValue(name)} is not a policy of the catalog${didYouMean(name, ALL_POLICY_NAMES)}`);
    } else if (
      o.action !== undefined &&
      (KYVERNO_POLICY_NAMES.generating as readonly string[]).includes(name)
    ) {
      add(
        `${at}.action`,
        `${describeValue(o.action)} cannot apply: ${name} generates NetworkPolicies and rejects nothing`,
      );
    } else if (
      name === 'verify-image-signatures' &&
      o.action !== undefined &&
      k.imageVerification?.action !== undefined
    ) {
      add(`${at}.action`, 'is also set by kyverno.imageVerification.action: keep one');
    }
  }
  const emitted = new Set<string>(
    KYVERNO_POLICY_NAMES.validating.filter(
      (n) => k.podSecurity === 'restricted' || !RESTRICTED_ONLY_POLICY_NAMES.includes(n),
    ),
  );
  if (k.imageVerification) emitted.add('verify-image-signatures');
  for (const [name, o] of Object.entries(k.policies)) if (!o.enabled) emitted.delete(name);
  const exceptionNames = new Set<string>();
  k.exceptions.forEach((e, i) => {
    const at = `kyverno.exceptions[${i}]`;
    if (exceptionNames.has(e.name))
      add(`${at}.name`, `${describeValue(e.name)} is used by another exception`);
    exceptionNames.add(e.name);
    e.policies.forEach((p, j) => {
      if (!emitted.has(p)) {
        const why = ALL_POLICY_NAMES.includes(p)
          ? 'is not emitted (disabled, not in the podSecurity profile, or not a validation policy)'
          : `is not a policy of the catalog${didYouMean(p, ALL_POLICY_NAMES)}`;
        add(`${at}.policies[${j}]`, `${describeValue(p)} ${why}`);
      }
    });
    if (e.expiresAt !== undefined && k.policyApi === 'kyverno.io/v1') {
      add(
        `${at}.expiresAt`,
        'needs kyverno.policyApi policies.kyverno.io/v1: the kyverno.io/v2 PolicyException has no expiry',
      );
    }
  });
  return issues;
}
