import { describeValue, PlatformError } from '../platform-file/errors';
import { DEFAULT_POD_CONTROLLERS, type Manifest } from './autogen';
import { CelExpression, type Bindings } from './cel/expression';
import type { FieldReads } from './field-reads';
import type { PathKey } from './origin';
import type { ResourceIdentity } from './resources';
import { PolicyResultStatus, ValidationAction } from './result';
import { LabelSelector } from './selector';

/** The Kyverno CEL validating policy kind the preflight evaluates. */
export const VALIDATING_POLICY_API_VERSIONS: readonly string[] = [
  'policies.kyverno.io/v1',
  'policies.kyverno.io/v1beta1',
  'policies.kyverno.io/v1alpha1',
];

/** True for a `policies.kyverno.io` ValidatingPolicy manifest. */
export function isValidatingPolicy(m: Manifest): boolean {
  return m?.kind === 'ValidatingPolicy' && VALIDATING_POLICY_API_VERSIONS.includes(m.apiVersion);
}

interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly string[];
  readonly resourceNames: readonly string[];
  readonly scope: string;
}

interface Validation {
  readonly expression: CelExpression;
  readonly message?: string;
  readonly messageExpression?: CelExpression;
}

/** What a policy concluded about one object, before it is tied to a resource reference. */
export interface Verdict {
  readonly rule: string;
  readonly result: PolicyResultStatus;
  readonly message: string;
}

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info']);

/**
 * A ValidatingPolicy read from its manifest: shape checked and every CEL expression compiled up
 * front, so a broken policy fails the run before any object is judged.
 */
export class CompiledPolicy {
  public readonly name: string;
  public readonly actions: ValidationAction[];
  /** failurePolicy Ignore: evaluation errors never block. */
  public readonly ignoreErrors: boolean;
  /** Admission evaluation disabled: the policy only reports (background scans). */
  public readonly reportOnly: boolean;
  /** False for policies that never judge Kubernetes objects: HTTP or Envoy mode, or every evaluation disabled. */
  public readonly judgesObjects: boolean;
  public readonly severity?: string;
  public readonly category?: string;
  public readonly title?: string;
  public readonly description?: string;
  public readonly namespaceSelector?: LabelSelector;
  public readonly objectSelector?: LabelSelector;
  private readonly rules: readonly ResourceRule[];
  private readonly excludeRules: readonly ResourceRule[];
  private readonly matchConditions: ReadonlyArray<{ name: string; expression: CelExpression }>;
  private readonly variables: ReadonlyArray<{ name: string; expression: CelExpression }>;
  private readonly validations: readonly Validation[];
  private readonly autogenControllers: ReadonlySet<string>;

