import { describeValue, PlatformError } from '../platform-file/errors';
import { isLabelKey, isLabelValue } from '../platform-file/formats';
import { NodeLabel, NodeTaint, OsDiskType } from './cluster-options';
import { assertIntInRange } from './private/checks';

/** Sizing and hardening shared by the system pool and the user pools. */
export interface NodePoolOptions {
  /**
   * VM size. It must support ephemeral OS disks and encryption at host.
   * @default 'Standard_D4ds_v5'
   */
  readonly vmSize?: string;
  /**
   * Autoscaler minimum node count. Keep it at least the number of zones so that every zone
   * has a node.
   * @default 3
   */
  readonly minCount?: number;
  /**
   * Autoscaler maximum node count.
   * @default 5
   */
  readonly maxCount?: number;
  /**
   * Pods per node (at least 50: fewer starves nodes with many small pods).
   * @default 110
   */
  readonly maxPods?: number;
  /**
   * Availability zones.
   * @default ['1', '2', '3']
   */
  readonly zones?: string[];
  /**
   * Where OS disks live.
   * @default OsDiskType.EPHEMERAL
   */
  readonly osDiskType?: OsDiskType;
  /**
   * OS disk size in GB.
   * @default - the AKS default for the VM size
   */
  /** @default - the VM size's default */
  readonly osDiskSizeGb?: number;
  /**
   * Encryption at host (temporary disks and caches encrypted). The subscription needs the
   * `Microsoft.Compute/EncryptionAtHost` feature registered.
   * @default true
   */
  readonly hostEncryptionEnabled?: boolean;
  /**
   * Kubernetes version of the nodes.
   * @default - the control plane version
   */
  /** @default - the cluster's version */
  readonly orchestratorVersion?: string;
}

/** Options of a user node pool (tenant workloads and the add-ons run there). */
export interface UserNodePoolOptions extends NodePoolOptions {
  /** Pool name: lowercase letters and digits, starting with a letter, at most 12 characters. */
  readonly name: string;
  /**
   * Kubernetes labels on the nodes.
   * @default - none
   */
  readonly labels?: NodeLabel[];
  /**
   * Taints on the nodes.
   * @default - none
   */
  readonly taints?: NodeTaint[];
}

/** Node pool options with every default applied. */
export interface ResolvedNodePool {
  readonly vmSize: string;
  readonly minCount: number;
  readonly maxCount: number;
  readonly maxPods: number;
  readonly zones: string[];
  readonly osDiskType: OsDiskType;
  /** @default - the VM size's default */
  readonly osDiskSizeGb?: number;
  readonly hostEncryptionEnabled: boolean;
  /** @default - the cluster's version */
  readonly orchestratorVersion?: string;
}

/** Applies the hardened defaults once and rejects impossible sizes, naming the prop. */
export function resolveNodePool(what: string, o: NodePoolOptions): ResolvedNodePool {
  const vmSize = o.vmSize ?? 'Standard_D4ds_v5';
  if (!/^Standard_[A-Za-z0-9_]+$/.test(vmSize)) {
    throw new PlatformError(
      `${what}.vmSize must be an Azure VM size (e.g. Standard_D4ds_v5), got ${describeValue(vmSize)}`,
    );
  }
  const minCount = o.minCount ?? 3;
  const maxCount = o.maxCount ?? Math.max(5, minCount);
  assertIntInRange(`${what}.minCount`, minCount, 1, 1000);
  assertIntInRange(`${what}.maxCount`, maxCount, 1, 1000);
  if (minCount > maxCount) {
    throw new PlatformError(`${what}.minCount (${minCount}) is greater than maxCount (${maxCount})`);
  }
  const maxPods = o.maxPods ?? 110;
  assertIntInRange(`${what}.maxPods`, maxPods, 50, 250);
  const zones = o.zones ?? ['1', '2', '3'];
  if (
    zones.length === 0 ||
    zones.some((z) => !['1', '2', '3'].includes(z)) ||
    new Set(zones).size !== zones.length
  ) {
    throw new PlatformError(
      `${what}.zones must list distinct zones among "1", "2" and "3", got ${describeValue(zones)}`,
    );
  }
  if (o.osDiskSizeGb !== undefined) assertIntInRange(`${what}.osDiskSizeGb`, o.osDiskSizeGb, 30, 2048);
  return {
    vmSize,
    minCount,
    maxCount,
    maxPods,
    zones: [...zones],
    osDiskType: o.osDiskType ?? OsDiskType.EPHEMERAL,
    osDiskSizeGb: o.osDiskSizeGb,
    hostEncryptionEnabled: o.hostEncryptionEnabled ?? true,
    orchestratorVersion: o.orchestratorVersion,
  };
}

/** Checks a user pool's name, labels and taints. */
export function checkUserPoolOptions(what: string, o: UserNodePoolOptions): void {
  if (!/^[a-z][a-z0-9]{0,11}$/.test(o.name)) {
    throw new PlatformError(
      `${what}.name must be lowercase letters and digits, starting with a letter, at most 12 characters, got ${describeValue(o.name)}`,
    );
  }
  if (o.name === 'system') throw new PlatformError(`${what}.name "system" is the name of the system pool`);
  for (const l of o.labels ?? []) {
    if (!isLabelKey(l.key) || !isLabelValue(l.value)) {
      throw new PlatformError(`${what}.labels has an invalid Kubernetes label ${describeValue(l)}`);
    }
  }
  for (const t of o.taints ?? []) {
    if (!isLabelKey(t.key) || !isLabelValue(t.value ?? '')) {
      throw new PlatformError(`${what}.taints has an invalid taint ${describeValue(t)}`);
    }
  }
}

/** `key=value:Effect`, the form AKS takes. */
export function renderTaint(t: NodeTaint): string {
  return `${t.key}=${t.value ?? ''}:${t.effect}`;
}
