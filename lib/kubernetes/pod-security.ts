// The Pod Security Standards the platform follows: the level and the Kubernetes version that the
// Kyverno catalog reproduces and that the Pod Security Admission labels of tenant namespaces name.
import { describeValue, PlatformError } from '../platform-file/errors';
import { LATEST_POD_SECURITY_VERSION, POD_SECURITY_VERSIONS } from '../platform-file/schema/kyverno';

/**
 * Pod Security Standards level: the profile the Kyverno catalog enforces, and the one Pod Security
 * Admission enforces in tenant namespaces. Their audit and warn labels always say `restricted`, so
 * a baseline tenant still sees what restricted would refuse.
 */
export enum PodSecurityLevel {
  /** Blocks known privilege escalations (host namespaces, privileged, hostPath...). */
  BASELINE = 'baseline',
  /** Baseline plus hardening: non-root, no privilege escalation, seccomp, drop ALL capabilities. */
  RESTRICTED = 'restricted',
}

/**
 * The Kubernetes minor whose Pod Security Standards apply: the `*-version` of the Pod Security
 * Admission labels, and the controls the Kyverno catalog emits (Pod Security changes with each
 * minor, e.g. sysctls allowed from 1.32 and 1.37, host probes refused from 1.34). Pin it to the
 * cluster's minor; `LATEST` labels namespaces `latest` (the API server's own version) and gives
 * the policies of the newest minor known.
 */
export class PodSecurityVersion {
  /** Every minor the catalog reproduces, oldest first; each is tested against the upstream fixtures. */
  public static readonly SUPPORTED: readonly PodSecurityVersion[] = POD_SECURITY_VERSIONS.map(
    (v) => new PodSecurityVersion(Number(v.split('.')[1]), true),
  );

  /** The API server's version for the labels; the newest supported minor for the policies. */
  public static readonly LATEST = new PodSecurityVersion(
    PodSecurityVersion.SUPPORTED[PodSecurityVersion.SUPPORTED.length - 1].minor,
    false,
  );

  /** The standards of Kubernetes 1.`minor`; throws unless the catalog supports that minor. */
  public static of(minor: number): PodSecurityVersion {
    const found = PodSecurityVersion.SUPPORTED.find((v) => v.minor === minor);
    if (!found) {
      throw new PlatformError(
        `PodSecurityVersion: "1.${minor}" is not supported: the catalog reproduces Kubernetes ${POD_SECURITY_VERSIONS[0]} to ${POD_SECURITY_VERSIONS[POD_SECURITY_VERSIONS.length - 1]}`,
      );
    }
    return found;
  }

  /** `1.35`, `v1.35` or `latest`. */
  public static parse(value: string): PodSecurityVersion {
    if (value === LATEST_POD_SECURITY_VERSION) return PodSecurityVersion.LATEST;
    const m = /^v?1\.(\d+)$/.exec(value);
    if (!m) {
      throw new PlatformError(
        `PodSecurityVersion: ${describeValue(value)} must be a Kubernetes minor such as 1.35, or latest`,
      );
    }
    return PodSecurityVersion.of(Number(m[1]));
  }

  private constructor(
    /** The Kubernetes minor whose controls the policies emit (1.`minor`). */
    public readonly minor: number,
    /** False for `LATEST`. */
    public readonly pinned: boolean,
  ) {}

  /** The value of the Pod Security Admission `*-version` labels: `v1.35`, or `latest`. */
  public get label(): string {
    return this.pinned ? `v1.${this.minor}` : LATEST_POD_SECURITY_VERSION;
  }

  /** True when the standards of Kubernetes 1.`minor` (or a later minor) apply. */
  public isAtLeast(minor: number): boolean {
    return this.minor >= minor;
  }

  public toString(): string {
    return this.pinned ? `1.${this.minor}` : LATEST_POD_SECURITY_VERSION;
  }
}

/**
 * The labels that make Pod Security Admission enforce `level` (audit and warn: restricted), all
 * three at `version`.
 */
export function podSecurityLabels(
  level: PodSecurityLevel,
  version: PodSecurityVersion = PodSecurityVersion.LATEST,
): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': version.label,
    'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
    'pod-security.kubernetes.io/audit-version': version.label,
    'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
    'pod-security.kubernetes.io/warn-version': version.label,
  };
}
