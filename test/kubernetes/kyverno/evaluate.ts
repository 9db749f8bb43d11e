import { CelScalar, celEnv, celError, celFunc, isCelError, listType, parse, plan } from '@bufbuild/cel';
import type { CelFunc, CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/** The outcome of one policy on one pod. */
export interface Verdict {
  /** False when the policy does not apply (namespace, resource or match condition). */
  readonly matched: boolean;
  /** True when every validation holds (or the policy does not apply). */
  readonly passed: boolean;
  /** Messages of the failed validations. */
  readonly messages: string[];
}

type Json = Record<string, any>;

/**
 * Evaluates CEL on a standard engine (standard CEL + strings extension, plus `funcs` to stand in
 * for Kyverno's own functions); an error fails the test.
 */
export function cel(
  expression: string,
  bindings: Record<string, unknown>,
  funcs: readonly CelFunc[] = NO_FUNCS,
): unknown {
  const result = program(expression, funcs)(bindings as Record<string, CelInput>);
  if (isCelError(result)) throw new Error(`CEL error in ${expression}: ${result.message}`);
  return result;
}

// What @bufbuild/cel's run() does (environment, parse, plan, then evaluate), with the planned
// program kept per expression and function set: the catalog tests evaluate the same few hundred
// expressions on thousands of pods, and parsing was most of their time.
const NO_FUNCS: readonly CelFunc[] = [];
type Program = (bindings: Record<string, CelInput>) => unknown;
const programs = new WeakMap<readonly CelFunc[], Map<string, Program>>();

function program(expression: string, funcs: readonly CelFunc[]): Program {
  let byExpression = programs.get(funcs);
  if (!byExpression) programs.set(funcs, (byExpression = new Map()));
  let planned = byExpression.get(expression);
  if (!planned) {
    try {
      const run = plan(celEnv({ funcs: [...strings, ...funcs] }), parse(expression));
      planned = (bindings) => {
        try {
          return run(bindings);
        } catch (e) {
          return celError(e);
        }
      };
    } catch (e) {
      const error = celError(e);
      planned = () => error;
    }
    byExpression.set(expression, planned);
  }
  return planned;
}

export function selectorMatches(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const ok =
      e.operator === 'In'
        ? has && e.values.includes(labels[e.key])
        : e.operator === 'NotIn'
          ? !has || !e.values.includes(labels[e.key])
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : (() => {
                  throw new Error(`operator ${e.operator}`);
                })();
    if (!ok) return false;
  }
  return true;
}

/** Labels the API server puts on a namespace. */
export function namespaceLabels(pod: Json): Record<string, string> {
  return { 'kubernetes.io/metadata.name': pod.metadata.namespace };
}

function check(
  object: Json,
  conditions: Json[] | undefined,
  variables: Json[] | undefined,
  validations: Json[],
): Verdict {
  for (const c of conditions ?? []) {
    if (cel(c.expression, { object }) !== true) return { matched: false, passed: true, messages: [] };
  }
  const vars: Record<string, unknown> = {};
  for (const v of variables ?? []) vars[v.name] = cel(v.expression, { object, variables: vars });
  const messages: string[] = [];
  for (const v of validations) {
    const ok = cel(v.expression, { object, variables: vars });
    if (typeof ok !== 'boolean') throw new Error(`${v.expression} is not a boolean`);
    if (!ok) {
      messages.push(
        v.messageExpression ? String(cel(v.messageExpression, { object, variables: vars })) : v.message,
      );
    }
  }
  return { matched: true, passed: messages.length === 0, messages };
}

/** The core resources the catalog checks, by kind. */
const RESOURCES: Record<string, string> = { Pod: 'pods', Service: 'services' };

/**
 * A `policies.kyverno.io/v1` ValidatingPolicy on a Pod (or a Service), the way the API server and
 * Kyverno apply it.
 */
export function evaluateValidatingPolicy(policy: Json, pod: Json): Verdict {
  const spec = policy.spec;
  const rules: Json[] = spec.matchConstraints.resourceRules;
  const matchesKind = rules.some(
    (r) =>
      r.apiGroups.includes('') &&
      r.resources.includes(RESOURCES[pod.kind]) &&
      r.operations.includes('CREATE'),
  );
  if (!matchesKind) return { matched: false, passed: true, messages: [] };
  if (!selectorMatches(spec.matchConstraints.namespaceSelector, namespaceLabels(pod))) {
    return { matched: false, passed: true, messages: [] };
  }
  return check(pod, spec.matchConditions, spec.variables, spec.validations);
}

/** A legacy `kyverno.io/v1` ClusterPolicy with one `validate.cel` rule on a Pod (or a Service). */
export function evaluateClusterPolicy(policy: Json, pod: Json): Verdict {
  const rule = policy.spec.rules[0];
  const matches = (rule.match.any as Json[]).some(
    (m) =>
      m.resources.kinds.includes(pod.kind) &&
      selectorMatches(m.resources.namespaceSelector, namespaceLabels(pod)),
  );
  if (!matches) return { matched: false, passed: true, messages: [] };
  return check(pod, rule.celPreconditions, rule.validate.cel.variables, rule.validate.cel.expressions);
}

/** Either dialect. */
export function evaluate(policy: Json, pod: Json): Verdict {
  return policy.kind === 'ClusterPolicy'
    ? evaluateClusterPolicy(policy, pod)
    : evaluateValidatingPolicy(policy, pod);
}

/** The container lists whose images Kyverno puts in the `images` variable of an ImageValidatingPolicy. */
const IMAGE_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/**
 * The `images` variable Kyverno fills for a Pod: per container list, the images (an empty list
 * when the pod has none of that kind).
 */
export function podImages(pod: Json): Record<string, string[]> {
  return Object.fromEntries(
    IMAGE_LISTS.map((list) => [list, ((pod.spec[list] ?? []) as Json[]).map((c) => c.image)]),
  );
}

/**
 * A `policies.kyverno.io/v1` ImageValidatingPolicy on a Pod. Kyverno's
 * `verifyImageSignatures(image, attestors)` (the number of attestors that verified the image)
 * is stood in for by 1 when `signed` holds the image, else 0. `images` replaces the `images`
 * variable (default: `podImages(pod)`).
 */
export function evaluateImageValidatingPolicy(
  policy: Json,
  pod: Json,
  signed: readonly string[],
  images: Record<string, string[]> = podImages(pod),
): Verdict {
  const spec = policy.spec;
  if (!selectorMatches(spec.matchConstraints.namespaceSelector, namespaceLabels(pod))) {
    return { matched: false, passed: true, messages: [] };
  }
  const verify = celFunc(
    'verifyImageSignatures',
    [CelScalar.STRING, listType(CelScalar.DYN)],
    CelScalar.INT,
    (image) => (signed.includes(image) ? 1n : 0n),
  );
  const attestors = Object.fromEntries((spec.attestors as Json[]).map((a) => [a.name, a.name]));
  const messages: string[] = [];
  for (const v of spec.validations as Json[]) {
    const ok = cel(v.expression, { object: pod, images, attestors }, [verify]);
    if (typeof ok !== 'boolean') throw new Error(`${v.expression} is not a boolean`);
    if (!ok) messages.push(v.message);
  }
  return { matched: true, passed: messages.length === 0, messages };
}
