import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedPod } from './private/hardened-pod';
import type { WorkloadNetworkPolicy } from './workload-network-policy';
import type { HardenedPodOptions, ServingWorkloadOptions } from './workload-options';

/**
 * What every hardened workload is: a controller whose pods pass Pod Security "restricted", with
 * its ServiceAccount (no API token) and the NetworkPolicy that admits connections to its pods.
 * `HardenedDeployment`, `HardenedStatefulSet`, `HardenedJob` and `HardenedCronJob` extend it.
 */
export abstract class HardenedWorkload extends Construct {
  /** Name of the workload and of its Service, ServiceAccount and policies. */
  public readonly name: string;
  /** Namespace of every object of the workload. */
  public readonly namespace: string;
  /** Labels selecting the pods. */
  public readonly selector: Record<string, string>;
  /** The ServiceAccount of the pods. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The NetworkPolicy of the pods: their port from their declared peers, or nothing for a Job. */
  public abstract readonly networkPolicy: WorkloadNetworkPolicy;

  /**
   * The pod the subclass builds its controller from: its checks, labels and hardened containers.
   * @internal
   */
  protected readonly _pod: HardenedPod;

  /**
   * @param kind the construct's name in error messages (`HardenedDeployment`...)
   * @param serving the port and probes of a workload that serves
   */
  protected constructor(
    scope: Construct,
    id: string,
    kind: string,
    props: HardenedPodOptions,
    serving?: ServingWorkloadOptions,
  ) {
    super(scope, id);
    this._pod = new HardenedPod(this, kind, props, serving);
    this.name = this._pod.name;
    this.namespace = this._pod.namespace;
    this.selector = this._pod.selector;
    this.serviceAccount = this._pod.serviceAccount;
  }
}
