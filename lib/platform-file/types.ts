// The validated platform description as plain interfaces. The schema (schema/*.ts) validates the
// file and applies the defaults; these interfaces are what the rest of the library and a consumer
// see, so that the published types name no validation library. schema/platform.ts checks at
// compile time that both describe the same data.

/** The validated platform description, every default applied (see the platform file reference). */
export interface PlatformSpec {
  /** Prefix of the Azure resource names. */
  readonly name: string;
  readonly azure: AzureSpec;
  readonly cluster: ClusterSpec;
  /** Entra ID groups by key. */
  readonly groups: Record<string, GroupSpec>;
  /** Group keys with cluster-admin. */
  readonly admins: string[];
  readonly kyverno: KyvernoSpec;
  readonly capsule: CapsuleSpec;
  /**
   * The cluster's ingress controller, when tenants publish through one.
   * @default - no ingress controller
   */
  readonly ingress?: IngressSpec;
  /**
   * The Azure Container Registry the cluster pulls from.
   * @default - no registry
   */
  readonly containerRegistry?: ContainerRegistrySpec;
  readonly tenants: TenantSpec[];
  /** Azure Key Vaults by key, each owned by one tenant. */
  readonly keyVaults: Record<string, TenantKeyVaultSpec>;
  readonly workloads: WorkloadSpec[];
}

export interface AzureSpec {
  /**
   * Azure subscription of the platform.
   * @default - the ARM_SUBSCRIPTION_ID environment variable
   */
  readonly subscriptionId?: string;
  readonly location: string;
  readonly resourceGroup: string;
  readonly nodeResourceGroup: string;
  /**
   * Terraform state in Azure Storage.
   * @default - local state files
   */
  readonly state?: StateBackendSpec;
}

/** The azurerm backend: one blob per stack, Entra ID authentication. */
export interface StateBackendSpec {
  readonly storageAccount: string;
  readonly container: string;
  /**
   * Prefix of each stack's blob name.
   * @default - "<name>/"
   */
  readonly keyPrefix?: string;
  /**
   * Resource group of the storage account.
   * @default - not given to Terraform (Entra ID authentication does not need it)
   */
  readonly resourceGroup?: string;
  /**
   * Subscription of the storage account.
   * @default - azure.subscriptionId, else ARM_SUBSCRIPTION_ID
   */
  readonly subscriptionId?: string;
}

export interface ClusterSpec {
  readonly skuTier: 'Free' | 'Standard' | 'Premium';
  readonly network: ClusterNetworkSpec;
  readonly apiServer: ApiServerSpec;
  readonly upgrade: UpgradeSpec;
  readonly systemPool: SystemPoolSpec;
  readonly userPools: UserPoolSpec[];
  readonly logRetentionDays: number;
  readonly maintenance: MaintenanceSpec;
  readonly runCommand: boolean;
  readonly imageCleaner: ImageCleanerSpec;
  readonly auditLogs: AuditLogsSpec;
  readonly controlPlaneIdentity: 'SystemAssigned' | 'UserAssigned';
  readonly addons: ClusterAddonsSpec;
  /**
   * Kubernetes version (minor, or patch when automatic upgrades are off).
   * @default - the AKS default version
   */
  readonly kubernetesVersion?: string;
}

export interface ClusterNetworkSpec {
  readonly plugin: 'azure';
  readonly mode: 'overlay' | 'vnet';
  readonly policy: 'azure' | 'calico' | 'cilium';
}

/** One of `authorizedIpRanges` or `private: true`. */
export interface ApiServerSpec {
  /**
   * CIDR ranges allowed to reach the public API server.
   * @default - none (then `private` is true)
   */
  readonly authorizedIpRanges?: string[];
  /**
   * A private API server.
   * @default - false (then `authorizedIpRanges` is set)
   */
  readonly private?: boolean;
}

export interface UpgradeSpec {
  readonly channel: 'patch' | 'rapid' | 'stable' | 'node-image' | 'none';
  readonly nodeOs: 'NodeImage' | 'SecurityPatch' | 'Unmanaged' | 'None';
}

export interface MaintenanceSpec {
  readonly upgrade: MaintenanceWindowSpec;
  readonly nodeOs: MaintenanceWindowSpec;
  /**
   * UTC offset of the windows.
   * @default - the standard offset of azure.location
   */
  readonly utcOffset?: string;
}

