import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PlatformError } from '../../platform-file/errors';
import { isLabelKey } from '../../platform-file/formats';
import type { PodPolicyDefinition } from './model';
import { PolicyAction, PolicyApi } from './model';
import { checkCel, checkDnsLabel, checkIdentifier, checkNotEmpty, checkText } from './private/checks';
import { renderClusterPolicy, renderValidatingPolicy, resourceOf } from './private/render';

export interface PodPolicyProps {
  /** The control: what it matches and the CEL checks. */
  readonly definition: PodPolicyDefinition;
  /**
   * What Kyverno does with a failing pod.
   * @default - the definition's defaultAction, else PolicyAction.ENFORCE
   */
  readonly action?: PolicyAction;
  /**
   * Namespaces never checked (matched by their immutable `kubernetes.io/metadata.name` label).
   * @default - none
   */
  readonly excludedNamespaces?: string[];
  /**
   * The policy API to emit.
   * @default PolicyApi.CEL
   */
  readonly api?: PolicyApi;
}

/**
 * One control as a Kyverno policy: a `policies.kyverno.io/v1` ValidatingPolicy (checking pods and
 * the templates of pod controllers, or the definition's resource), or on request a legacy
 * ClusterPolicy with one `validate.cel` rule. Both come from the same definition.
 */
export class PodPolicy extends Construct {
  /** Name of the policy object (and of its only rule in the legacy API). */
  public readonly policyName: string;
  /** The action in effect. */
  public readonly action: PolicyAction;
  /** The API emitted. */
  public readonly api: PolicyApi;
  /** Kind of the emitted object: what a PolicyException refers to. */
  public readonly kind: string;
  /** Namespaces left out. */
  public readonly excludedNamespaces: string[];
  /** The definition rendered. */
  public readonly definition: PodPolicyDefinition;
  /** The emitted object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PodPolicyProps) {
    super(scope, id);
    const def = props.definition;
    checkDefinition(def);
    const excluded = props.excludedNamespaces ?? [];
    excluded.forEach((ns, i) => checkDnsLabel(ns, `excludedNamespaces[${i}]`));

    this.definition = def;
    this.policyName = def.name;
    this.action = props.action ?? def.defaultAction ?? PolicyAction.ENFORCE;
    this.api = props.api ?? PolicyApi.CEL;
    this.excludedNamespaces = [...excluded];
    this.kind = this.api === PolicyApi.CEL ? 'ValidatingPolicy' : 'ClusterPolicy';

    const resolved = { definition: def, action: this.action, excludedNamespaces: this.excludedNamespaces };
    const manifest =
      this.api === PolicyApi.CEL ? renderValidatingPolicy(resolved) : renderClusterPolicy(resolved);
    this.apiObject = new ApiObject(this, 'Resource', manifest);
  }
}

function checkDefinition(def: PodPolicyDefinition): void {
  checkDnsLabel(def.name, 'definition.name');
  const at = `policy ${def.name}`;
  checkText(def.title, `${at}: title`);
  checkText(def.description, `${at}: description`);
  checkNotEmpty(def.validations, `${at}: validations`);
  def.validations.forEach((v, i) => {
    checkCel(v.expression, `${at}: validations[${i}].expression`);
    checkText(v.message, `${at}: validations[${i}].message`);
    if (v.messageExpression !== undefined)
      checkCel(v.messageExpression, `${at}: validations[${i}].messageExpression`);
  });
  const names = new Set<string>();
  (def.variables ?? []).forEach((v, i) => {
    checkIdentifier(v.name, `${at}: variables[${i}].name`);
    if (names.has(v.name))
      throw new PlatformError(`${at}: variables[${i}].name: "${v.name}" is declared twice`);
    names.add(v.name);
    checkCel(v.expression, `${at}: variables[${i}].expression`);
  });
  (def.matchConditions ?? []).forEach((c, i) => {
    checkDnsLabel(c.name, `${at}: matchConditions[${i}].name`);
    checkCel(c.expression, `${at}: matchConditions[${i}].expression`);
  });
  (def.onlyNamespaces ?? []).forEach((ns, i) => checkDnsLabel(ns, `${at}: onlyNamespaces[${i}]`));
  if (def.podControllers !== undefined && !resourceOf(def).hasPodTemplates) {
    throw new PlatformError(
      `${at}: podControllers: only a Pod policy checks pod templates, this one checks ${resourceOf(def).kind}`,
    );
  }
  if (def.onlyNamespaces !== undefined) checkNotEmpty(def.onlyNamespaces, `${at}: onlyNamespaces`);
  if (def.namespaceLabel !== undefined && !isLabelKey(def.namespaceLabel))
    throw new PlatformError(
      `${at}: namespaceLabel: ${JSON.stringify(def.namespaceLabel)} is not a Kubernetes label key`,
    );
}
