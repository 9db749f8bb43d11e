import type { PlatformSpec } from '../platform-file';
import type { AksClusterProps } from './aks-cluster';
import {
  ApiServerAccess,
  NetworkPluginMode,
  NetworkPolicy,
  NodeOsUpgradeChannel,
  NodeTaint,
  OsDiskType,
  SkuTier,
  TaintEffect,
  UpgradeChannel,
} from './cluster-options';
import { ControlPlaneIdentity } from './control-plane-identity';
import { DayOfWeek, MaintenanceWindow, WeekIndex } from './maintenance-window';
import type { NodePoolOptions, UserNodePoolOptions } from './node-pool-options';
import { StateBackend } from './state-backend';

type ClusterSpec = PlatformSpec['cluster'];
type PoolSpec = ClusterSpec['systemPool'];
type UserPoolSpec = ClusterSpec['userPools'][number];
type WindowSpec = ClusterSpec['maintenance']['upgrade'];

/** The platform file's cluster section as AksCluster props. */
export function aksClusterPropsFromSpec(
  spec: PlatformSpec,
  resourceGroupName: string,
  adminGroupObjectIds: string[],
): AksClusterProps {
  const c = spec.cluster;
  return {
    name: `${spec.name}-aks`,
    location: spec.azure.location,
    resourceGroupName,
    nodeResourceGroup: spec.azure.nodeResourceGroup,
    adminGroupObjectIds,
    apiServerAccess:
      c.apiServer.private === true
        ? ApiServerAccess.privateEndpoint()
        : ApiServerAccess.fromIpRanges(c.apiServer.authorizedIpRanges ?? []),
    kubernetesVersion: c.kubernetesVersion,
    skuTier: c.skuTier as SkuTier,
    networkPolicy: c.network.policy as NetworkPolicy,
    networkPluginMode: c.network.mode as NetworkPluginMode,
    upgradeChannel: c.upgrade.channel as UpgradeChannel,
    nodeOsUpgradeChannel: c.upgrade.nodeOs as NodeOsUpgradeChannel,
    logRetentionDays: c.logRetentionDays,
    systemPool: poolOptionsFromSpec(c.systemPool),
    controlPlaneIdentity:
      c.controlPlaneIdentity === 'UserAssigned'
        ? ControlPlaneIdentity.userAssigned()
        : ControlPlaneIdentity.systemAssigned(),
    upgradeWindow: windowFromSpec(c.maintenance.upgrade),
    nodeOsUpgradeWindow: windowFromSpec(c.maintenance.nodeOs),
    maintenanceUtcOffset: c.maintenance.utcOffset,
    runCommandEnabled: c.runCommand,
    imageCleanerEnabled: c.imageCleaner.enabled,
    imageCleanerIntervalHours: c.imageCleaner.intervalHours,
    auditLogsEnabled: c.auditLogs.enabled,
    apiServerLogsEnabled: c.auditLogs.apiServer,
    auditLogRetentionDays: c.auditLogs.retentionDays,
    defenderEnabled: c.addons.defender,
    azurePolicyEnabled: c.addons.azurePolicy,
    managedPrometheusEnabled: c.addons.managedPrometheus,
    applicationRoutingEnabled: c.addons.applicationRouting,
  };
}

/** A maintenance window of the platform file (already checked per frequency by the schema). */
function windowFromSpec(w: WindowSpec): MaintenanceWindow {
  const options = { startTime: w.startTime, durationHours: w.durationHours, notAllowed: w.notAllowed };
  switch (w.frequency) {
    case 'Daily':
      return MaintenanceWindow.daily(w.interval, options);
    case 'AbsoluteMonthly':
      return MaintenanceWindow.monthlyOnDay(w.dayOfMonth ?? 1, w.interval, options);
    case 'RelativeMonthly':
      return MaintenanceWindow.monthlyOnWeekday(
        w.weekIndex as WeekIndex,
        w.dayOfWeek as DayOfWeek,
        w.interval,
        options,
      );
    default:
      return MaintenanceWindow.weekly(w.dayOfWeek as DayOfWeek, w.interval, options);
  }
}

/** `azure.state` as the stacks' state backend: local files when absent. */
export function stateBackendFromSpec(spec: PlatformSpec): StateBackend {
  const s = spec.azure.state;
  if (s === undefined) return StateBackend.localFiles();
  return StateBackend.azureStorage({
    storageAccountName: s.storageAccount,
    containerName: s.container,
    keyPrefix: s.keyPrefix ?? `${spec.name}/`,
    resourceGroupName: s.resourceGroup,
    subscriptionId: s.subscriptionId ?? spec.azure.subscriptionId,
  });
}

function poolOptionsFromSpec(p: PoolSpec): NodePoolOptions {
  return {
    vmSize: p.vmSize,
    minCount: p.minCount,
    maxCount: p.maxCount,
    maxPods: p.maxPods,
    zones: p.zones,
    osDiskType: p.osDiskType as OsDiskType,
    hostEncryptionEnabled: p.hostEncryption,
  };
}

/** A `cluster.userPools` entry as user pool options. */
export function userPoolOptionsFromSpec(p: UserPoolSpec): UserNodePoolOptions {
  return {
    ...poolOptionsFromSpec(p),
    name: p.name,
    labels: Object.entries(p.labels).map(([key, value]) => ({ key, value })),
    taints: p.taints.map(parseTaint),
  };
}

/** `key=value:Effect`, already validated by the schema. */
function parseTaint(t: string): NodeTaint {
  const [kv, effect] = t.split(':');
  const i = kv.indexOf('=');
  return { key: kv.slice(0, i), value: kv.slice(i + 1), effect: effect as TaintEffect };
}
