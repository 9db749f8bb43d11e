import type { ControlPlaneIdentity } from './control-plane-identity';
import type { MaintenanceWindow } from './maintenance-window';

/**
 * How an AKS cluster is run from day two: its maintenance windows, node hygiene, audit trail,
 * control plane identity and the opt-in AKS add-ons. Every default is the safe one.
 */
export interface AksOperationsOptions {
  /**
   * The managed identity of the control plane.
   * @default ControlPlaneIdentity.systemAssigned()
   */
  readonly controlPlaneIdentity?: ControlPlaneIdentity;
  /**
   * When AKS may upgrade Kubernetes (the `upgradeChannel`); ignored with `UpgradeChannel.NONE`.
   * @default - MaintenanceWindow.weekly(DayOfWeek.SUNDAY): Sundays 01:00 to 05:00
   */
  readonly upgradeWindow?: MaintenanceWindow;
  /**
   * When AKS may update the nodes' OS (the `nodeOsUpgradeChannel`); ignored with `NONE` and
   * `UNMANAGED`, which AKS does not schedule.
   * @default - MaintenanceWindow.weekly(DayOfWeek.SATURDAY): Saturdays 01:00 to 05:00
   */
  readonly nodeOsUpgradeWindow?: MaintenanceWindow;
  /**
   * UTC offset (`+01:00`) in which the windows' start times are read.
   * @default - the standard offset of `location` (AZURE_REGION_TIME_ZONES); required for a region not listed there
   */
  readonly maintenanceUtcOffset?: string;
  /**
   * AKS run command (`az aks command invoke`): runs kubectl inside the cluster through the
   * Azure API, around the API server's network restrictions.
   * @default false
   */
  readonly runCommandEnabled?: boolean;
  /**
   * Image Cleaner: removes unused images with known vulnerabilities from the nodes.
   * @default true
   */
  readonly imageCleanerEnabled?: boolean;
  /**
   * Hours between two Image Cleaner runs (24 to 2160).
   * @default 168
   */
  readonly imageCleanerIntervalHours?: number;
  /**
   * The audit trail: `kube-audit-admin` and `guard` logs sent to the workspace (ControlPlaneLogs).
   * @default true
   */
  readonly auditLogsEnabled?: boolean;
  /**
   * Also send the `kube-apiserver` logs.
   * @default false
   */
  readonly apiServerLogsEnabled?: boolean;
  /**
   * Retention of the audit tables, in days (30 to 730).
   * @default - 90 when the workspace is created here; the given workspace's own retention otherwise
   */
  readonly auditLogRetentionDays?: number;
  /**
   * Microsoft Defender for Containers sensor, reporting to the workspace (the Defender plan itself
   * is enabled per subscription).
   * @default false
   */
  readonly defenderEnabled?: boolean;
  /**
   * Azure Policy add-on (Gatekeeper).
   * @default false
   */
  readonly azurePolicyEnabled?: boolean;
  /**
   * Azure Monitor managed Prometheus (ManagedPrometheus).
   * @default false
   */
  readonly managedPrometheusEnabled?: boolean;
  /**
   * Application routing add-on: managed NGINX in `app-routing-system` with the IngressClass
   * `webapprouting.kubernetes.azure.com`. Its default controller gets an internal load balancer
   * on a private cluster, a public one otherwise.
   * @default false
   */
  readonly applicationRoutingEnabled?: boolean;
}
