import { z } from 'zod';
import type { PlatformIssue } from '../errors';
import { describeValue } from '../errors';
import type { PlatformSpec } from '../types';
import { imageNotPinnedReason, isDnsSubdomain } from '../formats';
import { dns1035Label, dnsLabel, firstTenantByName, labels, quantity, uuid } from './common';
import { keyVaultName } from './secrets';

/** Kinds of workload the platform file can describe. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob'] as const;
/** Values of the `app.kubernetes.io/tier` label the policies accept. */
export const WORKLOAD_TIERS = ['frontend', 'backend', 'internal'];
/** Pod labels the workload constructs set themselves. */
const RESERVED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
  'azure.workload.identity/use',
];

/** Folders of the kernel and the runtime: the container runtime refuses a volume there, or the container breaks. */
export const SYSTEM_PATHS: readonly string[] = ['/proc', '/sys', '/dev'];

/** True for a path in SYSTEM_PATHS or under one. */
export function isSystemPath(path: string): boolean {
  return SYSTEM_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

const absolutePath = z
  .string()
  .refine(
    (v) => /^\/[^\s:]*$/.test(v) && v !== '/' && !v.split('/').includes('..'),
    'must be an absolute directory path',
  )
  .refine(
    (v) => !isSystemPath(v),
    `must not be in ${SYSTEM_PATHS.join(', ')}: a volume there hides what the kernel and the container runtime provide`,
  );

/** Kubernetes refuses a ConfigMap whose keys and values add up to more than 1 MiB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const urlPath = z.string().refine((v) => /^\/\S*$/.test(v), 'must be a URL path starting with "/"');
const envName = z
  .string()
  .refine(
    (v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v),
    'must be an environment variable name (letters, digits, "_")',
  );
const id = z.number().int('must be a whole number').min(1, 'must not be 0 (root)').max(2147483647);

export const workloadSchema = z.strictObject({
  name: dns1035Label(50).describe('Workload name (Deployment, Service, ServiceAccount...).'),
  tenant: dnsLabel(40).describe('Name of the tenant that owns the namespace.'),
  namespace: dnsLabel().describe('Namespace; must start with "<tenant>-" when forceTenantPrefix is on.'),
  kind: z.enum(WORKLOAD_KINDS).default('Deployment').describe('Deployment | StatefulSet | Job | CronJob.'),
  image: z
    .string()
    .superRefine((v, ctx) => {
      const reason = imageNotPinnedReason(v);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    })
    .describe('Container image, pinned by a version tag or a digest.'),
  port: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe('Container port served (Deployment and StatefulSet: required).'),
  schedule: z.string().optional().describe('CronJob schedule, five fields ("30 2 * * *"); CronJob only.'),
  command: z.array(z.string()).optional().describe('Container command. Default: the image entrypoint.'),
  args: z.array(z.string()).optional().describe('Container arguments. Default: the image arguments.'),
  replicas: z.number().int().min(1).max(100).default(2).describe('Replicas.'),
  labels: labels.default({}).describe('Extra pod labels.'),
  resources: z
    .strictObject({
      requests: z
        .strictObject({ cpu: quantity.default('100m'), memory: quantity.default('128Mi') })
        .prefault({}),
      limits: z.strictObject({ memory: quantity.default('256Mi'), cpu: quantity.optional() }).prefault({}),
    })
    .prefault({})
    .describe('Container requests and limits.'),
  runAsUser: id.default(10001).describe('Numeric user id of the containers.'),
  runAsGroup: id.default(10001).describe('Numeric group id of the containers and volumes.'),
  writablePaths: z
    .array(absolutePath)
    .default([])
    .describe('Writable directories besides /tmp (the root filesystem is read-only).'),
  probes: z
    .strictObject({
      readinessPath: urlPath
        .optional()
        .describe('HTTP readiness check path. Default: a TCP check of the port.'),
      livenessPath: urlPath
        .optional()
        .describe('HTTP liveness check path. Default: a TCP check of the port.'),
    })
    .optional()
    .describe('Health checks.'),
  autoscaling: z
    .strictObject({
      minReplicas: z.number().int().min(1).max(100).optional().describe('Default: replicas.'),
      maxReplicas: z.number().int().min(1).max(1000),
      cpuUtilization: z.number().int().min(1).max(100).default(70),
    })
    .optional()
    .describe('A HorizontalPodAutoscaler on CPU (Deployment only).'),
  zoneSpread: z
    .enum(['ScheduleAnyway', 'DoNotSchedule', 'None'])
    .default('ScheduleAnyway')
    .describe('Zone spread of the pods.'),
  allowFrom: z
    .array(
      z.strictObject({
        namespace: dnsLabel().optional().describe('Default: the workload namespace.'),
        workload: dns1035Label(50).optional().describe('Name of a workload of that namespace.'),
        labels: labels.optional().describe('Labels of the allowed pods.'),
      }),
    )
    .default([])
    .describe('Who may connect to the port (besides the ingress controller when ingress is set).'),
  ingress: z
    .strictObject({
      host: z.string().refine(isDnsSubdomain, 'must be a DNS name'),
      path: urlPath.default('/'),
      className: z.string().min(1).optional().describe('Default: ingress.className of the platform.'),
      tlsSecretName: z.string().refine(isDnsSubdomain, 'must be a Secret name').optional(),
    })
    .optional()
    .describe('An Ingress to the workload Service.'),
  config: z
    .record(envName, z.string())
    .default({})
    .refine(
      (c) =>
        Object.entries(c).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0) <=
        MAX_CONFIG_BYTES,
      'adds up to more than 1 MiB of keys and values, the limit of a Kubernetes ConfigMap',
    )
    .describe('Plain configuration, as environment variables (at most 1 MiB in total).'),
  keyVault: z
    .strictObject({
      vault: dnsLabel(40)
        .optional()
        .describe(
          "Key of keyVaults to read from; it must belong to the workload's tenant. Default: the tenant's name (its vault), unless name is set.",
        ),
      name: keyVaultName
        .optional()
        .describe(
          'Name of a vault the platform does not declare, read with an identity made elsewhere (clientId and tenantId).',
        ),
      tenantId: uuid
        .optional()
        .describe(
          'Entra ID tenant of an identity made elsewhere. Default: the platform tenant (infra output azure_tenant_id).',
        ),
      clientId: uuid
        .optional()
        .describe(
          'Client id of an identity made elsewhere, federated with the workload ServiceAccount and allowed to read the vault. Default: the identity the infra stack creates for the workload (infra output workload_identity_<namespace>_<name>_client_id).',
        ),
      mountPath: absolutePath
        .optional()
        .describe('Where the objects are mounted. Default: /mnt/secrets-store.'),
      secrets: z
        .array(
          z.strictObject({
            name: z.string().describe('Object name in the vault.'),
            type: z
              .enum(['secret', 'key', 'cert'])
              .default('secret')
              .describe(
                'secret (the value; role Key Vault Secrets User), key or cert (the public key or certificate; role Key Vault Reader).',
              ),
            file: z.string().optional().describe('File name. Default: the object name.'),
            env: envName.optional().describe('Also expose it as this environment variable.'),
          }),
        )
        .min(1, 'lists no object')
        .describe('The objects to read (names only: the values stay in the vault).'),
    })
    .optional()
    .describe(
      'Objects read from Azure Key Vault with workload identity, mounted as files (never written to the YAML).',
    ),
  storage: z
    .strictObject({
      size: quantity,
      mountPath: absolutePath,
      storageClass: z.string().min(1).optional(),
    })
    .optional()
    .describe('A persistent volume per replica (StatefulSet only).'),
});

/** Checks of this section that need the whole platform (called after parsing, with the others). */
export function checkWorkloads(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const tenantByName = firstTenantByName(spec.tenants);
  spec.workloads.forEach((w, i) => {
    const add = (key: string, message: string) => issues.push({ path: `workloads[${i}].${key}`, message });
    const serving = w.kind === 'Deployment' || w.kind === 'StatefulSet';
    const only = (key: string, present: boolean, kinds: string) => {
      if (present) add(key, `is only for ${kinds} (kind is ${w.kind})`);
    };
    if (serving && w.port === undefined) add('port', `is required for a ${w.kind}`);
    if (!serving) {
      only('port', w.port !== undefined, 'Deployment and StatefulSet');
      only('probes', w.probes !== undefined, 'Deployment and StatefulSet');
      only('ingress', w.ingress !== undefined, 'Deployment and StatefulSet');
      only('allowFrom', w.allowFrom.length > 0, 'Deployment and StatefulSet');
    }
    only('autoscaling', w.autoscaling !== undefined && w.kind !== 'Deployment', 'Deployment');
    only('storage', w.storage !== undefined && w.kind !== 'StatefulSet', 'StatefulSet');
    if (w.kind === 'CronJob') {
      if (w.schedule === undefined) add('schedule', 'is required for a CronJob');
      else {
        const problem = cronScheduleProblem(w.schedule);
        if (problem) add('schedule', `${describeValue(w.schedule)} ${problem}`);
      }
    } else only('schedule', w.schedule !== undefined, 'CronJob');

    if (w.autoscaling) {
      const min = w.autoscaling.minReplicas ?? w.replicas;
      if (w.autoscaling.maxReplicas < min) {
        add(
          'autoscaling.maxReplicas',
          `${w.autoscaling.maxReplicas} is less than the minimum of ${min} replicas`,
        );
      }
    }
    for (const [key, value] of Object.entries(w.labels)) {
      if (RESERVED_LABELS.includes(key)) add(`labels.${key}`, 'is set by the platform from the workload');
      if (key === 'app.kubernetes.io/tier' && !WORKLOAD_TIERS.includes(value)) {
        add(`labels.${key}`, `${describeValue(value)} must be one of ${WORKLOAD_TIERS.join(', ')}`);
      }
    }
    w.allowFrom.forEach((p, j) => {
      if (p.workload !== undefined && p.labels !== undefined) {
        add(`allowFrom[${j}]`, 'gives both workload and labels: use one');
      }
    });
    if (w.ingress) {
      if (!spec.ingress) {
        add('ingress', 'needs the platform ingress controller (the top-level ingress key)');
      } else {
        const tenant = tenantByName.get(w.tenant);
        const allowed = [spec.ingress.className, ...(tenant?.ingressClasses ?? [])];
        const className = w.ingress.className ?? spec.ingress.className;
        if (!allowed.includes(className)) {
          add(
            'ingress.className',
            `${describeValue(className)} is not an IngressClass of the tenant (allowed: ${allowed.join(', ')})`,
          );
        }
      }
    }
    const writable = new Set(['/tmp', ...w.writablePaths]);
    if (writable.size !== w.writablePaths.length + 1)
      add('writablePaths', 'lists a path twice (/tmp is always writable)');
    if (w.keyVault) {
      const envs = new Set(Object.keys(w.config));
      w.keyVault.secrets.forEach((s, j) => {
        if (s.env !== undefined && envs.has(s.env)) {
          add(`keyVault.secrets[${j}].env`, `${describeValue(s.env)} is also a key of config`);
        }
        if (s.env !== undefined) envs.add(s.env);
      });
    }
  });
  return issues;
}

const CRON_FIELDS: ReadonlyArray<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/**
 * Why a CronJob schedule is not five standard cron fields the Kubernetes controller accepts
 * (`*`, `?`, values, ranges `a-b`, steps `/n`, lists; month and weekday names), or undefined.
 */
export function cronScheduleProblem(value: string): string | undefined {
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 5) return 'must be five cron fields: minute hour day-of-month month day-of-week';
  for (let i = 0; i < 5; i++) {
    const f = CRON_FIELDS[i];
    const number = (text: string): number | undefined => {
      const named = f.names?.indexOf(text.toUpperCase()) ?? -1;
      if (named >= 0) return named + f.min;
      return /^\d{1,2}$/.test(text) ? Number(text) : undefined;
    };
    for (const part of fields[i].split(',')) {
      const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
      if (!m) return `has ${f.name} ${JSON.stringify(fields[i])}, which is not a cron field`;
      if (m[2] !== undefined && Number(m[2]) === 0) return `has a ${f.name} step of 0`;
      if (m[1] === '*' || m[1] === '?') continue;
      const bounds = m[1].split('-');
      if (bounds.length > 2) return `has ${f.name} ${JSON.stringify(part)}, which is not a range`;
      const values = bounds.map(number);
      for (const [j, v] of values.entries())
        if (v === undefined || v < f.min || v > f.max)
          return `has ${f.name} ${JSON.stringify(bounds[j])}, outside ${f.min}-${f.max}`;
      if (values.length === 2 && values[0]! > values[1]!)
        return `has the ${f.name} range ${JSON.stringify(m[1])}, which starts after it ends`;
    }
  }
  return undefined;
}

/** True for five standard cron fields (see cronScheduleProblem). */
export function isCronSchedule(value: string): boolean {
  return cronScheduleProblem(value) === undefined;
}
