import type { PodPolicyDefinition } from '../model';
import { PodController, PolicyAction, PolicyCategory, PolicySeverity } from '../model';
import {
  ALL_CONTAINERS,
  everyContainer,
  hasPath,
  INIT_AND_REGULAR_CONTAINERS,
  isSetTo,
  strList,
} from '../private/cel';

/** Values `app.kubernetes.io/tier` may take. */
export const APP_TIERS = ['frontend', 'backend', 'internal'];

const LABELS = 'object.metadata.labels';

/** The platform conventions: labels every workload carries. */
export const CONVENTIONS: PodPolicyDefinition[] = [
  {
    name: 'require-app-name-label',
    title: 'Require the app.kubernetes.io/name Label',
    description:
      'Pods must carry a non-empty app.kubernetes.io/name label (reports, cost and exceptions rely on it).',
    category: PolicyCategory.CONVENTIONS,
    severity: PolicySeverity.MEDIUM,
    validations: [
      {
        expression: `has(${LABELS}) && 'app.kubernetes.io/name' in ${LABELS} && ${LABELS}['app.kubernetes.io/name'] != ''`,
        message: 'The label app.kubernetes.io/name is required.',
      },
    ],
  },
  {
    name: 'restrict-app-tier-label',
    title: 'Restrict the app.kubernetes.io/tier Label',
    description: `When set, the app.kubernetes.io/tier label must be one of ${APP_TIERS.join(', ')}.`,
    category: PolicyCategory.CONVENTIONS,
    severity: PolicySeverity.LOW,
    // Informational: a wrong tier breaks no isolation, so it is reported rather than denied.
    defaultAction: PolicyAction.AUDIT,
    validations: [
      {
        expression:
          `!has(${LABELS}) || !('app.kubernetes.io/tier' in ${LABELS}) || ` +
          `${LABELS}['app.kubernetes.io/tier'] in [${strList(APP_TIERS).join(', ')}]`,
        message: `The label app.kubernetes.io/tier must be one of ${APP_TIERS.join(', ')}.`,
      },
    ],
  },
];

/** Operational best practices for tenant workloads. */
export const BEST_PRACTICES: PodPolicyDefinition[] = [
  {
    name: 'disallow-latest-tag',
    title: 'Disallow Latest Tag',
    description: 'Images must be pinned by a version tag other than latest, or by a sha256 digest.',
    category: PolicyCategory.BEST_PRACTICES,
    severity: PolicySeverity.MEDIUM,
    variables: [ALL_CONTAINERS],
    validations: [
      // The tag pattern has no '/', so it only matches a tag after the last path segment
      // (registry ports such as myregistry:5000/app are not mistaken for tags); a reference with
      // a digest is judged by its digest alone.
      everyContainer(
        "c.image.matches('@sha256:[0-9a-f]{64}$') || " +
          "(!c.image.contains('@') && c.image.matches(':[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$') && !c.image.endsWith(':latest'))",
        'Images must be pinned by a version tag (not latest) or a sha256 digest.',
      ),
    ],
  },
  {
    name: 'require-requests-limits',
    title: 'Require Requests and Memory Limits',
    description:
      'Every container, init containers included, must request CPU and memory and set a memory limit (ephemeral containers cannot set resources).',
    category: PolicyCategory.BEST_PRACTICES,
    severity: PolicySeverity.MEDIUM,
    variables: [INIT_AND_REGULAR_CONTAINERS],
    validations: [
      everyContainer(
        `${hasPath('c.resources.requests')} && 'cpu' in c.resources.requests && 'memory' in c.resources.requests && ` +
          `${hasPath('c.resources.limits')} && 'memory' in c.resources.limits`,
        'Containers must set resources.requests.cpu, resources.requests.memory and resources.limits.memory.',
        `variables.${INIT_AND_REGULAR_CONTAINERS.name}`,
      ),
    ],
  },
  {
    name: 'require-probes',
    title: 'Require Readiness and Liveness Probes',
    description: 'Every container of a long-running pod must define a readiness and a liveness probe.',
    category: PolicyCategory.BEST_PRACTICES,
    severity: PolicySeverity.MEDIUM,
    // Jobs run to completion: probes have no meaning there.
    podControllers: [PodController.DAEMON_SETS, PodController.DEPLOYMENTS, PodController.STATEFUL_SETS],
    matchConditions: [
      {
        name: 'not-a-job-pod',
        expression:
          "!(has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(r, r.kind == 'Job'))",
      },
    ],
    validations: [
      everyContainer(
        'has(c.readinessProbe) && has(c.livenessProbe)',
        'Containers must define a readinessProbe and a livenessProbe.',
        'object.spec.containers',
      ),
    ],
  },
  {
    name: 'require-ro-rootfs',
    title: 'Require Read-Only Root Filesystem',
    description:
      'Every container, init and ephemeral containers included, must set securityContext.readOnlyRootFilesystem to true.',
    category: PolicyCategory.BEST_PRACTICES,
    severity: PolicySeverity.MEDIUM,
    variables: [ALL_CONTAINERS],
    validations: [
      everyContainer(
        isSetTo('c.securityContext.readOnlyRootFilesystem', 'true'),
        'Containers must set securityContext.readOnlyRootFilesystem to true.',
      ),
    ],
  },
  {
    name: 'disallow-default-namespace',
    title: 'Disallow the default Namespace',
    description: 'No pod may run in the default namespace: workloads belong in tenant namespaces.',
    category: PolicyCategory.MULTI_TENANCY,
    severity: PolicySeverity.MEDIUM,
    // The namespace is matched by its immutable name label: Kyverno rewrites object.metadata to the
    // pod template for controllers, where the namespace is usually absent.
    onlyNamespaces: ['default'],
    validations: [
      {
        expression: 'false',
        message: 'Pods must not run in the default namespace: use a tenant namespace.',
      },
    ],
  },
];
