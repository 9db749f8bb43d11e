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

/** The labels that make Pod Security Admission enforce `level` (audit and warn: restricted). */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
    'pod-security.kubernetes.io/audit-version': 'latest',
    'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
    'pod-security.kubernetes.io/warn-version': 'latest',
  };
}