  /** @throws PlatformError naming the policy and field when the manifest is not a usable policy */
  constructor(manifest: Manifest) {
    const name = manifest?.metadata?.name;
    if (typeof name !== 'string' || name === '')
      throw new PlatformError(
        `ValidatingPolicy: metadata.name must be a non-empty string, received ${describeValue(name)}`,
      );
    this.name = name;
    const at = (field: string): string => `ValidatingPolicy/${name} ${field}`;
    const spec: Manifest = manifest.spec ?? {};

    const actions = spec.validationActions;
    const known = Object.values(ValidationAction) as string[];
    if (!Array.isArray(actions) || actions.length === 0 || actions.some((a) => !known.includes(a)))
      throw new PlatformError(
        `${at('spec.validationActions')}: expected a non-empty list of Deny, Audit or Warn, received ${describeValue(actions)}`,
      );
    this.actions = actions as ValidationAction[];
    this.ignoreErrors = spec.failurePolicy === 'Ignore';
    this.reportOnly = spec.evaluation?.admission?.enabled === false;
    const mode = spec.evaluation?.mode ?? 'Kubernetes';
    this.judgesObjects =
      mode === 'Kubernetes' && !(this.reportOnly && spec.evaluation?.background?.enabled === false);

    const annotations: Record<string, string> = manifest.metadata.annotations ?? {};
    const severity = annotations['policies.kyverno.io/severity']?.toLowerCase();
    if (severity && SEVERITIES.has(severity)) this.severity = severity;
    if (annotations['policies.kyverno.io/category'])
      this.category = annotations['policies.kyverno.io/category'];
    if (annotations['policies.kyverno.io/title']) this.title = annotations['policies.kyverno.io/title'];
    if (annotations['policies.kyverno.io/description'])
      this.description = annotations['policies.kyverno.io/description'];

    const match: Manifest = spec.matchConstraints ?? {};
    this.rules = readRules(match.resourceRules, at('spec.matchConstraints.resourceRules'));
    this.excludeRules = readRules(
      match.excludeResourceRules ?? [],
      at('spec.matchConstraints.excludeResourceRules'),
    );
    this.namespaceSelector = LabelSelector.parse(
      match.namespaceSelector,
      at('spec.matchConstraints.namespaceSelector'),
    );
    this.objectSelector = LabelSelector.parse(
      match.objectSelector,
      at('spec.matchConstraints.objectSelector'),
    );

    this.matchConditions = list(spec.matchConditions, at('spec.matchConditions')).map((c, i) => ({
      name: String(c?.name ?? i),
      expression: CelExpression.compile(c?.expression, at(`spec.matchConditions[${i}].expression`)),
    }));
    this.variables = list(spec.variables, at('spec.variables')).map((v, i) => {
      if (typeof v?.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name))
        throw new PlatformError(
          `${at(`spec.variables[${i}].name`)}: expected a CEL identifier, received ${describeValue(v?.name)}`,
        );
      return {
        name: v.name,
        expression: CelExpression.compile(v.expression, at(`spec.variables[${i}].expression`)),
      };
    });
    this.validations = list(spec.validations, at('spec.validations')).map((v, i) => ({
      expression: CelExpression.compile(v?.expression, at(`spec.validations[${i}].expression`)),
      message: typeof v?.message === 'string' ? v.message.trim() : undefined,
      messageExpression:
        v?.messageExpression === undefined
          ? undefined
          : CelExpression.compile(v.messageExpression, at(`spec.validations[${i}].messageExpression`)),
    }));

    const controllers = spec.autogen?.podControllers?.controllers;
    this.autogenControllers = new Set(
      (Array.isArray(controllers) ? controllers : DEFAULT_POD_CONTROLLERS).map((c: string) =>
        controllerResource(c),
      ),
    );
  }

  /** The messages of the validations (their expression when they have none). */
  public get messages(): string[] {
    return this.validations.map((v) => v.message || `failed expression: ${v.expression.source.trim()}`);
  }

  /**
   * The field of the object that the first failing validation points at: it is run again with
   * `object` read through `reads` (see FieldReads).
   * @param tracked the object as `reads.track()` converted it
   * @returns undefined when no validation fails or the failing one reads no field of the object
   */
  public fieldOfFailure(
    bindings: Bindings,
    tracked: unknown,
    reads: FieldReads,
  ): readonly PathKey[] | undefined {
    const scope: Bindings = { ...bindings, object: tracked as Bindings[string] };
    const variables = new Map<string, unknown>();
    scope.variables = variables as Bindings[string];
    for (const v of this.variables) {
      const o = v.expression.evaluate(scope);
      if ('value' in o) variables.set(v.name, o.value);
    }
    for (const v of this.validations) {
      reads.reset();
      const o = v.expression.evaluate(scope);
      if ('value' in o && o.value === false) return reads.blamed;
    }
    return undefined;
  }

  /** Whether a CREATE of this resource is selected by the resource rules. */
  public matchesResource(id: ResourceIdentity, name: string): boolean {
    return (
      this.rules.some((r) => ruleMatches(r, id, name)) &&
      !this.excludeRules.some((r) => ruleMatches(r, id, name))
    );
  }

  /** Whether Kyverno would evaluate this policy on a controller of that resource through its pod. */
  public autogenApplies(controllerResource: string): boolean {
    return this.autogenControllers.has(controllerResource);
  }

  /**
   * Runs matchConditions, variables and validations.
   * @returns undefined when a match condition excludes the object
   */
  public evaluate(bindings: Bindings): Verdict | undefined {
    for (const c of this.matchConditions) {
      const o = c.expression.evaluate(bindings);
      if ('error' in o) return error('matchConditions', `match condition '${c.name}': ${o.error}`);
      if (o.value === false) return undefined;
      if (o.value !== true)
        return error('matchConditions', `match condition '${c.name}' did not return a bool`);
    }
    // Later variables may use earlier ones; one that fails stays unbound, so only the
    // expressions that use it fail (Kubernetes evaluates variables lazily).
    const variables = new Map<string, unknown>();
    const scope: Bindings = { ...bindings, variables: variables as Bindings[string] };
    for (const v of this.variables) {
      const o = v.expression.evaluate(scope);
      if ('value' in o) variables.set(v.name, o.value);
    }
    const failures: string[] = [];
    const errors: string[] = [];
    for (const v of this.validations) {
      const o = v.expression.evaluate(scope);
      if ('error' in o) errors.push(`${o.error} (expression: ${v.expression.source.trim()})`);
      else if (o.value === false) failures.push(failureMessage(v, scope));
      else if (o.value !== true)
        errors.push(`the expression did not return a bool: ${v.expression.source.trim()}`);
    }
    if (failures.length)
      return { rule: 'validation', result: PolicyResultStatus.FAIL, message: failures.join('; ') };
    if (errors.length) return error('validation', errors.join('; '));
    return { rule: 'validation', result: PolicyResultStatus.PASS, message: '' };
  }
}

