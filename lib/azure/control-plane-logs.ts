import { Construct } from 'constructs';
import { LogAnalyticsWorkspaceTable } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { assertIntInRange } from './private/checks';
import { terraformText } from './private/terraform-text';

/** Properties of {@link ControlPlaneLogs}. */
export interface ControlPlaneLogsProps {
  /** Name of the diagnostic setting. */
  readonly name: string;
  /** The cluster whose control plane logs are sent. */
  readonly clusterId: string;
  /** The Log Analytics workspace that receives them. */
  readonly workspaceId: string;
  /**
   * Also send the API server's own logs (`kube-apiserver`): voluminous, rarely needed.
   * @default false
   */
  readonly apiServerLogs?: boolean;
  /**
   * Retention, in days (30 to 730), of the tables the logs land in (AKSAuditAdmin,
   * AKSControlPlane), set on the workspace.
   * @default - the workspace's retention
   */
  readonly retentionDays?: number;
}

/** Log categories always sent: the audit trail of writes and the authorization decisions. */
export const AUDIT_LOG_CATEGORIES = ['kube-audit-admin', 'guard'];

/** The workspace tables of those categories in resource-specific mode. */
const TABLES = ['AKSAuditAdmin', 'AKSControlPlane'];

/**
 * The cluster's audit trail: a diagnostic setting sending `kube-audit-admin` (every request that
 * changes something, without the get/list reads that make `kube-audit` costly) and `guard` (Entra
 * ID and Azure RBAC decisions) to a Log Analytics workspace, in resource-specific tables, with
 * their retention.
 */
export class ControlPlaneLogs extends Construct {
  public readonly setting: MonitorDiagnosticSetting;
  /** The categories sent. */
  public readonly categories: string[];

  constructor(scope: Construct, id: string, props: ControlPlaneLogsProps) {
    super(scope, id);
    this.categories = [
      ...AUDIT_LOG_CATEGORIES,
      ...((props.apiServerLogs ?? false) ? ['kube-apiserver'] : []),
    ];
    const workspaceId = terraformText(props.workspaceId);
    this.setting = new MonitorDiagnosticSetting(this, 'setting', {
      name: terraformText(props.name),
      targetResourceId: terraformText(props.clusterId),
      logAnalyticsWorkspaceId: workspaceId,
      // AKSAudit/AKSAuditAdmin/AKSControlPlane instead of the shared AzureDiagnostics table.
      logAnalyticsDestinationType: 'Dedicated',
      enabledLog: this.categories.map((category) => ({ category })),
    });
    if (props.retentionDays !== undefined) {
      assertIntInRange(`ControlPlaneLogs(${id}).retentionDays`, props.retentionDays, 30, 730);
      for (const table of TABLES) {
        new LogAnalyticsWorkspaceTable(this, table, {
          name: table,
          workspaceId,
          retentionInDays: props.retentionDays,
        });
      }
    }
  }
}
