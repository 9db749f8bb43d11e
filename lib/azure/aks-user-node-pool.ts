import { Construct } from 'constructs';
import { rotationPoolName } from '../platform-file/formats';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import type { AksCluster } from './aks-cluster';
import {
  checkUserPoolOptions,
  renderTaint,
  ResolvedNodePool,
  resolveNodePool,
  UserNodePoolOptions,
} from './node-pool-options';
import { terraformText } from './private/terraform-text';

/** Properties of an {@link AksUserNodePool}. */
export interface AksUserNodePoolProps extends UserNodePoolOptions {
  /** The cluster the pool joins. */
  readonly cluster: AksCluster;
}

/**
 * A user node pool with the system pool's hardening: autoscaled across zones, ephemeral and
 * host-encrypted disks, at least 50 pods per node.
 */
export class AksUserNodePool extends Construct {
  /** The azurerm_kubernetes_cluster_node_pool resource. */
  public readonly resource: KubernetesClusterNodePool;
  public readonly name: string;
  /** The pool settings with their defaults applied. */
  public readonly settings: ResolvedNodePool;

  constructor(scope: Construct, id: string, props: AksUserNodePoolProps) {
    super(scope, id);
    const what = `AksUserNodePool(${props.name})`;
    checkUserPoolOptions(what, props);
    this.name = props.name;
    this.settings = resolveNodePool(what, props);
    const s = this.settings;
    const labels = props.labels ?? [];
    const taints = props.taints ?? [];
    this.resource = new KubernetesClusterNodePool(this, 'pool', {
      name: props.name,
      kubernetesClusterId: props.cluster.clusterId,
      mode: 'User',
      vmSize: s.vmSize,
      autoScalingEnabled: true,
      minCount: s.minCount,
      maxCount: s.maxCount,
      maxPods: s.maxPods,
      zones: s.zones,
      osDiskType: s.osDiskType,
      osDiskSizeGb: s.osDiskSizeGb,
      hostEncryptionEnabled: s.hostEncryptionEnabled,
      orchestratorVersion: terraformText(s.orchestratorVersion),
      nodeLabels: labels.length > 0 ? Object.fromEntries(labels.map((l) => [l.key, l.value])) : undefined,
      nodeTaints: taints.length > 0 ? taints.map(renderTaint) : undefined,
      temporaryNameForRotation: rotationPoolName(props.name),
      upgradeSettings: { maxSurge: '33%' },
    });
  }
}