function error(rule: string, message: string): Verdict {
  return { rule, result: PolicyResultStatus.ERROR, message };
}

function failureMessage(v: Validation, scope: Bindings): string {
  if (v.messageExpression) {
    const o = v.messageExpression.evaluate(scope);
    // As in Kubernetes: an unusable messageExpression falls back to the static message.
    if ('value' in o && typeof o.value === 'string' && o.value.trim() !== '' && !o.value.includes('\n'))
      return o.value;
  }
  return v.message || `failed expression: ${v.expression.source.trim()}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function list(value: unknown, where: string): any[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new PlatformError(`${where}: expected a list, received ${describeValue(value)}`);
  return value;
}

function readRules(value: unknown, where: string): ResourceRule[] {
  const rules = list(value, where);
  if (where.endsWith('.resourceRules') && rules.length === 0)
    throw new PlatformError(
      `${where}: a policy must select at least one resource rule, received ${describeValue(value)}`,
    );
  return rules.map((r) => ({
    apiGroups: strings(r?.apiGroups),
    apiVersions: strings(r?.apiVersions),
    resources: strings(r?.resources),
    operations: strings(r?.operations),
    resourceNames: strings(r?.resourceNames),
    scope: typeof r?.scope === 'string' ? r.scope : '*',
  }));
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function controllerResource(c: string): string {
  const lower = String(c).toLowerCase();
  return lower.endsWith('s') ? lower : `${lower}s`;
}

function ruleMatches(r: ResourceRule, id: ResourceIdentity, name: string): boolean {
  const any = (values: readonly string[], v: string): boolean => values.includes('*') || values.includes(v);
  if (!any(r.apiGroups, id.group) || !any(r.apiVersions, id.version)) return false;
  if (!any(r.operations, 'CREATE')) return false;
  // '*' selects every resource, '*/*' every resource and subresource; a bare 'pods/*' only subresources.
  if (!r.resources.some((x) => x === '*' || x === '*/*' || x === id.resource)) return false;
  if (r.resourceNames.length > 0 && !r.resourceNames.includes(name)) return false;
  if (r.scope === 'Cluster' && !id.clusterScoped) return false;
  if (r.scope === 'Namespaced' && id.clusterScoped) return false;
  return true;
}
