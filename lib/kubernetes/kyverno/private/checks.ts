import { describeValue, PlatformError } from '../../../platform-file/errors';
import { isDnsLabel, isDnsSubdomain } from '../../../platform-file/formats';
import { parseCel } from '../../../preflight/cel/parse';

/** Throws unless `value` is a DNS label (names of namespaces and policies). */
export function checkDnsLabel(value: string, what: string): void {
  if (!isDnsLabel(value)) {
    throw new PlatformError(
      `${what}: ${describeValue(value)} must be a DNS label: lowercase letters, digits and '-', at most 63 characters`,
    );
  }
}

/** Throws unless `value` is a DNS subdomain (names of workloads). */
export function checkDnsSubdomain(value: string, what: string): void {
  if (!isDnsSubdomain(value)) {
    throw new PlatformError(
      `${what}: ${describeValue(value)} must be a DNS subdomain (a Kubernetes object name)`,
    );
  }
}

/** Throws unless `list` has at least one element. */
export function checkNotEmpty(list: readonly unknown[], what: string): void {
  if (list.length === 0) throw new PlatformError(`${what}: must list at least one entry, got []`);
}

/** Throws unless `value` has non-blank text. */
export function checkText(value: string, what: string): void {
  if (value.trim() === '') throw new PlatformError(`${what}: must not be empty, got ${describeValue(value)}`);
}

/** Throws unless `value` is a CEL identifier (names of variables). */
export function checkIdentifier(value: string, what: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    throw new PlatformError(
      `${what}: ${describeValue(value)} must be a CEL identifier (letters, digits, '_')`,
    );
  }
}

/**
 * Throws unless `expression` parses as standard CEL. The same expressions are evaluated outside
 * Kyverno, so Kubernetes-only syntax such as optional field selection (`.?`) is refused here.
 */
export function checkCel(expression: string, what: string): void {
  checkText(expression, what);
  try {
    parseCel(expression);
  } catch (e) {
    if (e instanceof PlatformError) throw e;
    throw new PlatformError(
      `${what}: ${describeValue(expression)} is not standard CEL (${(e as Error).message})`,
    );
  }
}
