import type { ApiObjectProps } from 'cdk8s';
import type { PodController, PodPolicyDefinition } from '../model';
import { NAMESPACE_NAME_LABEL } from '../../labels';
import { ALL_POD_CONTROLLERS, PolicyAction, PolicyResource } from '../model';

/** The admission rule selecting creations and updates of `resource` (core API group). */
export function resourceRule(resource: PolicyResource): Record<string, string[]> {
  return {
    apiGroups: [''],
    apiVersions: ['v1'],
    operations: ['CREATE', 'UPDATE'],
    resources: [resource.resource],
  };
}

/** Pods, as admission sees them. */
export const POD_RESOURCE_RULE = resourceRule(PolicyResource.POD);

const LEGACY_CONTROLLER_KINDS: Record<PodController, string> = {
  daemonsets: 'DaemonSet',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
};

/** A pod policy with every default settled. */
export interface ResolvedPodPolicy {
  readonly definition: PodPolicyDefinition;
  readonly action: PolicyAction;
  readonly excludedNamespaces: readonly string[];
}

/**
 * The namespace selector both APIs use: system namespaces are left out by their immutable name
 * label (a tenant cannot put that label on its own namespace to escape).
 */
export function namespaceSelector(
  excluded: readonly string[],
  only?: readonly string[],
  label?: string,
): Record<string, unknown> | undefined {
  const expressions: Record<string, unknown>[] = [];
  if (label !== undefined) expressions.push({ key: label, operator: 'Exists' });
  if (only) expressions.push({ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...only] });
  const relevant = only ? excluded.filter((ns) => only.includes(ns)) : excluded;
  if (relevant.length > 0)
    expressions.push({ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...relevant] });
  return expressions.length > 0 ? { matchExpressions: expressions } : undefined;
}

/** What the annotations of a policy describe. */
export type PolicyMetadata = Pick<PodPolicyDefinition, 'title' | 'category' | 'severity' | 'description'>;

/** Annotations Kyverno copies into policy reports. */
export function policyAnnotations(def: PolicyMetadata, subject = 'Pod'): Record<string, string> {
  return {
    'policies.kyverno.io/title': def.title,
    'policies.kyverno.io/category': def.category,
    'policies.kyverno.io/severity': def.severity,
    'policies.kyverno.io/subject': subject,
    'policies.kyverno.io/description': def.description,
  };
}

/** `validationActions` of the CEL policy kinds. */
export function validationActions(action: PolicyAction): string[] {
  return [action === PolicyAction.ENFORCE ? 'Deny' : 'Audit'];
}

/** The pod controllers of a definition, in a stable order (none for other resources). */
export function controllersOf(def: PodPolicyDefinition): PodController[] {
  if (!resourceOf(def).hasPodTemplates) return [];
  const wanted = def.podControllers ?? ALL_POD_CONTROLLERS;
  return ALL_POD_CONTROLLERS.filter((c) => wanted.includes(c));
}

/** What a definition checks. */
export function resourceOf(def: PodPolicyDefinition): PolicyResource {
  return def.resource ?? PolicyResource.POD;
}

/** Renders a definition as a `policies.kyverno.io/v1` ValidatingPolicy manifest. */
export function renderValidatingPolicy(p: ResolvedPodPolicy): ApiObjectProps {
  const def = p.definition;
  const resource = resourceOf(def);
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: def.name, annotations: policyAnnotations(def, resource.kind) },
    spec: {
      validationActions: validationActions(p.action),
      autogen: resource.hasPodTemplates ? { podControllers: { controllers: controllersOf(def) } } : undefined,
      matchConstraints: {
        resourceRules: [resourceRule(resource)],
        namespaceSelector: namespaceSelector(p.excludedNamespaces, def.onlyNamespaces, def.namespaceLabel),
      },
      matchConditions: nonEmpty(def.matchConditions?.map((c) => ({ ...c }))),
      variables: nonEmpty(def.variables?.map((v) => ({ ...v }))),
      validations: def.validations.map((v) => ({ ...v })),
    },
  };
}

/**
 * Renders the same pod policy as a legacy `kyverno.io/v1` ClusterPolicy with one `validate.cel`
 * rule. The action is per rule (`validate.failureAction`): the spec-level
 * `validationFailureAction` is deprecated.
 */
export function renderClusterPolicy(p: ResolvedPodPolicy): ApiObjectProps {
  const def = p.definition;
  const resource = resourceOf(def);
  const selector = namespaceSelector(p.excludedNamespaces, def.onlyNamespaces, def.namespaceLabel);
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: def.name,
      annotations: {
        ...policyAnnotations(def, resource.kind),
        ...(resource.hasPodTemplates
          ? { 'pod-policies.kyverno.io/autogen-controllers': legacyControllers(controllersOf(def)) }
          : {}),
      },
    },
    spec: {
      background: true,
      rules: [
        {
          name: def.name,
          match: {
            any: [
              {
                resources: {
                  kinds: [resource.kind],
                  operations: ['CREATE', 'UPDATE'],
                  namespaceSelector: selector,
                },
              },
            ],
          },
          celPreconditions: nonEmpty(def.matchConditions?.map((c) => ({ ...c }))),
          validate: {
            failureAction: p.action,
            cel: {
              variables: nonEmpty(def.variables?.map((v) => ({ ...v }))),
              expressions: def.validations.map((v) => ({ ...v })),
            },
          },
        },
      ],
    },
  };
}

/** The autogen annotation value of the legacy API (`none` turns autogen off). */
export function legacyControllers(controllers: readonly PodController[]): string {
  return controllers.length === 0 ? 'none' : controllers.map((c) => LEGACY_CONTROLLER_KINDS[c]).join(',');
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
