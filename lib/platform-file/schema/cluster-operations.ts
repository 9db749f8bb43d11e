// The cluster keys of running the platform day to day: maintenance windows, node hygiene, the
// audit trail, the control plane identity and the opt-in AKS add-ons. Kept apart from the
// cluster's shape (cluster.ts) so each concern reads in one place.
import { z } from 'zod';
import { APP_ROUTING_NAMESPACE, isTimeOfDay, isUtcOffset, regionUtcOffset } from '../aks';
import type { PlatformIssue } from '../errors';
import type { PlatformSpec } from '../types';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
/** The most AKS accepts between two occurrences, by frequency (days, weeks, months). */
const MAX_INTERVAL: Record<string, number> = { Daily: 7, Weekly: 4, AbsoluteMonthly: 6, RelativeMonthly: 6 };
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const dateTime = z
  .string()
  .refine(
    (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)),
    'must be an RFC 3339 date and time (e.g. 2026-12-20T00:00:00Z)',
  );

/** A maintenance window; `day` is the weekday of a Weekly window when none is given. */
function maintenanceWindow(day: (typeof DAYS)[number], what: string) {
  return z
    .strictObject({
      frequency: z
        .enum(['Daily', 'Weekly', 'AbsoluteMonthly', 'RelativeMonthly'])
        .default('Weekly')
        .describe('How often the window opens.'),
      interval: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .default(1)
        .describe(
          'Days (Daily, at most 7), weeks (Weekly, at most 4) or months (at most 6) between windows.',
        ),
      dayOfWeek: z
        .enum(DAYS)
        .optional()
        .describe(`Weekday of a Weekly or RelativeMonthly window. Default for Weekly: ${day}.`),
      dayOfMonth: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(31, 'must be at most 31')
        .optional()
        .describe('Day of the month of an AbsoluteMonthly window.'),
      weekIndex: z
        .enum(['First', 'Second', 'Third', 'Fourth', 'Last'])
        .optional()
        .describe('Which weekday of the month, for a RelativeMonthly window.'),
      startTime: z
        .string()
        .refine(isTimeOfDay, 'must be a time of day HH:mm (00:00 to 23:59)')
        .default('01:00')
        .describe('Start, in cluster.maintenance.utcOffset.'),
      durationHours: z
        .number()
        .int('must be a whole number')
        .min(4, 'must be at least 4 (AKS needs four hours to complete an upgrade)')
        .max(24, 'must be at most 24')
        .default(4)
        .describe('Length of the window.'),
      notAllowed: z
        .array(
          z.strictObject({
            start: dateTime.describe('Start of the freeze (RFC 3339).'),
            end: dateTime.describe('End of the freeze (RFC 3339).'),
          }),
        )
        .default([])
        .describe('Periods without maintenance, such as a change freeze.'),
    })
    .superRefine((w, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message });
      if (w.interval > MAX_INTERVAL[w.frequency]) {
        issue(
          'interval',
          `is more than ${MAX_INTERVAL[w.frequency]}, the most AKS accepts for ${w.frequency}`,
        );
      }
      const weekday = w.frequency === 'Weekly' || w.frequency === 'RelativeMonthly';
      if (w.dayOfWeek !== undefined && !weekday) issue('dayOfWeek', `is not used by a ${w.frequency} window`);
      if (w.dayOfWeek === undefined && w.frequency === 'RelativeMonthly')
        issue('dayOfWeek', 'is required for a RelativeMonthly window');
      if (w.weekIndex !== undefined && w.frequency !== 'RelativeMonthly')
        issue('weekIndex', `is not used by a ${w.frequency} window`);
      if (w.weekIndex === undefined && w.frequency === 'RelativeMonthly')
        issue('weekIndex', 'is required for a RelativeMonthly window');
      if (w.dayOfMonth !== undefined && w.frequency !== 'AbsoluteMonthly')
        issue('dayOfMonth', `is not used by a ${w.frequency} window`);
      if (w.dayOfMonth === undefined && w.frequency === 'AbsoluteMonthly')
        issue('dayOfMonth', 'is required for an AbsoluteMonthly window');
      w.notAllowed.forEach((n, i) => {
        if (Date.parse(n.start) >= Date.parse(n.end)) {
          ctx.addIssue({
            code: 'custom',
            path: ['notAllowed', i, 'end'],
            message: `is not after start (${n.start})`,
          });
        }
      });
    })
    .transform((w) => (w.frequency === 'Weekly' && w.dayOfWeek === undefined ? { ...w, dayOfWeek: day } : w))
    .prefault({})
    .describe(what);
}

