import type { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { cronScheduleProblem } from '../../platform-file/schema/workloads';
import type { HardenedJobOptions } from './hardened-job';
import { HardenedWorkload } from './hardened-workload';
import { checkRunToCompletion, runToCompletionProps } from './private/run-to-completion';
import { denyIngress } from './private/serving';
import type { WorkloadNetworkPolicy } from './workload-network-policy';

/** Props of HardenedCronJob. */
export interface HardenedCronJobProps extends HardenedJobOptions {
  /** When to run, e.g. `Cron.daily()` or `Cron.schedule({ minute: '30', hour: '2' })`. */
  readonly schedule: Cron;
  /** IANA time zone of the schedule, e.g. "Europe/Paris". @default - the controller's (UTC on AKS) */
  readonly timeZone?: string;
}

const POD_SPEC = '/spec/jobTemplate/spec/template/spec';

/**
 * A scheduled task: a CronJob whose pods pass Pod Security "restricted" and never overlap,
 * with its ServiceAccount (no API token) and a NetworkPolicy denying every incoming connection.
 */
export class HardenedCronJob extends HardenedWorkload {
  public readonly cronJob: kplus.CronJob;
  public readonly networkPolicy: WorkloadNetworkPolicy;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id, 'HardenedCronJob', props);
    const pod = this._pod;
    checkRunToCompletion(pod, props);
    if (props.timeZone !== undefined && !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(props.timeZone)) {
      pod.check.fail('timeZone', `"${props.timeZone}" is not an IANA time zone name (e.g. Europe/Paris)`);
    }
    const scheduleProblem = cronScheduleProblem(props.schedule.expressionString);
    if (scheduleProblem)
      pod.check.fail('schedule', `"${props.schedule.expressionString}" ${scheduleProblem}`);
    pod.check.done();
    this.cronJob = new kplus.CronJob(this, 'Resource', {
      ...pod.workloadProps,
      schedule: props.schedule,
      timeZone: props.timeZone,
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      ...runToCompletionProps(props),
    });
    pod.applyTo(this.cronJob, POD_SPEC);
    this.networkPolicy = denyIngress(this, pod);
  }
}