export interface MaintenanceWindowSpec {
  readonly frequency: 'Daily' | 'Weekly' | 'AbsoluteMonthly' | 'RelativeMonthly';
  readonly interval: number;
  readonly startTime: string;
  readonly durationHours: number;
  readonly notAllowed: MaintenanceFreezeSpec[];
  /**
   * Weekday (Weekly, RelativeMonthly).
   * @default - none for Daily and AbsoluteMonthly windows
   */
  readonly dayOfWeek?: 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday';
  /**
   * Day of the month (AbsoluteMonthly).
   * @default - none for the other frequencies
   */
  readonly dayOfMonth?: number;
  /**
   * Which weekday of the month (RelativeMonthly).
   * @default - none for the other frequencies
   */
  readonly weekIndex?: 'First' | 'Second' | 'Third' | 'Fourth' | 'Last';
}

export interface MaintenanceFreezeSpec {
  readonly start: string;
  readonly end: string;
}

export interface ImageCleanerSpec {
  readonly enabled: boolean;
  readonly intervalHours: number;
}

export interface AuditLogsSpec {
  readonly enabled: boolean;
  readonly apiServer: boolean;
  readonly retentionDays: number;
}

export interface ClusterAddonsSpec {
  readonly defender: boolean;
  readonly azurePolicy: boolean;
  readonly managedPrometheus: boolean;
  readonly applicationRouting: boolean;
}

export interface SystemPoolSpec {
  readonly vmSize: string;
  readonly minCount: number;
  readonly maxCount: number;
  readonly maxPods: number;
  readonly zones: string[];
  readonly osDiskType: 'Ephemeral' | 'Managed';
  readonly hostEncryption: boolean;
}

export interface UserPoolSpec extends SystemPoolSpec {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly taints: string[];
}

/** A group created by the infra stack (`displayName`) or an existing one (`objectId`). */
export interface GroupSpec {
  readonly members: string[];
  /**
   * Display name of a group the infra stack creates.
   * @default - none (an existing group, `objectId` is set)
   */
  readonly displayName?: string;
  /**
   * Description of a created group.
   * @default - none
   */
  readonly description?: string;
  /**
   * Object id of an existing group.
   * @default - none (a created group, `displayName` is set)
   */
  readonly objectId?: string;
}

export interface KyvernoSpec {
  readonly namespace: string;
  readonly replicas: KyvernoReplicasSpec;
  readonly podSecurity: 'baseline' | 'restricted';
  /**
   * Kubernetes minor (`1.35`) or `latest` whose Pod Security Standards the policies and labels follow.
   * @default - the minor of cluster.kubernetesVersion, else latest
   */
  readonly podSecurityVersion?: string;
  readonly action: 'Audit' | 'Enforce';
  /** Per-policy settings by policy name. */
  readonly policies: Record<string, PolicySettingSpec>;
  readonly exceptionNamespace: string;
  readonly policyApi: 'policies.kyverno.io/v1' | 'kyverno.io/v1';
  readonly exceptions: PolicyExceptionSpec[];
  /**
   * Sigstore keyless signature verification of images.
   * @default - images are not verified
   */
  readonly imageVerification?: ImageVerificationSpec;
  /** Registries every image must come from (by default the container registry's); off when empty. */
  readonly allowedRegistries: string[];
}

export interface KyvernoReplicasSpec {
  readonly admission: number;
  readonly background: number;
  readonly cleanup: number;
  readonly reports: number;
}

export interface PolicySettingSpec {
  readonly enabled: boolean;
  /**
   * The policy's action.
   * @default - kyverno.action
   */
  readonly action?: 'Audit' | 'Enforce';
}

export interface PolicyExceptionSpec {
  readonly name: string;
  readonly policies: string[];
  readonly namespace: string;
  readonly workloads: string[];
  readonly reason: string;
  /**
   * When the exception stops applying (RFC 3339).
   * @default - never expires
   */
  readonly expiresAt?: string;
}

export interface ImageVerificationSpec {
  readonly images: string[];
  readonly issuer: string;
  readonly subject: string;
  /**
   * Action of the verification.
   * @default - kyverno.action
   */
  readonly action?: 'Audit' | 'Enforce';
}

