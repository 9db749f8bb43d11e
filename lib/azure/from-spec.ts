import type { PlatformSpec } from '../spec';
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
import type { NodePoolOptions, UserNodePoolOptions } from './node-pool-options';

type ClusterSpec = PlatformSpec['cluster'];
type PoolSpec = ClusterSpec['systemPool'];
type UserPoolSpec = ClusterSpec['userPools'][number];

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
  };
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
