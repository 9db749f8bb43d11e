import { celList, celMap, type CelInput } from '@bufbuild/cel';
import { describeValue, PlatformError } from '../platform-file/errors';
import { controllerPathOfPodField, podControllerResource, podFromController, type Manifest } from './autogen';
import type { Bindings } from './cel/expression';
import { PreflightViolationError } from './errors';
import { CompiledException, isPolicyException } from './exception';
import { FieldReads } from './field-reads';
import type { ManifestOrigin } from './origin';
import { CompiledPolicy, isValidatingPolicy, type Verdict } from './policy';
import { policyReports } from './report';
import { resourceIdentity, type ResourceIdentity } from './resources';
import {
  PolicyResultStatus,
  summarize,
  ValidationAction,
  type FieldLocation,
  type NotJudged,
  type PolicyDescription,
  type PolicyResult,
  type PolicyResultSummary,
  type ResourceReference,
} from './result';

/** What to evaluate: policies, objects, and what the cluster knows of namespaces. */
export interface PreflightProps {
  /**
   * Manifests holding the policies: every `policies.kyverno.io` ValidatingPolicy among them is
   * evaluated; other kinds are ignored.
   */
  readonly policies: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The objects to check, as plain JSON (e.g. `chart.toJson()` or parsed YAML). */
  readonly objects: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Namespace objects that exist besides those among `objects`, for namespace selectors (e.g. the
   * platform's namespaces when checking an application's manifests).
   * @default - only the Namespace objects among `objects`
   */
  readonly namespaces?: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Namespace of namespaced objects whose metadata names none (kubectl applies them there).
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Namespace where Kyverno honours PolicyExceptions (its `features.policyExceptions.namespace`).
   * Exceptions are only read from `policies`, never from `objects`.
   * @default - exceptions among `policies` count in any namespace
   */
  readonly exceptionNamespace?: string;
  /**
   * The time against which exceptions' `expiresAt` is judged (RFC 3339).
   * @default - the current time
   */
  readonly evaluationTime?: string;
  /**
   * Where each object came from (same order as `objects`), shown with its results.
   * @default - no origin shown
   */
  readonly sources?: string[];
  /**
   * Where each object was read (same order as `objects`), e.g. `ManifestSet.origins`: results
   * then carry the file, document, line and column of their object, and failed validations the
   * field they point at.
   * @default - results carry no location
   */
  readonly origins?: ManifestOrigin[];
}

/**
 * Kyverno's admission checks, run before anything reaches a cluster: every ValidatingPolicy is
 * evaluated against every object it selects, pod controllers through their pod template (as
 * Kyverno's autogen does), as a CREATE request.
 */
export class Preflight {
  public readonly policies: readonly CompiledPolicy[];
  public readonly defaultNamespace: string;
  private readonly objects: readonly Manifest[];
  private readonly sources: readonly (string | undefined)[];
  private readonly origins: readonly (ManifestOrigin | undefined)[];
  private readonly namespaceObjects = new Map<string, Manifest>();
  private readonly exceptions: readonly CompiledException[];

