/**
 * A mistake in what the user gave (platform file, outputs file, construct props). The apps print
 * its message and exit non-zero without a stack trace; anything else is a bug and keeps its stack.
 */
export class PlatformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** One problem found in a platform file. */
export interface PlatformIssue {
  /** Path of the offending key, e.g. `tenants[1].quota.requests.memory`; empty for the root. */
  readonly path: string;
  /** What is wrong, including the value received. */
  readonly message: string;
}

/** Every problem of one platform file, reported together. */
export class PlatformValidationError extends PlatformError {
  public readonly issues: PlatformIssue[];
  public readonly source: string;

  constructor(source: string, issues: PlatformIssue[]) {
    const lines = issues.map((i) => `  - ${i.path ? i.path + ': ' : ''}${i.message}`);
    const count = issues.length === 1 ? '1 error' : `${issues.length} errors`;
    super(`${source}: ${count}\n${lines.join('\n')}`);
    this.name = 'PlatformValidationError';
    this.source = source;
    this.issues = issues;
  }
}

/** Formats a path of keys and indices the way the documentation writes it: `tenants[1].quota`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** A short, printable rendering of a received value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return 'a self-referencing value';
  }
  if (json === undefined) return String(value);
  return json.length > 80 ? json.slice(0, 77) + '...' : json;
}

/** One prop a construct refuses. */
export interface PropProblem {
  /** Path of the prop in the construct's props, e.g. `storageClasses[0]`; empty for the props as a whole. */
  readonly prop: string;
  /** What is wrong, including the value received. */
  readonly reason: string;
}

/**
 * A prop refused by a check that knows the prop but not the construct; the construct that runs
 * the check turns it into a ConstructError (see PropProblems.check).
 */
export class PropError extends PlatformError {
  constructor(
    public readonly prop: string,
    public readonly reason: string,
  ) {
    super(prop ? `${prop}: ${reason}` : reason);
    this.name = 'PropError';
  }
}

/** Every prop a construct refuses, naming the construct by its kind and its path in the tree. */
export class ConstructError extends PlatformError {
  constructor(
    /** The construct's class, e.g. `Tenant`. */
    public readonly kind: string,
    /** Its node path, e.g. `tenants/dev`. */
    public readonly constructPath: string,
    public readonly problems: PropProblem[],
  ) {
    const line = (p: PropProblem) => (p.prop ? `${p.prop}: ${p.reason}` : p.reason);
    super(
      problems.length === 1
        ? `${kind} ${constructPath}: ${line(problems[0])}`
        : `${kind} ${constructPath}: ${problems.length} problems\n${problems.map((p) => `  - ${line(p)}`).join('\n')}`,
    );
    this.name = 'ConstructError';
  }
}
