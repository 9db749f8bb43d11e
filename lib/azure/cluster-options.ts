import { Token } from 'cdktf';
import { PlatformError } from '../platform-file/errors';
import { checkIpv4Cidr } from '../platform-file/formats';

/** AKS pricing tier. */
export enum SkuTier {
  /** No uptime SLA: for experiments only. */
  FREE = 'Free',
  /** Uptime SLA on the API server. */
  STANDARD = 'Standard',
  /** Standard plus long-term support. */
  PREMIUM = 'Premium',
}

/** Network policy engine enforcing Kubernetes NetworkPolicies (Capsule tenants rely on them). */
export enum NetworkPolicy {
  CALICO = 'calico',
  /** Also selects the Cilium data plane. */
  CILIUM = 'cilium',
  AZURE = 'azure',
}

/** How Azure CNI gives pods their addresses. */
export enum NetworkPluginMode {
  /** Pod addresses from a private range, not from the virtual network. */
  OVERLAY = 'overlay',
  /** Pod addresses from the virtual network. */
  VNET = 'vnet',
}

/** `automatic_upgrade_channel`: how AKS moves the Kubernetes version. */
export enum UpgradeChannel {
  PATCH = 'patch',
  RAPID = 'rapid',
  STABLE = 'stable',
  NODE_IMAGE = 'node-image',
  /** No automatic upgrade: every CVE fix becomes a manual task. */
  NONE = 'none',
}

/** `node_os_upgrade_channel`: how AKS patches the node operating system. */
export enum NodeOsUpgradeChannel {
  NODE_IMAGE = 'NodeImage',
  SECURITY_PATCH = 'SecurityPatch',
  UNMANAGED = 'Unmanaged',
  NONE = 'None',
}

/** Where node OS disks live. */
export enum OsDiskType {
  /** On the VM's local storage: faster, and nothing persists across reimages. */
  EPHEMERAL = 'Ephemeral',
  MANAGED = 'Managed',
}

/** Effect of a node taint. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/** A Kubernetes label put on every node of a pool. */
export interface NodeLabel {
  /** Label key. */
  readonly key: string;
  /** Label value. */
  readonly value: string;
}

/** A taint put on every node of a pool. */
export interface NodeTaint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. @default '' */
  readonly value?: string;
  /** Taint effect. */
  readonly effect: TaintEffect;
}

/**
 * Who can reach the Kubernetes API server. There is no "open to the internet" factory on
 * purpose: the API server is the cluster's front door.
 */
export class ApiServerAccess {
  /** A public endpoint reachable only from these IPv4 ranges (CIDR). */
  public static fromIpRanges(ranges: string[]): ApiServerAccess {
    if (ranges.length === 0) {
      throw new PlatformError('ApiServerAccess.fromIpRanges: needs at least one IPv4 range, got []');
    }
    for (const r of ranges) {
      if (Token.isUnresolved(r)) continue;
      if (checkIpv4Cidr(r) !== 'ok') {
        throw new PlatformError(
          `ApiServerAccess.fromIpRanges: "${r}" is not an IPv4 network in CIDR notation (e.g. 203.0.113.0/24)`,
        );
      }
      if (r.endsWith('/0')) {
        throw new PlatformError(
          `ApiServerAccess.fromIpRanges: "${r}" opens the API server to the whole internet`,
        );
      }
    }
    return new ApiServerAccess(false, [...ranges]);
  }

  /**
   * A private API server, reachable only from the cluster's virtual network (and peered ones).
   * The machine that deploys the add-ons stack must then run inside that network.
   */
  public static privateEndpoint(): ApiServerAccess {
    return new ApiServerAccess(true, []);
  }

  private constructor(
    /** true for a private API server. */
    public readonly isPrivate: boolean,
    /** Authorized ranges of a public API server; empty when private. */
    public readonly authorizedIpRanges: string[],
  ) {}
}
