/** What Kyverno does with a resource that fails a policy. */
export enum PolicyAction {
  /** Admit the resource and record the failure in a PolicyReport. */
  AUDIT = 'Audit',
  /** Reject the request. */
  ENFORCE = 'Enforce',
}

/** The Kyverno policy API the constructs emit. */
export enum PolicyApi {
  /** CEL policies of `policies.kyverno.io/v1` (ValidatingPolicy, GeneratingPolicy...), as served by Kyverno 1.19. */
  CEL = 'policies.kyverno.io/v1',
  /**
   * `kyverno.io/v1` ClusterPolicy with `validate.cel` and a per-rule `failureAction`, for clusters
   * still on Kyverno 1.13 to 1.17 (rule-level `failureAction` and `generateExisting` exist from
   * 1.13; on 1.11 and 1.12 Enforce would silently become Audit). Still served by 1.18 and 1.19, but
   * deprecated upstream since 1.18.
   */
  LEGACY = 'kyverno.io/v1',
}

/** Controllers whose pod templates Kyverno also checks (autogen) for a pod policy. */
export enum PodController {
  DAEMON_SETS = 'daemonsets',
  DEPLOYMENTS = 'deployments',
  STATEFUL_SETS = 'statefulsets',
  JOBS = 'jobs',
  CRON_JOBS = 'cronjobs',
}

/** Every pod controller Kyverno can generate rules for. */
export const ALL_POD_CONTROLLERS: readonly PodController[] = [
  PodController.DAEMON_SETS,
  PodController.DEPLOYMENTS,
  PodController.STATEFUL_SETS,
  PodController.JOBS,
  PodController.CRON_JOBS,
];

/** The kind of object a policy definition checks. */
export class PolicyResource {
  /** Pods, and through Kyverno's autogen the pod templates of their controllers. */
  public static readonly POD = new PolicyResource('Pod', 'pods', true);
  /** Services. */
  public static readonly SERVICE = new PolicyResource('Service', 'services', false);
  /** ServiceAccounts. */
  public static readonly SERVICE_ACCOUNT = new PolicyResource('ServiceAccount', 'serviceaccounts', false);

  private constructor(
    /** Kind, as the legacy API matches it. */
    public readonly kind: string,
    /** Resource, as `matchConstraints.resourceRules` name it (core API group, v1). */
    public readonly resource: string,
    /** True when Kyverno also checks the pod templates of pod controllers. */
    public readonly hasPodTemplates: boolean,
  ) {}
}

/** Groups the catalog in policy reports and in the documentation. */
export enum PolicyCategory {
  POD_SECURITY_BASELINE = 'Pod Security Standards (Baseline)',
  POD_SECURITY_RESTRICTED = 'Pod Security Standards (Restricted)',
  BEST_PRACTICES = 'Best Practices',
  CONVENTIONS = 'Conventions',
  SUPPLY_CHAIN = 'Software Supply Chain Security',
  MULTI_TENANCY = 'Multi-Tenancy',
}

/** Severity written in policy reports. */
export enum PolicySeverity {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
}

/** One CEL check: the resource passes when `expression` is true. */
export interface CelValidation {
  /** CEL expression over `object` (the Pod) and `variables`; true means compliant. */
  readonly expression: string;
  /** Message shown when the check fails. */
  readonly message: string;
  /**
   * CEL expression building a more precise message (e.g. naming the offending containers).
   * @default - `message` only
   */
  readonly messageExpression?: string;
}

/** A named CEL value, evaluated once and read as `variables.<name>`. */
export interface CelVariable {
  /** Name, read as `variables.<name>`. */
  readonly name: string;
  /** CEL expression of the value. */
  readonly expression: string;
}

/** A CEL precondition: the policy only applies when every condition is true. */
export interface CelMatchCondition {
  /** Name of the condition (a qualified name). */
  readonly name: string;
  /** CEL expression; false skips the policy for this resource. */
  readonly expression: string;
}

/**
 * One control, described once and rendered to either policy API. The CEL is written against a
 * Pod (`object.spec`, `object.metadata`), Kyverno rewriting it for the pod controllers, or
 * against the object of `resource`.
 */
export interface PodPolicyDefinition {
  /** Policy name (a DNS label); also the name used in overrides and exceptions. */
  readonly name: string;
  /**
   * What the policy checks; the CEL reads it as `object`.
   * @default PolicyResource.POD
   */
  readonly resource?: PolicyResource;
  /** Short human title. */
  readonly title: string;
  /** What the control checks, in one or two sentences. */
  readonly description: string;
  /** Category written on the policy. */
  readonly category: PolicyCategory;
  /** Severity written on the policy. */
  readonly severity: PolicySeverity;
  /** The checks; the pod complies when every one is true. */
  readonly validations: CelValidation[];
  /**
   * Variables the checks share.
   * @default - none
   */
  readonly variables?: CelVariable[];
  /**
   * Preconditions on the pod.
   * @default - every pod matches
   */
  readonly matchConditions?: CelMatchCondition[];
  /**
   * Action when the platform sets none for this policy.
   * @default - the platform-wide action
   */
  readonly defaultAction?: PolicyAction;
  /**
   * Pod controllers whose templates are checked too (pod policies only).
   * @default ALL_POD_CONTROLLERS
   */
  readonly podControllers?: PodController[];
  /**
   * Restricts the policy to these namespaces (matched by name).
   * @default - every namespace but the excluded ones
   */
  readonly onlyNamespaces?: string[];
  /**
   * Restricts the policy to namespaces carrying this label, whatever its value (e.g. Capsule's
   * `capsule.clastix.io/tenant`: every tenant namespace, also those the tenants create).
   * @default - namespaces are not selected by label
   */
  readonly namespaceLabel?: string;
}