export interface CapsuleSpec {
  readonly proxy: CapsuleProxySpec;
  /** Group key of the Capsule users group. */
  readonly users: string;
  readonly forceTenantPrefix: boolean;
  readonly namespace: string;
  readonly replicas: number;
  readonly administrators: CapsuleAdministratorSpec[];
  readonly guardrails: GuardrailsSpec;
}

export interface CapsuleProxySpec {
  readonly dnsLabel: string;
  readonly replicas: number;
  /**
   * Fixed address of the proxy's internal load balancer (private clusters).
   * @default - none; required for a private cluster with tenants
   */
  readonly internalIp?: string;
}

export interface CapsuleAdministratorSpec {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
}

export interface GuardrailsSpec {
  readonly action: 'Audit' | 'Deny';
  readonly exemptServiceAccountNamespaces: string[];
}

/** An Azure Container Registry, created by the infra stack or referenced (`resourceId`). */
export interface ContainerRegistrySpec {
  /** Registry name: given, the default, or the last segment of `resourceId`. */
  readonly name: string;
  /**
   * Resource id of an existing registry.
   * @default - the infra stack creates the registry
   */
  readonly resourceId?: string;
  /**
   * SKU of a created registry.
   * @default 'Standard'
   */
  readonly sku?: 'Standard' | 'Premium';
  /**
   * Whether a created registry is reachable from public networks.
   * @default true
   */
  readonly publicNetworkAccess?: boolean;
}

/** An Azure Key Vault owned by one tenant, created by the infra stack or referenced (`resourceId`). */
export interface TenantKeyVaultSpec {
  /** Name of the tenant whose workloads may read it (by default the key). */
  readonly tenant: string;
  /** Vault name: given, the default, or the last segment of `resourceId`. */
  readonly name: string;
  /**
   * Resource id of an existing vault.
   * @default - the infra stack creates the vault
   */
  readonly resourceId?: string;
  /**
   * SKU of a created vault.
   * @default 'standard'
   */
  readonly sku?: 'standard' | 'premium';
  /**
   * Days a deleted vault or object of a created vault can be recovered (7 to 90).
   * @default 90
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Whether a created vault is reachable from public networks.
   * @default true
   */
  readonly publicNetworkAccess?: boolean;
}

export interface IngressSpec {
  readonly namespace: string;
  readonly className: string;
}

export interface TenantSpec {
  readonly name: string;
  /** Group keys. */
  readonly owners: string[];
  readonly namespaceQuota: number;
  readonly ingressClasses: string[];
  readonly storageClasses: string[];
  readonly serviceTypes: ServiceTypesSpec;
  /** Registry hosts of the tenant's images (Capsule containerRegistries); any when empty. */
  readonly registries: string[];
  readonly internetEgress: boolean;
  readonly preventDeletion: boolean;
  /**
   * Budget shared by the tenant's namespaces, by ResourceQuota resource name (`requests.cpu`...),
   * or `none` for no budget at all.
   * @default - the default budget, derived from namespaceQuota and limits
   */
  readonly quota?: Record<string, string> | 'none';
  /**
   * Requests and limits of containers that set none (a LimitRange).
   * @default - DEFAULT_CONTAINER_DEFAULTS
   */
  readonly limits?: TenantLimitsSpec;
  /**
   * User node pool the tenant's pods are pinned to.
   * @default - not pinned
   */
  readonly nodePool?: string;
}

export interface ServiceTypesSpec {
  readonly loadBalancer: boolean;
  readonly nodePort: boolean;
  readonly externalName: boolean;
}

export interface TenantLimitsSpec {
  /**
   * Requests of containers that set none.
   * @default - no default requests
   */
  readonly defaultRequest?: CpuMemorySpec;
  /**
   * Limits of containers that set none.
   * @default - no default limits
   */
  readonly default?: CpuMemorySpec;
}

export interface CpuMemorySpec {
  /**
   * CPU quantity.
   * @default - none
   */
  readonly cpu?: string;
  /**
   * Memory quantity.
   * @default - none
   */
  readonly memory?: string;
}

