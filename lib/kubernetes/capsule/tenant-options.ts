/** Cluster roles Capsule binds to a tenant owner in every namespace of the tenant. */
export const OWNER_CLUSTER_ROLES: readonly string[] = ['admin', 'capsule-namespace-deleter'];

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
