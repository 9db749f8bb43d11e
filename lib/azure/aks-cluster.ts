import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { rotationPoolName } from '../platform-file/formats';
import { KubernetesCluster, KubernetesClusterIdentity } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { describeValue, PlatformError } from '../platform-file/errors';
import { AksUserNodePool } from './aks-user-node-pool';
import {
  ApiServerAccess,
  NetworkPluginMode,
  NetworkPolicy,
  NodeOsUpgradeChannel,
  SkuTier,
  UpgradeChannel,
} from './cluster-options';
import { ContainerInsights } from './container-insights';
import type { AksOperationsOptions } from './aks-operations';
import { ControlPlaneIdentity } from './control-plane-identity';
import { ControlPlaneLogs } from './control-plane-logs';
import { ManagedPrometheus } from './managed-prometheus';
import { NodePoolOptions, ResolvedNodePool, resolveNodePool, UserNodePoolOptions } from './node-pool-options';
import { operationsConfig } from './private/aks-operations';
import { assertIntInRange, assertObjectId, assertUnique } from './private/checks';
import { terraformText } from './private/terraform-text';

/** Properties of an {@link AksCluster}. Every default is the hardened baseline. */
export interface AksClusterProps extends AksOperationsOptions {
  /** Cluster name (also the DNS prefix). */
  readonly name: string;
  /** Azure region. */
  readonly location: string;
  /** Resource group of the cluster. */
  readonly resourceGroupName: string;
  /**
   * Resource group AKS creates for the nodes.
   * @default - `MC_<resource group>_<name>_<location>`, chosen by AKS
   */
  readonly nodeResourceGroup?: string;
  /**
   * Object ids of the Entra groups bound to cluster-admin. With local accounts disabled they
   * are the only way in: at least one is required.
   */
  readonly adminGroupObjectIds: string[];
  /** Who can reach the API server: authorized IP ranges or a private endpoint. */
  readonly apiServerAccess: ApiServerAccess;
  /**
   * Kubernetes version (`1.33` or `1.33.2`). With an upgrade channel, give only major.minor.
   * @default - the AKS default version
   */
  readonly kubernetesVersion?: string;
  /**
   * Pricing tier.
   * @default SkuTier.STANDARD
   */
  readonly skuTier?: SkuTier;
  /**
   * Network policy engine (Azure CNI is always the network plugin).
   * @default NetworkPolicy.CALICO
   */
  readonly networkPolicy?: NetworkPolicy;
  /**
   * Azure CNI overlay or pod addresses from the virtual network.
   * @default NetworkPluginMode.OVERLAY
   */
  readonly networkPluginMode?: NetworkPluginMode;
  /**
   * Automatic Kubernetes upgrades.
   * @default UpgradeChannel.PATCH
   */
  readonly upgradeChannel?: UpgradeChannel;
  /**
   * Automatic node OS patching.
   * @default NodeOsUpgradeChannel.NODE_IMAGE
   */
  readonly nodeOsUpgradeChannel?: NodeOsUpgradeChannel;
  /**
   * Disable the local admin account: its static credentials (`kube_admin_config`) bypass
   * Entra ID and cannot be revoked per person.
   * @default true
   */
  readonly localAccountDisabled?: boolean;
  /**
   * Authorize Kubernetes requests with Azure RBAC role assignments as well as Kubernetes RBAC.
   * @default true
   */
  readonly azureRbacEnabled?: boolean;
  /**
   * OIDC issuer and workload identity (pods get Entra tokens without stored secrets).
   * @default true
   */
  readonly workloadIdentityEnabled?: boolean;
  /**
   * Key Vault secrets provider (CSI driver) with secret rotation.
   * @default true
   */
  readonly keyVaultSecretsProviderEnabled?: boolean;
  /**
   * An existing Log Analytics workspace for Container Insights.
   * @default - a workspace is created
   */
  readonly logAnalyticsWorkspaceId?: string;
  /**
   * Retention of the created workspace, in days (30 to 730).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * The system pool. It only runs critical add-ons (`CriticalAddonsOnly` taint), so
   * workloads need at least one user pool.
   * @default - the NodePoolOptions defaults
   */
  readonly systemPool?: NodePoolOptions;
}

/**
 * A hardened AKS cluster: Entra ID with Azure RBAC, no local accounts, a restricted API server,
 * Azure CNI with network policies, workload identity, Container Insights, zone-redundant,
 * autoscaled pools on ephemeral, host-encrypted disks; and run for day two: an audit trail,
 * upgrades in maintenance windows, no run command, the image cleaner.
 */
