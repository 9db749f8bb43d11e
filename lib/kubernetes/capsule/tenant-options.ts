import { describeValue, PlatformError } from '../../platform-file/errors';
import { LATEST_POD_SECURITY_VERSION, POD_SECURITY_VERSIONS } from '../../platform-file/schema/kyverno';

/** Label Capsule puts on every namespace of a tenant; the platform also puts it on the Tenant itself. */
export const TENANT_LABEL = 'capsule.clastix.io/tenant';

/** Label the API server puts on every namespace, with the namespace's name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Pod label of the platform's hardened workloads (`cdk-aks-platform.io/ingress: workload`): a pod
 * carrying it gets no ingress from the tenant-wide policy, only what its own NetworkPolicy admits
 * (its port, from its declared peers). Pods without it keep the tenant-wide ingress allowance.
 */
export const WORKLOAD_INGRESS_LABEL = 'cdk-aks-platform.io/ingress';

/** Value of `WORKLOAD_INGRESS_LABEL` on the pods of the hardened workloads. */
export const WORKLOAD_INGRESS_LABEL_VALUE = 'workload';

/** Label AKS puts on every node, with the name of its node pool. */
export const AGENT_POOL_LABEL = 'kubernetes.azure.com/agentpool';

/** Cluster roles Capsule binds to a tenant owner in every namespace of the tenant. */
export const OWNER_CLUSTER_ROLES: readonly string[] = ['admin', 'capsule-namespace-deleter'];

/**
 * Pod Security Standards level that Pod Security Admission enforces in a tenant namespace.
 * Audit and warn always use `restricted`, so a baseline tenant still sees what restricted would refuse.
 */
export enum PodSecurityLevel {
  /** Blocks known privilege escalations (host namespaces, privileged, hostPath...). */
  BASELINE = 'baseline',
  /** Baseline plus hardening: non-root, no privilege escalation, seccomp, drop ALL capabilities. */
  RESTRICTED = 'restricted',
}

/** Service types a tenant may be allowed besides ClusterIP (always allowed). */
export enum ServiceType {
  /** Opens a port on every node. */
  NODE_PORT = 'NodePort',
  /** Creates an Azure load balancer, public unless annotated internal. */
  LOAD_BALANCER = 'LoadBalancer',
  /** A DNS alias; can point at services of other tenants (CVE-2021-25740). */
  EXTERNAL_NAME = 'ExternalName',
}

/** One hard limit of the tenant's resource budget (a ResourceQuota entry). */
export interface QuotaEntry {
  /** ResourceQuota resource name, e.g. `requests.cpu`, `limits.memory`, `pods`, `count/deployments.apps`. */
  readonly resource: string;
  /** The hard limit, a Kubernetes quantity ("8", "16Gi"). */
  readonly hard: string;
}

/**
 * Requests and limits given to containers that set none (a LimitRange of type Container).
 * Quantities are Kubernetes quantities ("250m", "512Mi").
 */
export interface ContainerDefaults {
  /** @default - no default CPU request */
  readonly cpuRequest?: string;
  /** @default - no default memory request */
  readonly memoryRequest?: string;
  /** @default - no default CPU limit */
  readonly cpuLimit?: string;
  /** @default - no default memory limit */
  readonly memoryLimit?: string;
}

/** What a tenant's containers get when `containerDefaults` is not given. No CPU limit: it throttles idle nodes. */
export const DEFAULT_CONTAINER_DEFAULTS: ContainerDefaults = {
  cpuRequest: '100m',
  memoryRequest: '128Mi',
  memoryLimit: '256Mi',
};

/** A RoleBinding Capsule keeps in every namespace of the tenant, besides the owners' ones. */
export interface TenantRoleBinding {
  /** The ClusterRole bound, e.g. `view` or `edit`. `cluster-admin` is refused. */
  readonly clusterRole: string;
  /** Entra ID object ids of the groups bound. */
  readonly groupIds: string[];
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
