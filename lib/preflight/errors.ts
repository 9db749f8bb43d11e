import { PlatformError } from '../platform-file/errors';
import { formatResult, type PolicyResult } from './result';

/**
 * Objects that a Deny (Enforce) policy would reject. The apps print the message, one line per
 * violation, and exit non-zero without a stack trace.
 */
export class PreflightViolationError extends PlatformError {
  public readonly violations: PolicyResult[];

  constructor(violations: PolicyResult[], context: string) {
    const count = violations.length === 1 ? '1 violation' : `${violations.length} violations`;
    const lines = violations.map((v) => `  - ${formatResult(v)}`);
    super(`${count} of Enforce (Deny) policies; ${context}\n${lines.join('\n')}`);
    this.name = 'PreflightViolationError';
    this.violations = violations;
  }
}