export class AksCluster extends Construct {
  /** The azurerm_kubernetes_cluster resource. */
  public readonly resource: KubernetesCluster;
  /** The workspace created for Container Insights, when none was given. */
  public readonly workspace?: LogAnalyticsWorkspace;
  /** Resource id of the Log Analytics workspace of Container Insights (created or given). */
  public readonly workspaceId: string;
  /** Resource id of the cluster: the scope of its role assignments. */
  public readonly clusterId: string;
  /** The system pool with its defaults applied. */
  public readonly systemPool: ResolvedNodePool;
  public readonly location: string;
  /** The audit trail, unless turned off. */
  public readonly controlPlaneLogs?: ControlPlaneLogs;
  /** Managed Prometheus, when enabled. */
  public readonly prometheus?: ManagedPrometheus;
  /** The user-assigned identity created for the control plane, when asked for. */
  public readonly identity?: UserAssignedIdentity;
  private readonly userPools: AksUserNodePool[] = [];

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const what = `AksCluster(${id})`;
    // The name is also the DNS prefix, which AKS limits to 54 characters.
    if (!/^[a-zA-Z0-9][a-zA-Z0-9-]{0,52}[a-zA-Z0-9]$/.test(props.name)) {
      throw new PlatformError(
        `${what}.name must be 2 to 54 letters, digits and '-', starting and ending with a letter or digit, got ${describeValue(props.name)}`,
      );
    }
    if (props.adminGroupObjectIds.length === 0) {
      throw new PlatformError(
        `${what}.adminGroupObjectIds needs at least one group: with local accounts disabled nobody could administer the cluster`,
      );
    }
    props.adminGroupObjectIds.forEach((g, i) => assertObjectId(`${what}.adminGroupObjectIds[${i}]`, g));
    assertUnique(`${what}.adminGroupObjectIds`, props.adminGroupObjectIds);
    const upgradeChannel = props.upgradeChannel ?? UpgradeChannel.PATCH;
    const nodeOs = props.nodeOsUpgradeChannel ?? NodeOsUpgradeChannel.NODE_IMAGE;
    checkVersion(what, props.kubernetesVersion, upgradeChannel);
    if (upgradeChannel === UpgradeChannel.NODE_IMAGE && nodeOs !== NodeOsUpgradeChannel.NODE_IMAGE) {
      throw new PlatformError(
        `${what}.nodeOsUpgradeChannel must be NodeImage when upgradeChannel is node-image, got ${describeValue(nodeOs)}`,
      );
    }
    const policy = props.networkPolicy ?? NetworkPolicy.CALICO;
    const mode = props.networkPluginMode ?? NetworkPluginMode.OVERLAY;
    if (policy === NetworkPolicy.CILIUM && mode !== NetworkPluginMode.OVERLAY) {
      throw new PlatformError(
        `${what}: networkPolicy cilium needs networkPluginMode overlay (no pod subnet is configured), got ${describeValue(mode)}`,
      );
    }
    const retention = props.logRetentionDays ?? 30;
    assertIntInRange(`${what}.logRetentionDays`, retention, 30, 730);
    this.systemPool = resolveNodePool(`${what}.systemPool`, props.systemPool ?? {});
    this.location = props.location;
    const identity = props.controlPlaneIdentity ?? ControlPlaneIdentity.systemAssigned();

    const location = terraformText(props.location);
    const resourceGroupName = terraformText(props.resourceGroupName);
    let workspaceId = props.logAnalyticsWorkspaceId;
    if (workspaceId === undefined) {
      this.workspace = new LogAnalyticsWorkspace(this, 'logs', {
        name: `${props.name}-logs`,
        location,
        resourceGroupName,
        sku: 'PerGB2018',
        retentionInDays: retention,
        // Container Insights authenticates with its managed identity: no shared keys.
        localAuthenticationEnabled: false,
      });
      workspaceId = this.workspace.id;
    }
    this.workspaceId = workspaceId;

    let identityBlock: KubernetesClusterIdentity = { type: 'SystemAssigned' };
    if (identity.isUserAssigned) {
      let identityId = identity.identityId;
      if (identityId === undefined) {
        this.identity = new UserAssignedIdentity(this, 'identity', {
          name: `${props.name}-identity`,
          location,
          resourceGroupName,
        });
        identityId = this.identity.id;
      }
      identityBlock = { type: 'UserAssigned', identityIds: [terraformText(identityId)] };
    }

