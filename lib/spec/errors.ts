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
