// Policies and objects for the preflight tests, in the plain JSON the charts synthesize.
export interface PolicyOptions {
  readonly actions?: string[];
  readonly resources?: string[];
  readonly apiGroups?: string[];
  readonly validations?: any[];
  readonly spec?: Record<string, any>;
  readonly annotations?: Record<string, string>;
}

/** A ValidatingPolicy on pods (autogen on) whose single validation is `expression`. */
export function policy(name: string, expression: string, options: PolicyOptions = {}): any {
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      validationActions: options.actions ?? ['Deny'],
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: options.apiGroups ?? [''],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: options.resources ?? ['pods'],
          },
        ],
      },
      validations: options.validations ?? [{ expression, message: `${name} failed` }],
      ...(options.spec ?? {}),
    },
  };
}

/** Pods must not run as root: the classic restricted check, written with optional selection. */
export const runAsNonRoot = (actions: string[] = ['Deny']): any =>
  policy('require-run-as-non-root', '', {
    actions,
    annotations: {
      'policies.kyverno.io/severity': 'medium',
      'policies.kyverno.io/category': 'Pod Security Standards (Restricted)',
    },
    spec: {
      variables: [
        {
          name: 'allContainers',
          expression: 'object.spec.containers + object.spec.?initContainers.orValue([])',
        },
      ],
    },
    validations: [
      {
        expression:
          'variables.allContainers.all(c, c.?securityContext.?runAsNonRoot.orValue(object.spec.?securityContext.?runAsNonRoot.orValue(false)) == true)',
        message: 'Containers must set securityContext.runAsNonRoot to true.',
      },
    ],
  });

/** Images must come with a tag other than latest. */
export const pinnedImages = (actions: string[] = ['Audit']): any =>
  policy(
    'disallow-latest-tag',
    "object.spec.containers.all(c, c.image.contains(':') && !c.image.endsWith(':latest'))",
    { actions },
  );

export function podSpec(options: { nonRoot?: boolean; image?: string } = {}): any {
  return {
    securityContext: options.nonRoot === false ? {} : { runAsNonRoot: true, runAsUser: 1000 },
    containers: [
      {
        name: 'app',
        image: options.image ?? 'nginxinc/nginx-unprivileged:1.27.3',
        ports: [{ containerPort: 8080 }],
      },
    ],
  };
}

export function deployment(
  name: string,
  namespace: string,
  spec: any = podSpec(),
  labels: Record<string, string> = {},
): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, ...labels } }, spec },
    },
  };
}

export function cronJob(name: string, namespace: string, spec: any = podSpec()): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace },
    spec: {
      schedule: '0 * * * *',
      jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'Never' } } } },
    },
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}