  /** @throws PlatformError when a policy is malformed or an expression does not compile */
  constructor(props: PreflightProps) {
    for (const [key, value] of Object.entries({ policies: props.policies, objects: props.objects }))
      if (!Array.isArray(value))
        throw new PlatformError(
          `Preflight ${key}: expected a list of manifests, received ${describeValue(value)}`,
        );
    this.defaultNamespace = props.defaultNamespace ?? 'default';
    const names = new Set<string>();
    this.policies = props.policies
      .filter(isValidatingPolicy)
      .map((m) => new CompiledPolicy(m))
      .filter((p) => {
        if (names.has(p.name))
          throw new PlatformError(`ValidatingPolicy/${p.name}: the name is used by two policies`);
        names.add(p.name);
        return p.judgesObjects;
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const now = props.evaluationTime === undefined ? Date.now() : Date.parse(props.evaluationTime);
    if (Number.isNaN(now))
      throw new PlatformError(
        `Preflight evaluationTime: expected an RFC 3339 time, received ${describeValue(props.evaluationTime)}`,
      );
    this.exceptions = props.policies
      .filter(isPolicyException)
      .map((m) => new CompiledException(m))
      .filter((e) => props.exceptionNamespace === undefined || e.namespace === props.exceptionNamespace)
      .filter((e) => !e.expiredAt(now));
    this.objects = props.objects;
    this.sources = props.sources ?? [];
    this.origins = props.origins ?? [];
    for (const ns of [...(props.namespaces ?? []), ...props.objects])
      if (ns?.kind === 'Namespace' && ns.apiVersion === 'v1' && typeof ns.metadata?.name === 'string')
        this.namespaceObjects.set(ns.metadata.name, withNameLabel(ns));
  }

  /** Evaluates every policy on every object it selects. */
  public evaluate(): PreflightResult {
    const results: PolicyResult[] = [];
    const notJudged: NotJudged[] = [];
    this.objects.forEach((object, i) => {
      const origin = this.origins[i];
      const outcome = this.evaluateObject(object, this.sources[i] ?? origin?.location.file, origin);
      for (const r of outcome.results) results.push(r);
      if (outcome.notJudged) notJudged.push(outcome.notJudged);
    });
    return new PreflightResult(
      results,
      this.policies.map((p) => p.name),
      notJudged,
    );
  }

  /** What each policy says about itself, in evaluation order. */
  public describePolicies(): PolicyDescription[] {
    return this.policies.map((p) => ({
      name: p.name,
      ...(p.title ? { title: p.title } : {}),
      ...(p.description ? { description: p.description } : {}),
      ...(p.severity ? { severity: p.severity } : {}),
      ...(p.category ? { category: p.category } : {}),
      actions: [...p.actions],
      messages: p.messages,
    }));
  }

  private evaluateObject(
    object: Manifest,
    source: string | undefined,
    origin?: ManifestOrigin,
  ): { results: PolicyResult[]; notJudged?: NotJudged } {
    const location = origin ? { location: origin.location } : {};
    const { apiVersion, kind } = object ?? {};
    const metadata = object?.metadata;
    // An object created with generateName has no name at admission (request.name is empty);
    // results name it by its prefix.
    const name = typeof metadata?.name === 'string' ? metadata.name : '';
    const shown = name !== '' ? name : metadata?.generateName;
    if (
      typeof apiVersion !== 'string' ||
      typeof kind !== 'string' ||
      typeof shown !== 'string' ||
      shown === ''
    ) {
      const what = typeof kind === 'string' ? kind : 'an object';
      return {
        results: [],
        notJudged: {
          resource: { apiVersion: String(apiVersion), kind: what, name: String(shown ?? '') },
          ...(source ? { source } : {}),
          ...location,
          reason:
            'it has no apiVersion, kind, metadata.name or metadata.generateName: the API server would refuse it',
        },
      };
    }
    const id = resourceIdentity(apiVersion, kind, metadata.namespace);
    const namespace = id.clusterScoped ? undefined : (metadata.namespace ?? this.defaultNamespace);
    const resource: ResourceReference = {
      apiVersion,
      kind,
      name: shown,
      ...(namespace === undefined ? {} : { namespace }),
    };
    const direct = new Target(this, object, id, namespace);
    let pod: Target | undefined | null;
    const controller = podControllerResource(kind);

    const results: PolicyResult[] = [];
    let excludedByNamespace = 0;
    for (const policy of this.policies) {
      let target: Target | undefined;
      if (policy.matchesResource(id, name)) target = direct;
      else if (controller && policy.autogenApplies(controller)) {
        if (pod === undefined) {
          const p = podFromController(object);
          pod = p ? new Target(this, p, resourceIdentity('v1', 'Pod', namespace), namespace, true) : null;
        }
        if (pod && policy.matchesResource(pod.id, name)) target = pod;
      }
      if (!target) continue;
      const unselected = target.unselectedBy(policy);
      if (unselected === 'namespace') excludedByNamespace++;
      if (unselected) continue;
      const judged = this.judge(policy, target.bindings);
      if (!judged) continue;
      const { verdict, bindings } = judged;
      const failed = verdict.result === PolicyResultStatus.FAIL;
      const errored = verdict.result === PolicyResultStatus.ERROR;
      const denies = policy.actions.includes(ValidationAction.DENY) && !policy.reportOnly;
      const warnOnly = policy.actions.every((a) => a === ValidationAction.WARN);
      const result: PolicyResult = {
        policy: policy.name,
        rule: verdict.rule,
        result: failed && warnOnly ? PolicyResultStatus.WARN : verdict.result,
        message: verdict.message,
        resource,
        actions: [...policy.actions],
        blocking: denies && (failed || (errored && !policy.ignoreErrors)),
        ...(policy.severity ? { severity: policy.severity } : {}),
        ...(policy.category ? { category: policy.category } : {}),
        ...(source ? { source } : {}),
        ...location,
      };
      const field = failed && origin ? this.fieldOf(policy, bindings, target, origin, kind) : undefined;
      results.push(field ? { ...result, field } : result);
    }
    if (results.length > 0 || excludedByNamespace === 0) return { results };
    const ns = namespace ?? shown;
    const policies = excludedByNamespace === 1 ? 'the policy' : `the ${excludedByNamespace} policies`;
    return {
      results,
      notJudged: {
        resource,
        ...(source ? { source } : {}),
        ...location,
        reason: `namespace ${ns} is excluded by the namespaceSelector of ${policies} that match ${kind}`,
      },
    };
  }

  // An exception that matches skips the policy, unless it grants allowedValues: then the policy
  // runs and reads them as `exceptions.allowedValues`, as in Kyverno.
  private judge(
    policy: CompiledPolicy,
    bindings: Bindings,
  ): { verdict: Verdict; bindings: Bindings } | undefined {
    const lifting = this.exceptions.filter((e) => e.lifts(policy.name) && e.matches(bindings));
    const withVerdict = (b: Bindings) => {
      const verdict = policy.evaluate(b);
      return verdict && { verdict, bindings: b };
    };
    if (lifting.length === 0) return withVerdict(bindings);
    const allowedValues = lifting.flatMap((e) => e.allowedValues);
    if (allowedValues.length > 0) return withVerdict({ ...bindings, exceptions: { allowedValues } });
    const e = lifting[0];
    return {
      verdict: { rule: 'exception', result: e.reportResult, message: `excepted by PolicyException ${e.id}` },
      bindings,
    };
  }

  // Run again, only for failures and only when the object came from a file: the recording copy of
  // the object costs a conversion that passes never need.
  private fieldOf(
    policy: CompiledPolicy,
    bindings: Bindings,
    target: Target,
    origin: ManifestOrigin,
    kind: string,
  ): FieldLocation | undefined {
    const reads = new FieldReads();
    const path = policy.fieldOfFailure(bindings, reads.track(target.object), reads);
    if (!path) return undefined;
    return origin.locate(target.isPodOfController ? controllerPathOfPodField(kind, path) : path);
  }

  /** @internal the Namespace object of `name`: the one given, or the one the API server would have. */
  public _namespaceObject(name: string): Manifest {
    let ns = this.namespaceObjects.get(name);
    if (!ns) {
      ns = withNameLabel({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      this.namespaceObjects.set(name, ns);
    }
    return ns;
  }
}

/** The outcome of a preflight run. */
export class PreflightResult {
  constructor(
    /** Every result, in object order then policy name order. */
    public readonly results: PolicyResult[],
    /** Names of the policies evaluated. */
    public readonly policies: string[],
    /** Objects no policy could judge, with the reason (e.g. a namespace every policy excludes). */
    public readonly notJudged: NotJudged[] = [],
  ) {}

  /** Results that Kubernetes would reject at admission. */
  public get violations(): PolicyResult[] {
    return this.results.filter((r) => r.blocking);
  }

  public get summary(): PolicyResultSummary {
    return summarize(this.results);
  }

  /** The results as `wgpolicyk8s.io/v1alpha2` PolicyReport and ClusterPolicyReport objects. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  public toPolicyReports(): any[] {
    return policyReports(this.results);
  }

  /**
   * @param context what happens because of the violations, e.g. `nothing was written`
   * @throws PreflightViolationError when any result is blocking
   */
  public assertNoViolations(context: string): void {
    const violations = this.violations;
    if (violations.length > 0) throw new PreflightViolationError(violations, context);
  }
}

// One object as one policy input: bindings are built once and shared by every policy.
class Target {
  private cached?: Bindings;
  private readonly labels: Record<string, string>;

  constructor(
    private readonly preflight: Preflight,
    public readonly object: Manifest,
    public readonly id: ResourceIdentity,
    private readonly namespace: string | undefined,
    /** The pod autogen builds from a controller's template: its fields are written in the controller. */
    public readonly isPodOfController = false,
  ) {
    this.labels = object.metadata?.labels ?? {};
  }

  /** Why the policy's selectors leave this object out, or undefined when they select it. */
  public unselectedBy(policy: CompiledPolicy): 'object' | 'namespace' | undefined {
    if (policy.objectSelector && !policy.objectSelector.matches(this.labels)) return 'object';
    if (!policy.namespaceSelector) return undefined;
    // As in Kubernetes: a Namespace is matched on its own labels; other cluster-scoped objects always match.
    let labels: Record<string, string>;
    if (this.id.kind === 'Namespace' && this.id.group === '')
      labels = withNameLabel(this.object).metadata.labels;
    else if (this.namespace === undefined) return undefined;
    else labels = this.preflight._namespaceObject(this.namespace).metadata.labels;
    return policy.namespaceSelector.matches(labels) ? undefined : 'namespace';
  }

  public get bindings(): Bindings {
    if (!this.cached) {
      const name = typeof this.object.metadata?.name === 'string' ? this.object.metadata.name : '';
      const request = {
        operation: 'CREATE',
        kind: { group: this.id.group, version: this.id.version, kind: this.id.kind },
        resource: { group: this.id.group, version: this.id.version, resource: this.id.resource },
        requestKind: { group: this.id.group, version: this.id.version, kind: this.id.kind },
        name,
        namespace: this.namespace ?? '',
        userInfo: { username: '', groups: [] },
        dryRun: false,
      };
      const namespaceObject =
        this.namespace === undefined ? null : this.preflight._namespaceObject(this.namespace);
      this.cached = {
        object: toCelJson(this.object) as Bindings[string],
        oldObject: null,
        request: toCelJson(request) as Bindings[string],
        namespaceObject: toCelJson(namespaceObject) as Bindings[string],
        params: null,
        exceptions: { allowedValues: [] },
      };
    }
    return this.cached;
  }
}

function withNameLabel(ns: Manifest): Manifest {
  const name = ns.metadata.name;
  return {
    ...ns,
    metadata: {
      ...ns.metadata,
      labels: { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name },
    },
  };
}

// Kubernetes integer fields are CEL ints (`replicas + 1` must type-check); JSON numbers would be doubles.
// Maps and lists are converted to CEL values once per object: the engine would otherwise copy a
// plain object into a new map at every field access, for every policy.
function toCelJson(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return celList(value.map(toCelJson) as CelInput[]);
  if (value && typeof value === 'object') {
    const out = new Map<string, CelInput>();
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out.set(k, toCelJson(v) as CelInput);
    return celMap(out);
  }
  return value;
}