    const pool = this.systemPool;
    const workloadIdentity = props.workloadIdentityEnabled ?? true;
    this.resource = new KubernetesCluster(this, 'cluster', {
      name: props.name,
      location,
      resourceGroupName,
      nodeResourceGroup: terraformText(props.nodeResourceGroup),
      dnsPrefix: props.name,
      kubernetesVersion: terraformText(props.kubernetesVersion),
      skuTier: props.skuTier ?? SkuTier.STANDARD,
      identity: identityBlock,
      roleBasedAccessControlEnabled: true,
      localAccountDisabled: props.localAccountDisabled ?? true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: props.azureRbacEnabled ?? true,
        adminGroupObjectIds: [...props.adminGroupObjectIds],
      },
      privateClusterEnabled: props.apiServerAccess.isPrivate,
      apiServerAccessProfile: props.apiServerAccess.isPrivate
        ? undefined
        : { authorizedIpRanges: [...props.apiServerAccess.authorizedIpRanges] },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: mode === NetworkPluginMode.OVERLAY ? 'overlay' : undefined,
        networkPolicy: policy,
        networkDataPlane: policy === NetworkPolicy.CILIUM ? 'cilium' : 'azure',
        loadBalancerSku: 'standard',
      },
      oidcIssuerEnabled: workloadIdentity,
      workloadIdentityEnabled: workloadIdentity,
      keyVaultSecretsProvider:
        (props.keyVaultSecretsProviderEnabled ?? true) ? { secretRotationEnabled: true } : undefined,
      automaticUpgradeChannel: upgradeChannel,
      nodeOsUpgradeChannel: nodeOs,
      omsAgent: { logAnalyticsWorkspaceId: terraformText(workspaceId), msiAuthForMonitoringEnabled: true },
      ...operationsConfig(what, props, workspaceId),
      defaultNodePool: {
        name: 'system',
        vmSize: pool.vmSize,
        autoScalingEnabled: true,
        minCount: pool.minCount,
        maxCount: pool.maxCount,
        maxPods: pool.maxPods,
        zones: pool.zones,
        osDiskType: pool.osDiskType,
        osDiskSizeGb: pool.osDiskSizeGb,
        hostEncryptionEnabled: pool.hostEncryptionEnabled,
        orchestratorVersion: terraformText(pool.orchestratorVersion),
        onlyCriticalAddonsEnabled: true,
        // Lets AKS change pool settings that force a new pool without deleting the cluster.
        temporaryNameForRotation: rotationPoolName('system'),
        upgradeSettings: { maxSurge: '33%' },
      },
    });
    this.clusterId = this.resource.id;
    new ContainerInsights(this, 'insights', {
      name: `${props.name}-insights`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      workspaceId,
      clusterId: this.clusterId,
    });
    if (props.auditLogRetentionDays !== undefined) {
      assertIntInRange(`${what}.auditLogRetentionDays`, props.auditLogRetentionDays, 30, 730);
    }
    if (props.auditLogsEnabled ?? true) {
      this.controlPlaneLogs = new ControlPlaneLogs(this, 'audit', {
        name: `${props.name}-audit`,
        clusterId: this.clusterId,
        workspaceId,
        apiServerLogs: props.apiServerLogsEnabled,
        retentionDays: props.auditLogRetentionDays ?? (this.workspace ? 90 : undefined),
      });
    }
    if (props.managedPrometheusEnabled ?? false) {
      this.prometheus = new ManagedPrometheus(this, 'prometheus', {
        clusterName: props.name,
        clusterId: this.clusterId,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
      });
    }
  }

  /** Adds a user node pool with the same hardening as the system pool. */
  public addUserPool(options: UserNodePoolOptions): AksUserNodePool {
    if (this.userPools.some((p) => p.name === options.name)) {
      throw new PlatformError(
        `AksCluster(${this.node.id}) already has a user pool named ${describeValue(options.name)}`,
      );
    }
    const pool = new AksUserNodePool(this, `pool-${options.name}`, { cluster: this, ...options });
    this.userPools.push(pool);
    return pool;
  }

  /** Host of the API server, from `kube_config` (also right for a private cluster). */
  public get apiServerHost(): string {
    return this.resource.kubeConfig.get(0).host;
  }

  /** Base64 PEM of the cluster CA, from `kube_config`. */
  public get clusterCaCertificate(): string {
    return this.resource.kubeConfig.get(0).clusterCaCertificate;
  }
}

function checkVersion(what: string, version: string | undefined, channel: UpgradeChannel): void {
  if (version === undefined || Token.isUnresolved(version)) return;
  const m = /^\d+\.\d+(\.\d+)?$/.exec(version);
  if (!m) {
    throw new PlatformError(
      `${what}.kubernetesVersion must look like 1.33 or 1.33.2, got ${describeValue(version)}`,
    );
  }
  if (m[1] !== undefined && channel !== UpgradeChannel.NONE) {
    throw new PlatformError(
      `${what}.kubernetesVersion ${describeValue(version)} pins a patch while upgradeChannel is ${channel}: AKS would upgrade it and every plan would try to go back; give only major.minor`,
    );
  }
}
