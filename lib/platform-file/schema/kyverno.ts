import { z } from 'zod';
import { didYouMean } from '../suggest';
import type { PlatformIssue } from '../errors';
import { describeValue } from '../errors';
import type { PlatformSpec } from '../types';
import { dnsLabel, firstTenantByName } from './common';

/**
 * The Kubernetes minors whose Pod Security Standards the catalog reproduces, oldest first: the
 * minors AKS supports (community or long-term support) and the next one in preview. Each is
 * checked against the upstream Pod Security Admission fixtures vendored in
 * `vendor/kubernetes-pod-security-admission`.
 */
export const POD_SECURITY_VERSIONS: readonly string[] = [
  '1.31',
  '1.32',
  '1.33',
  '1.34',
  '1.35',
  '1.36',
  '1.37',
];

/** The value of `kyverno.podSecurityVersion` that follows the API server (and the newest minor known). */
export const LATEST_POD_SECURITY_VERSION = 'latest';

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
  /**
   * Validation policies: the pod controls (Pod Security Standards baseline then restricted,
   * conventions, best practices) and the Service control. disallow-probe-host is emitted from
   * Kubernetes 1.34 on.
   */
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
    'restrict-service-external-ips',
  ],
  /** The registry restriction, emitted when kyverno.allowedRegistries lists registries. */
  imageRegistries: ['restrict-image-registries'],
  /** Client ids of workload identities only where the platform issued them (ServiceAccounts). */
  workloadIdentity: ['restrict-workload-identity'],
  /** The NetworkPolicy generator: it can be disabled, it has no action. */
  generating: ['add-default-deny-network-policy'],
  /** Image signature verification (emitted when kyverno.imageVerification is set). */
  imageValidating: ['verify-image-signatures'],
} as const;

const ALL_POLICY_NAMES: readonly string[] = [
  ...KYVERNO_POLICY_NAMES.validating,
  ...KYVERNO_POLICY_NAMES.imageRegistries,
  ...KYVERNO_POLICY_NAMES.workloadIdentity,
  ...KYVERNO_POLICY_NAMES.generating,
  ...KYVERNO_POLICY_NAMES.imageValidating,
];

const action = z.enum(['Audit', 'Enforce']);

const HOST = '[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?';

/** True when the first path segment names a registry the way container runtimes tell: a dot, a port or localhost. */
function namesRegistry(value: string): boolean {
  const first = value.split('/')[0];
  return first.includes('.') || first.includes(':') || first.split(':')[0] === 'localhost';
}

/**
 * True for a registry host as image references start with it: `myregistry.azurecr.io`,
 * `localhost:5000`, `registry:5000` (a dot, a port or `localhost` tells a registry from a Docker
 * Hub namespace).
 */
export function isRegistryHost(value: string): boolean {
  return new RegExp(`^${HOST}$`).test(value) && namesRegistry(value);
}

/** True for a registry host with an optional repository path: `ghcr.io/contoso`. */
export function isRegistryPrefix(value: string): boolean {
  return new RegExp(`^${HOST}(/[a-z0-9]+([._-][a-z0-9]+)*)*$`).test(value) && namesRegistry(value);
}

export const registryHost = z
  .string()
  .refine(
    isRegistryHost,
    'must be a registry host such as myregistry.azurecr.io or localhost:5000 (lowercase, no scheme, no path)',
  );

const registryPrefix = z
  .string()
  .refine(
    isRegistryPrefix,
    'must be a registry host with an optional path, such as myregistry.azurecr.io or ghcr.io/contoso (lowercase, no scheme, no wildcard, no trailing /)',
  );

