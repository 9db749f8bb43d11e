import { PlatformError } from '../../platform-file/errors';
import { isDnsLabel, isLabelKey, isLabelValue } from '../../platform-file/formats';
import { NAMESPACE_NAME_LABEL } from '../labels';
import type { WorkloadLabel } from './workload-options';

/** Pods allowed to connect to a workload, one `from` entry of its NetworkPolicy. */
export class NetworkPeer {
  /** Every pod of the namespace `namespace`. */
  public static namespace(namespace: string): NetworkPeer {
    return new NetworkPeer(checkNamespace(namespace), []);
  }

  /**
   * The pods of a hardened workload, selected by its `app.kubernetes.io/name` label.
   * @param namespace @default - the namespace of the workload being protected
   */
  public static workload(name: string, namespace?: string): NetworkPeer {
    return NetworkPeer.pods([{ key: 'app.kubernetes.io/name', value: name }], namespace);
  }

  /**
   * The pods carrying every label of `labels`.
   * @param namespace @default - the namespace of the workload being protected
   */
  public static pods(labels: WorkloadLabel[], namespace?: string): NetworkPeer {
    if (labels.length === 0) {
      throw new PlatformError(
        'NetworkPeer.pods: needs at least one label (use NetworkPeer.namespace for a whole namespace)',
      );
    }
    for (const l of labels) {
      if (!isLabelKey(l.key)) throw new PlatformError(`NetworkPeer.pods: "${l.key}" is not a label key`);
      if (!isLabelValue(l.value))
        throw new PlatformError(`NetworkPeer.pods: "${l.value}" is not a label value`);
    }
    return new NetworkPeer(namespace === undefined ? undefined : checkNamespace(namespace), labels);
  }

  private constructor(
    /** Namespace of the peers; undefined: the protected workload's own. */
    public readonly namespaceName: string | undefined,
    /** Pod labels the peers carry; empty: every pod of the namespace. */
    public readonly podLabels: WorkloadLabel[],
  ) {}

  /** The `from` entry of a NetworkPolicy ingress rule. */
  public toPolicyPeer(ownNamespace: string): Record<string, unknown> {
    const ns = this.namespaceName ?? ownNamespace;
    const peer: Record<string, unknown> = {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } },
    };
    if (this.podLabels.length > 0) {
      peer.podSelector = { matchLabels: Object.fromEntries(this.podLabels.map((l) => [l.key, l.value])) };
    }
    return peer;
  }
}

function checkNamespace(namespace: string): string {
  if (!isDnsLabel(namespace)) {
    throw new PlatformError(`NetworkPeer: namespace "${namespace}" is not a DNS label`);
  }
  return namespace;
}
