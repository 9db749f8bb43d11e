import type { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { HardenedWorkload } from './hardened-workload';
import { checkRunToCompletion, runToCompletionProps } from './private/run-to-completion';
import { denyIngress, POD_TEMPLATE_SPEC } from './private/serving';
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

/**
 * A one-off task: a Job whose pod passes Pod Security "restricted", with its ServiceAccount
 * (no API token) and a NetworkPolicy denying every incoming connection (a Job serves nobody).
 */
export class HardenedJob extends HardenedWorkload {
  public readonly job: kplus.Job;
  public readonly networkPolicy: WorkloadNetworkPolicy;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id, 'HardenedJob', props);
    const pod = this._pod;
    checkRunToCompletion(pod, props);
    pod.check.done();
    this.job = new kplus.Job(this, 'Resource', { ...pod.workloadProps, ...runToCompletionProps(props) });
    pod.applyTo(this.job, POD_TEMPLATE_SPEC);
    this.networkPolicy = denyIngress(this, pod);
  }
}