/** A list without repeated entries. */
export function uniqueList<T extends z.ZodType<string>>(item: T) {
  return z.array(item).refine((l) => new Set(l).size === l.length, 'lists the same entry twice');
}

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
  podSecurityVersion: z
    .enum([...POD_SECURITY_VERSIONS, LATEST_POD_SECURITY_VERSION] as unknown as [string, ...string[]])
    .optional()
    .describe(
      `Kubernetes minor whose Pod Security Standards the policies and the namespaces' Pod Security labels follow (${POD_SECURITY_VERSIONS[0]} to ${POD_SECURITY_VERSIONS[POD_SECURITY_VERSIONS.length - 1]}), quoted. Default: the minor of cluster.kubernetesVersion; latest when that is absent too (labels follow the API server, policies the newest minor). Set it when the cluster runs the AKS default version.`,
    ),
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
    .describe('Per-policy overrides, by policy name (see the catalog in docs/policies.md).'),
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
  allowedRegistries: uniqueList(registryPrefix)
    .optional()
    .describe(
      'Registries (host, optionally with a path) every image of every pod must come from, Docker Hub short names counting as docker.io/library/...; off when empty. Default: the login server of containerRegistry when it is set, else none.',
    ),
  policyApi: z
    .enum(['policies.kyverno.io/v1', 'kyverno.io/v1'])
    .default('policies.kyverno.io/v1')
    .describe(
      'Policy API: policies.kyverno.io/v1 (ValidatingPolicy..., Kyverno 1.19) or kyverno.io/v1 (ClusterPolicy with per-rule failureAction: Kyverno 1.13 to 1.17, still served but deprecated by 1.18 and 1.19).',
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

/** The minor of a Kubernetes version written `1.35` or `1.35.2`. */
function minorOf(version: string | undefined): number | undefined {
  const m = version === undefined ? null : /^1\.(\d+)(\.\d+)?$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/**
 * The Pod Security version the platform follows: kyverno.podSecurityVersion when set, else the
 * minor of cluster.kubernetesVersion (`1.35`), else `latest`.
 */
export function podSecurityVersionOf(spec: Pick<PlatformSpec, 'kyverno' | 'cluster'>): string {
  if (spec.kyverno.podSecurityVersion !== undefined) return spec.kyverno.podSecurityVersion;
  const minor = minorOf(spec.cluster.kubernetesVersion);
  return minor === undefined ? LATEST_POD_SECURITY_VERSION : `1.${minor}`;
}

/** The names of the validation policies the platform emits (before per-policy removals). */
function emittedValidationPolicies(spec: PlatformSpec): Set<string> {
  const k = spec.kyverno;
  const version = podSecurityVersionOf(spec);
  const minor = version === LATEST_POD_SECURITY_VERSION ? Infinity : (minorOf(version) ?? Infinity);
  const emitted = new Set<string>(
    KYVERNO_POLICY_NAMES.validating.filter(
      (n) =>
        (k.podSecurity === 'restricted' || !RESTRICTED_ONLY_POLICY_NAMES.includes(n)) &&
        (n !== 'disallow-probe-host' || minor >= 34),
    ),
  );
  if (k.allowedRegistries.length > 0) emitted.add('restrict-image-registries');
  emitted.add('restrict-workload-identity');
  if (k.imageVerification) emitted.add('verify-image-signatures');
  return emitted;
}

function checkPodSecurityVersion(spec: PlatformSpec, add: (path: string, message: string) => void): void {
  const oldest = POD_SECURITY_VERSIONS[0];
  const newest = POD_SECURITY_VERSIONS[POD_SECURITY_VERSIONS.length - 1];
  const cluster = spec.cluster.kubernetesVersion;
  const clusterMinor = minorOf(cluster);
  const explicit = spec.kyverno.podSecurityVersion;
  if (explicit !== undefined) {
    const minor = minorOf(explicit);
    if (minor !== undefined && clusterMinor !== undefined && minor > clusterMinor) {
      add(
        'kyverno.podSecurityVersion',
        `"${explicit}" is newer than cluster.kubernetesVersion "${cluster}": the API server judges pods by its own version, so the policies and the Pod Security labels would not agree; use "1.${clusterMinor}" or older`,
      );
    }
    return;
  }
  if (clusterMinor === undefined || POD_SECURITY_VERSIONS.includes(`1.${clusterMinor}`)) return;
  add(
    'cluster.kubernetesVersion',
    clusterMinor < (minorOf(oldest) ?? 0)
      ? `"${cluster}" is older than ${oldest}, the oldest Kubernetes minor whose Pod Security Standards the policies reproduce (${oldest} to ${newest}): upgrade the cluster, or set kyverno.podSecurityVersion: latest to take the newest policies anyway`
      : `"${cluster}" is newer than ${newest}, the newest Kubernetes minor whose Pod Security Standards the policies reproduce: set kyverno.podSecurityVersion: "${newest}" to keep its standards (or latest)`,
  );
}

/** Checks of this section that need the whole platform (called after parsing, with the others). */
export function checkKyverno(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const k = spec.kyverno;
  const add = (path: string, message: string) => issues.push({ path, message });
  checkPodSecurityVersion(spec, add);
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
  const emitted = emittedValidationPolicies(spec);
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
          ? 'is not emitted (disabled, not in the podSecurity profile or version, not configured, or not a validation policy)'
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
  // Capsule reads an image's registry as its first path segment, whatever it looks like.
  const tenantByName = firstTenantByName(spec.tenants);
  spec.workloads.forEach((w, i) => {
    const registries = tenantByName.get(w.tenant)?.registries ?? [];
    const first = w.image.includes('/') ? w.image.split('/')[0] : '';
    if (registries.length > 0 && !registries.includes(first)) {
      add(
        `workloads[${i}].image`,
        `${describeValue(w.image)} ${first ? `is read by Capsule as coming from "${first}"` : 'names no registry'}, not from one of the registries of tenant ${w.tenant} (${registries.join(', ')}): write the registry first, e.g. ${registries.includes('docker.io') ? 'docker.io' : registries[0]}/${w.image}`,
      );
    }
  });
  const platformHosts = new Set(k.allowedRegistries.map((r) => r.split('/')[0]));
  spec.tenants.forEach((t, i) =>
    t.registries.forEach((r, j) => {
      if (platformHosts.size > 0 && !platformHosts.has(r)) {
        add(
          `tenants[${i}].registries[${j}]`,
          `${describeValue(r)} is not a registry of kyverno.allowedRegistries (${k.allowedRegistries.join(', ')}): restrict-image-registries would refuse its images`,
        );
      }
    }),
  );
  return issues;
}
