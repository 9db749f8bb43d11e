import type { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedPod } from './private/hardened-pod';
import { denyIngress } from './private/serving';
import type { WorkloadNetworkPolicy } from './workload-network-policy';
import type { HardenedPodOptions } from './workload-options';

/** What Jobs and CronJobs accept besides the pod options. */
export interface HardenedJobOptions extends HardenedPodOptions {
  /** Retries before the Job is marked failed. @default 6 */
  readonly backoffLimit?: number;
  /** Time after which a running Job is stopped. @default - no deadline */
  readonly activeDeadline?: Duration;
  /** Delete the finished Job (and its pods) after this time. @default - kept */
  readonly ttlAfterFinished?: Duration;
}

/** Props of HardenedJob: its own type, so Job-only props never leak into CronJobs. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HardenedJobProps extends HardenedJobOptions {}

const POD_SPEC = '/spec/template/spec';

/**
 * A one-off task: a Job whose pod passes Pod Security "restricted", with its ServiceAccount
 * (no API token) and a NetworkPolicy denying every incoming connection (a Job serves nobody).
 */
export class HardenedJob extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly job: kplus.Job;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly networkPolicy: WorkloadNetworkPolicy;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id);
    const pod = new HardenedPod(this, 'HardenedJob', props);
    this.name = pod.name;
    this.namespace = pod.namespace;
    this.serviceAccount = pod.serviceAccount;
    if (props.backoffLimit !== undefined) pod.check.count('backoffLimit', props.backoffLimit, 0, 1000);
    pod.check.done();
    this.job = new kplus.Job(this, 'Resource', {
      ...pod.workloadProps,
      backoffLimit: props.backoffLimit,
      activeDeadline: props.activeDeadline,
      ttlAfterFinished: props.ttlAfterFinished,
    });
    pod.applyTo(this.job, POD_SPEC);
    this.networkPolicy = denyIngress(this, pod);
  }
}
