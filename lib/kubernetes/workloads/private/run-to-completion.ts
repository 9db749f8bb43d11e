import type { HardenedJobOptions } from '../hardened-job';
import type { HardenedPod } from './hardened-pod';

/** Checks what Jobs and CronJobs share, before anything is created. */
export function checkRunToCompletion(pod: HardenedPod, options: HardenedJobOptions): void {
  if (options.backoffLimit !== undefined) pod.check.count('backoffLimit', options.backoffLimit, 0, 1000);
}

/** The props of a cdk8s-plus Job or CronJob that both take from HardenedJobOptions. */
export function runToCompletionProps(options: HardenedJobOptions) {
  return {
    backoffLimit: options.backoffLimit,
    activeDeadline: options.activeDeadline,
    ttlAfterFinished: options.ttlAfterFinished,
  };
}