/** Keys spread into the cluster section's schema. */
export const clusterOperationsFields = {
  maintenance: z
    .strictObject({
      utcOffset: z
        .string()
        .refine(isUtcOffset, 'must be a UTC offset +HH:mm or -HH:mm (e.g. +01:00, -05:00, +05:30)')
        .optional()
        .describe(
          "Time zone of the windows. Default: the standard (winter) offset of azure.location's datacenter (see docs/azure.md).",
        ),
      upgrade: maintenanceWindow(
        'Sunday',
        'When AKS may upgrade Kubernetes (upgrade.channel). Default: Sundays 01:00 to 05:00.',
      ),
      nodeOs: maintenanceWindow(
        'Saturday',
        'When AKS may update the node OS images (upgrade.nodeOs). Default: Saturdays 01:00 to 05:00.',
      ),
    })
    .prefault({})
    .describe('Planned maintenance: AKS upgrades only inside these windows.'),
  runCommand: z
    .boolean()
    .default(false)
    .describe(
      'AKS run command (az aks command invoke): runs kubectl in the cluster through the Azure API, past the API server network restrictions.',
    ),
  imageCleaner: z
    .strictObject({
      enabled: z.boolean().default(true).describe('Remove unused, vulnerable images from the nodes.'),
      intervalHours: z
        .number()
        .int('must be a whole number')
        .min(24, 'must be at least 24')
        .max(2160, 'must be at most 2160 (90 days)')
        .default(168)
        .describe('Hours between two runs.'),
    })
    .prefault({})
    .describe('Image Cleaner (Eraser) on the nodes.'),
  auditLogs: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe(
          'Diagnostic settings sending kube-audit-admin (every write to the API) and guard (Entra ID and Azure RBAC decisions) to the Log Analytics workspace.',
        ),
      apiServer: z.boolean().default(false).describe('Also send the kube-apiserver logs (voluminous).'),
      retentionDays: z
        .number()
        .int('must be a whole number')
        .min(30, 'must be at least 30')
        .max(730, 'must be at most 730')
        .default(90)
        .describe('Retention of the AKSAuditAdmin and AKSControlPlane tables.'),
    })
    .prefault({})
    .describe('Control plane logs: who did what in the cluster.'),
  controlPlaneIdentity: z
    .enum(['SystemAssigned', 'UserAssigned'])
    .default('SystemAssigned')
    .describe(
      'Managed identity of the control plane; UserAssigned creates one beside the cluster (it survives a cluster rebuild, and roles can be granted to it first).',
    ),
  addons: z
    .strictObject({
      defender: z
        .boolean()
        .default(false)
        .describe(
          'Microsoft Defender for Containers sensor, reporting to the workspace (the Defender plan is enabled per subscription).',
        ),
      azurePolicy: z
        .boolean()
        .default(false)
        .describe('Azure Policy add-on (Gatekeeper in gatekeeper-system).'),
      managedPrometheus: z
        .boolean()
        .default(false)
        .describe(
          'Azure Monitor managed Prometheus: an Azure Monitor workspace, its data collection endpoint, rule and association.',
        ),
      applicationRouting: z
        .boolean()
        .default(false)
        .describe(
          `Application routing add-on (managed NGINX in ${APP_ROUTING_NAMESPACE}): becomes the ingress controller; its IngressClass is offered to every tenant.`,
        ),
    })
    .prefault({})
    .describe('Opt-in AKS add-ons, each off by default.'),
};

/** Checks of these keys that need the whole platform (called with the cluster checks). */
export function checkClusterOperations(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const c = spec.cluster;
  if (c.maintenance.utcOffset === undefined && regionUtcOffset(spec.azure.location) === undefined) {
    issues.push({
      path: 'cluster.maintenance.utcOffset',
      message: `is required: the time zone of region "${spec.azure.location}" is not known here; give its UTC offset (e.g. "+01:00")`,
    });
  }
  if (
    c.addons.applicationRouting &&
    spec.ingress !== undefined &&
    spec.ingress.namespace !== APP_ROUTING_NAMESPACE
  ) {
    issues.push({
      path: 'ingress.namespace',
      message: `"${spec.ingress.namespace}" is not ${APP_ROUTING_NAMESPACE}: with cluster.addons.applicationRouting the tenants' isolation admits the add-on's namespace only; remove ingress or name one of the add-on's IngressClasses`,
    });
  }
  return issues;
}
