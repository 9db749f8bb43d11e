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
