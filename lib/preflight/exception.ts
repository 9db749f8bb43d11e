import { describeValue, PlatformError } from '../platform-file/errors';
import type { Manifest } from './autogen';
import { CelExpression, type Bindings } from './cel/expression';
import { PolicyResultStatus } from './result';

/** True for a `policies.kyverno.io` PolicyException manifest. */
export function isPolicyException(m: Manifest): boolean {
  return (
    m?.kind === 'PolicyException' &&
    typeof m.apiVersion === 'string' &&
    m.apiVersion.startsWith('policies.kyverno.io/')
  );
}

/**
 * A PolicyException read from its manifest: which ValidatingPolicies it lifts, for which objects
 * (its matchConditions), until when.
 */
export class CompiledException {
  /** `<namespace>/<name>`, as results name it. */
  public readonly id: string;
  public readonly namespace?: string;
  /** What an excepted object gets in the reports (`reportResult`). */
  public readonly reportResult: PolicyResultStatus;
  /** Values policies may read as `exceptions.allowedValues`; when any, the policy still runs. */
  public readonly allowedValues: string[];
  private readonly policies: ReadonlySet<string>;
  private readonly conditions: readonly CelExpression[];
  private readonly expiresAt?: number;

  /** @throws PlatformError naming the exception and field when the manifest is not usable */
  constructor(manifest: Manifest) {
    const name = manifest?.metadata?.name;
    if (typeof name !== 'string' || name === '')
      throw new PlatformError(
        `PolicyException: metadata.name must be a non-empty string, received ${describeValue(name)}`,
      );
    this.namespace = manifest.metadata.namespace;
    this.id = this.namespace ? `${this.namespace}/${name}` : name;
    const at = (field: string): string => `PolicyException/${this.id} ${field}`;
    const spec: Manifest = manifest.spec ?? {};
    const refs = spec.policyRefs;
    if (!Array.isArray(refs) || refs.length === 0)
      throw new PlatformError(
        `${at('spec.policyRefs')}: expected a non-empty list, received ${describeValue(refs)}`,
      );
    this.policies = new Set(
      refs
        .filter((r) => r?.kind === 'ValidatingPolicy' && typeof r.name === 'string')
        .map((r) => r.name as string),
    );
    const conditions = spec.matchConditions ?? [];
    if (!Array.isArray(conditions))
      throw new PlatformError(
        `${at('spec.matchConditions')}: expected a list, received ${describeValue(conditions)}`,
      );
    this.conditions = conditions.map((c, i) =>
      CelExpression.compile(c?.expression, at(`spec.matchConditions[${i}].expression`)),
    );
    this.allowedValues = Array.isArray(spec.allowedValues) ? spec.allowedValues.map(String) : [];
    this.reportResult = spec.reportResult === 'pass' ? PolicyResultStatus.PASS : PolicyResultStatus.SKIP;
    if (spec.expiresAt !== undefined) {
      const t = Date.parse(spec.expiresAt);
      if (Number.isNaN(t))
        throw new PlatformError(
          `${at('spec.expiresAt')}: expected an RFC 3339 time, received ${describeValue(spec.expiresAt)}`,
        );
      this.expiresAt = t;
    }
  }

  public lifts(policy: string): boolean {
    return this.policies.has(policy);
  }

  public expiredAt(now: number): boolean {
    return this.expiresAt !== undefined && now >= this.expiresAt;
  }

  /** Every match condition is true; one that errors does not free the object. */
  public matches(bindings: Bindings): boolean {
    return this.conditions.every((c) => {
      const o = c.evaluate(bindings);
      return 'value' in o && o.value === true;
    });
  }
}
