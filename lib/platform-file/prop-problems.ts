import { ConstructError, PlatformError, PropError, type PropProblem } from './errors';

/**
 * Collects the props a construct refuses, so that all of them are reported together, then
 * throws them as one ConstructError.
 */
export class PropProblems {
  private readonly problems: PropProblem[] = [];

  /**
   * @param kind the construct's class, e.g. `Tenant`
   * @param constructPath its node path (`construct.node.path`)
   */
  constructor(
    private readonly kind: string,
    private readonly constructPath: string,
  ) {}

  /** Number of problems so far. */
  public get size(): number {
    return this.problems.length;
  }

  public add(prop: string, reason: string): void {
    this.problems.push({ prop, reason });
  }

  /**
   * Runs a check that throws: a PropError, or a PlatformError (a ConstructError's problems
   * are taken one by one, under `prefix`), is recorded instead.
   * @param prefix prop path the check's own props sit under, e.g. `keyVault`
   * @returns what the check returns, or undefined when it threw
   */
  public check<T>(check: () => T, prefix = ''): T | undefined {
    const under = (prop: string) => (prefix && prop ? `${prefix}.${prop}` : prefix || prop);
    try {
      return check();
    } catch (e) {
      if (e instanceof ConstructError) for (const p of e.problems) this.add(under(p.prop), p.reason);
      else if (e instanceof PropError) this.add(under(e.prop), e.reason);
      else if (e instanceof PlatformError) this.add(prefix, e.message);
      else throw e;
      return undefined;
    }
  }

  /** @throws ConstructError with every problem recorded, if any */
  public throwIfAny(): void {
    if (this.problems.length > 0) throw new ConstructError(this.kind, this.constructPath, [...this.problems]);
  }
}
