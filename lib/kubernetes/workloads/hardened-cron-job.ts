import type { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { HardenedJobOptions } from './hardened-job';
import { cronScheduleProblem } from '../../platform-file/schema/workloads';
import { HardenedPod } from './private/hardened-pod';
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
export class HardenedCronJob extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly cronJob: kplus.CronJob;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly networkPolicy: WorkloadNetworkPolicy;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id);
    const pod = new HardenedPod(this, 'HardenedCronJob', props);
    this.name = pod.name;
    this.namespace = pod.namespace;
    this.serviceAccount = pod.serviceAccount;
    if (props.backoffLimit !== undefined) pod.check.count('backoffLimit', props.backoffLimit, 0, 1000);
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
      backoffLimit: props.backoffLimit,
      activeDeadline: props.activeDeadline,
      ttlAfterFinished: props.ttlAfterFinished,
    });
    pod.applyTo(this.cronJob, POD_SPEC);
    this.networkPolicy = denyIngress(this, pod);
  }
}
