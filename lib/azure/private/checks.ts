import { Token } from 'cdktf';
import { describeValue, PlatformError } from '../../platform-file/errors';
import { isUuid, parseQuantity } from '../../platform-file/formats';

/** Checks an object id received as a prop; Terraform references are accepted as they are. */
export function assertObjectId(what: string, value: string): void {
  if (!Token.isUnresolved(value) && !isUuid(value)) {
    throw new PlatformError(
      `${what} must be an Entra object id (UUID, e.g. 0fd5e5bb-39bb-468c-b343-dcdfb01e92d0), got ${describeValue(value)}`,
    );
  }
}

/** Checks a whole number within bounds. */
export function assertIntInRange(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PlatformError(
      `${what} must be a whole number from ${min} to ${max}, got ${describeValue(value)}`,
    );
  }
}

/** Checks a Kubernetes quantity (e.g. 512Mi). */
export function assertQuantity(what: string, value: string): void {
  if (parseQuantity(value) === undefined) {
    throw new PlatformError(
      `${what} must be a Kubernetes quantity (e.g. 512Mi, 1Gi), got ${describeValue(value)}`,
    );
  }
}

/** Checks a DNS label (namespace names, Azure DNS labels). */
export function assertDnsLabel(what: string, value: string, max = 63): void {
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value) || value.length > max) {
    throw new PlatformError(
      `${what} must be a DNS label (lowercase letters, digits and '-', at most ${max} characters), got ${describeValue(value)}`,
    );
  }
}

/** Throws when the same value appears twice. */
export function assertUnique(what: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new PlatformError(`${what} lists ${describeValue(v)} twice`);
    seen.add(v);
  }
}
