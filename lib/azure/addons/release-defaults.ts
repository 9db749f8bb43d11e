/** Settings every release shares: roll back a failed upgrade, keep a short history. */
export const releaseDefaults = {
  atomic: true,
  cleanupOnFail: true,
  wait: true,
  timeout: 600,
  maxHistory: 5,
};

/** `podDisruptionBudget` values of charts that render one themselves. */
export function podDisruptionBudgetValues(replicas: number): object {
  return replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false };
}

/**
 * Priority class of the pods serving fail-closed webhooks (and, as cert-manager advises, all of
 * cert-manager): scheduled before tenant pods and preempted after them, so that a full cluster
 * never evicts the pod every write depends on. A built-in class, usable in any namespace.
 */
export const WEBHOOK_PRIORITY_CLASS = 'system-cluster-critical';

/**
 * Requests and a memory limit for one container: a pod without requests is BestEffort, the first
 * evicted under pressure. No CPU limit: a throttled webhook times out, and then it fails closed.
 */
export function containerResources(cpu: string, memory: string, memoryLimit: string): object {
  return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}