export interface WorkloadSpec {
  readonly name: string;
  readonly tenant: string;
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob';
  readonly image: string;
  readonly replicas: number;
  readonly labels: Record<string, string>;
  readonly resources: WorkloadResourcesSpec;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly writablePaths: string[];
  readonly zoneSpread: 'None' | 'ScheduleAnyway' | 'DoNotSchedule';
  readonly allowFrom: NetworkPeerSpec[];
  readonly config: Record<string, string>;
  /**
   * Container port served.
   * @default - serves nothing
   */
  readonly port?: number;
  /**
   * Cron schedule, five fields (required for a CronJob, refused otherwise).
   * @default - none
   */
  readonly schedule?: string;
  /**
   * Container command.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Container arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * HTTP probe paths.
   * @default - TCP checks of the port
   */
  readonly probes?: ProbesSpec;
  /**
   * Horizontal autoscaling.
   * @default - a fixed replica count
   */
  readonly autoscaling?: AutoscalingSpec;
  /**
   * Ingress through the cluster's controller.
   * @default - not published
   */
  readonly ingress?: WorkloadIngressSpec;
  /**
   * Secrets mounted from Azure Key Vault.
   * @default - none
   */
  readonly keyVault?: KeyVaultSpec;
  /**
   * Persistent storage (StatefulSet).
   * @default - none
   */
  readonly storage?: StorageSpec;
}

export interface WorkloadResourcesSpec {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: WorkloadLimitsSpec;
}

export interface WorkloadLimitsSpec {
  readonly memory: string;
  /**
   * CPU limit.
   * @default - none (no CPU throttling)
   */
  readonly cpu?: string;
}

/** Who may connect: a workload of the namespace, or pods of another namespace. */
export interface NetworkPeerSpec {
  /**
   * Namespace of the peers.
   * @default - the workload's namespace
   */
  readonly namespace?: string;
  /**
   * A workload of the same platform file.
   * @default - none
   */
  readonly workload?: string;
  /**
   * Pod labels of the peers.
   * @default - every pod of the namespace
   */
  readonly labels?: Record<string, string>;
}

export interface ProbesSpec {
  /**
   * HTTP path of the readiness probe.
   * @default - a TCP check of the port
   */
  readonly readinessPath?: string;
  /**
   * HTTP path of the liveness probe.
   * @default - a TCP check of the port
   */
  readonly livenessPath?: string;
}

export interface AutoscalingSpec {
  readonly maxReplicas: number;
  readonly cpuUtilization: number;
  /**
   * Minimum replica count.
   * @default - replicas
   */
  readonly minReplicas?: number;
}

export interface WorkloadIngressSpec {
  readonly host: string;
  readonly path: string;
  /**
   * Ingress class.
   * @default - ingress.className
   */
  readonly className?: string;
  /**
   * Secret of the TLS certificate.
   * @default - no TLS on the ingress
   */
  readonly tlsSecretName?: string;
}

/**
 * Where a workload reads Key Vault objects, and as whom. By default it reads the vault of its
 * tenant (`keyVaults.<tenant>`) with an identity the infra stack creates for it.
 */
export interface KeyVaultSpec {
  readonly secrets: KeyVaultSecretSpec[];
  /**
   * Key of `keyVaults` (a vault of the workload's tenant).
   * @default - the tenant's name, unless `name` is set
   */
  readonly vault?: string;
  /**
   * Name of a vault the platform does not declare (then `clientId` and `tenantId` are required).
   * @default - the vault of `vault`
   */
  readonly name?: string;
  /**
   * Entra ID tenant of an identity made elsewhere.
   * @default - the platform's tenant (infra output `azure_tenant_id`)
   */
  readonly tenantId?: string;
  /**
   * Client id of an identity made elsewhere.
   * @default - the identity the infra stack creates for the workload
   */
  readonly clientId?: string;
  /**
   * Where the secrets are mounted.
   * @default '/mnt/secrets-store'
   */
  readonly mountPath?: string;
}

export interface KeyVaultSecretSpec {
  readonly name: string;
  readonly type: 'secret' | 'key' | 'cert';
  /**
   * File name under the mount path.
   * @default - the object name
   */
  readonly file?: string;
  /**
   * Also expose the value as this environment variable.
   * @default - a file only
   */
  readonly env?: string;
}

export interface StorageSpec {
  readonly size: string;
  readonly mountPath: string;
  /**
   * Storage class.
   * @default - the cluster's default class
   */
  readonly storageClass?: string;
}
