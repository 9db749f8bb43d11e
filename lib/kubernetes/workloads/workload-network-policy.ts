import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PlatformError } from '../../platform-file/errors';
import type { NetworkPeer } from './network-peer';
import type { WorkloadLabel } from './workload-options';

/** Props of WorkloadNetworkPolicy. */
export interface WorkloadNetworkPolicyProps {
  readonly namespace: string;
  /** Name of the NetworkPolicy. */
  readonly name: string;
  /** Labels selecting the protected pods; at least one. */
  readonly selector: WorkloadLabel[];
  /** The one TCP port peers may reach. @default - none: every ingress connection is denied */
  readonly port?: number;
  /** Who may reach `port`. @default - nobody */
  readonly allowFrom?: NetworkPeer[];
  /** Labels of the NetworkPolicy. @default - none */
  readonly labels?: WorkloadLabel[];
}

/**
 * Ingress isolation of one workload: only `port`, only from `allowFrom`. Egress is left to
 * the tenant-wide policies.
 */
export class WorkloadNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadNetworkPolicyProps) {
    super(scope, id);
    if (props.selector.length === 0) {
      throw new PlatformError(
        `WorkloadNetworkPolicy ${props.namespace}/${props.name}: selector is empty (it would select every pod)`,
      );
    }
    const peers = props.allowFrom ?? [];
    const ingress =
      props.port !== undefined && peers.length > 0
        ? [
            {
              from: peers.map((p) => p.toPolicyPeer(props.namespace)),
              ports: [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(props.port) }],
            },
          ]
        : [];
    new kplus.k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: Object.fromEntries((props.labels ?? []).map((l) => [l.key, l.value])),
      },
      spec: {
        podSelector: { matchLabels: Object.fromEntries(props.selector.map((l) => [l.key, l.value])) },
        policyTypes: ['Ingress'],
        ingress: ingress as kplus.k8s.NetworkPolicyIngressRule[],
      },
    });
  }
}
