/** What a policy does with a failed validation (`spec.validationActions`). */
export enum ValidationAction {
  /** The request is rejected (Kyverno's Enforce). */
  DENY = 'Deny',
  /** The failure is recorded in the policy reports. */
  AUDIT = 'Audit',
  /** The client receives a warning. */
  WARN = 'Warn',
}

/** The outcome of one policy on one object, as PolicyReports spell it. */
export enum PolicyResultStatus {
  PASS = 'pass',
  FAIL = 'fail',
  WARN = 'warn',
  ERROR = 'error',
  SKIP = 'skip',
}

/** The object a result is about (for a pod controller: the controller, not its pod). */
export interface ResourceReference {
  readonly apiVersion: string;
  readonly kind: string;
  /** @default - cluster-scoped */
  readonly namespace?: string;
  readonly name: string;
}

/** One policy evaluated on one object. */
export interface PolicyResult {
  /** Name of the ValidatingPolicy. */
  readonly policy: string;
  /**
   * Which part of the policy decided: `validation` when every validation ran, else the failing
   * stage (`matchConditions` or `variables` on an evaluation error).
   */
  readonly rule: string;
  readonly result: PolicyResultStatus;
  /** Why it failed or errored; for a pass, empty. */
  readonly message: string;
  readonly resource: ResourceReference;
  /** The policy's validationActions. */
  readonly actions: ValidationAction[];
  /** True when Kubernetes would reject the object: a Deny policy failed, or errored with failurePolicy Fail. */
  readonly blocking: boolean;
  /** From the policy's `policies.kyverno.io/severity` annotation. @default - none */
  readonly severity?: string;
  /** From the policy's `policies.kyverno.io/category` annotation. @default - none */
  readonly category?: string;
  /** File the object was read from, when it came from a folder. @default - none */
  readonly source?: string;
}

/** An object the preflight read but could not judge, and why. */
export interface NotJudged {
  readonly resource: ResourceReference;
  readonly reason: string;
  /** File the object was read from. @default - none */
  readonly source?: string;
}

/** Counts of results, as in a PolicyReport summary. */
export interface PolicyResultSummary {
  readonly pass: number;
  readonly fail: number;
  readonly warn: number;
  readonly error: number;
  readonly skip: number;
}

/** Counts `results` by status. */
export function summarize(results: readonly PolicyResult[]): PolicyResultSummary {
  const s = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result]++;
  return s;
}

/** `Deployment/dev-demo/demo-api` (cluster-scoped: `Namespace/dev-demo`). */
export function describeResource(r: ResourceReference): string {
  return r.namespace === undefined ? `${r.kind}/${r.name}` : `${r.kind}/${r.namespace}/${r.name}`;
}

/** One printable line: policy, object, message. */
export function formatResult(r: PolicyResult): string {
  const where = r.source ? ` (${r.source})` : '';
  return `${r.policy}: ${describeResource(r.resource)}${where}: ${r.message}`;
}
