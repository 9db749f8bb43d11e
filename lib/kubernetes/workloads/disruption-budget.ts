import { PlatformError } from '../../platform-file/errors';

/**
 * How many pods of a workload voluntary disruptions (node drains, upgrades) may take down at
 * once; rendered as a PodDisruptionBudget.
 */
export class DisruptionBudget {
  /**
   * At most `count` pods unavailable at once. Drains always make progress, even with one
   * replica, while never taking the whole workload down when it has more.
   */
  public static maxUnavailable(count: number): DisruptionBudget {
    return new DisruptionBudget(checkCount('maxUnavailable', count, 1), undefined);
  }

  /**
   * At least `count` pods available at all times. Must stay below the replica count, or node
   * drains block forever.
   */
  public static minAvailable(count: number): DisruptionBudget {
    return new DisruptionBudget(undefined, checkCount('minAvailable', count, 0));
  }

  /** No PodDisruptionBudget: a drain may evict every pod at once. */
  public static none(): DisruptionBudget {
    return new DisruptionBudget(undefined, undefined);
  }

  private constructor(
    /** Pods that may be unavailable, when the budget is expressed that way. */
    public readonly maxUnavailable: number | undefined,
    /** Pods that must stay available, when the budget is expressed that way. */
    public readonly minAvailable: number | undefined,
  ) {}

  /** Whether a PodDisruptionBudget is rendered. */
  public get enabled(): boolean {
    return this.maxUnavailable !== undefined || this.minAvailable !== undefined;
  }
}

function checkCount(what: string, count: number, min: number): number {
  if (!Number.isInteger(count) || count < min) {
    throw new PlatformError(`DisruptionBudget.${what}: must be a whole number ≥ ${min}, got ${count}`);
  }
  return count;
}
