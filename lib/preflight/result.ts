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

/** Where an object was read: its file, document and first line. */
export interface ObjectLocation {
  /** The file, as the check was given it (`-` for standard input). */
  readonly file: string;
  /** 1-based position of the YAML document in the file. */
  readonly document: number;
  /** Inside a `kind: List` document, the item: `items[2]`. @default - the document itself */
  readonly item?: string;
  /** 1-based line of the object's first key. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units) of the object's first key. */
  readonly column: number;
}

/** The field of an object that a failed control points at, and where it is written. */
export interface FieldLocation {
  /** Path of the field in the object as written: `spec.template.spec.containers[0].securityContext`. */
  readonly path: string;
  /** 1-based line of the field's key (of the item, in a list). */
  readonly line: number;
  /** 1-based column (in UTF-16 code units). */
  readonly column: number;
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
  /** Where the object was read, when it came from a file. @default - none */
  readonly location?: ObjectLocation;
  /**
   * For a failed validation, the field it points at: the last field of the object the failing
   * expression read (see docs/preflight.md, "Where a result points"). @default - none: the control read
   * no field of the object, or the object came from no file
   */
  readonly field?: FieldLocation;
}

/** An object the preflight read but could not judge, and why. */
export interface NotJudged {
  readonly resource: ResourceReference;
  readonly reason: string;
  /** File the object was read from. @default - none */
  readonly source?: string;
  /** Where the object was read. @default - none */
  readonly location?: ObjectLocation;
}

/** What a policy says about itself: the rule of a report format. */
export interface PolicyDescription {
  readonly name: string;
  /** From the `policies.kyverno.io/title` annotation. @default - none */
  readonly title?: string;
  /** From the `policies.kyverno.io/description` annotation. @default - none */
  readonly description?: string;
  /** @default - none */
  readonly severity?: string;
  /** @default - none */
  readonly category?: string;
  readonly actions: ValidationAction[];
  /** The messages of its validations. */
  readonly messages: string[];
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

/** `k8s/app.yaml:12:9`: where a result points (its field, else its object), else its file. */
export function formatWhere(r: {
  source?: string;
  location?: ObjectLocation;
  field?: FieldLocation;
}): string {
  const at = r.field ?? r.location;
  const file = r.location?.file ?? r.source;
  if (file === undefined) return '';
  return at ? `${file === '-' ? '<stdin>' : file}:${at.line}:${at.column}` : file;
}

/** One printable line: policy, object, where it is written, message. */
export function formatResult(r: PolicyResult): string {
  const where = formatWhere(r);
  return `${r.policy}: ${describeResource(r.resource)}${where ? ` (${where})` : ''}: ${r.message}`;
}
