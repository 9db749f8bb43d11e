import type { Construct } from 'constructs';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { terraformText } from './terraform-text';

/** Name of the diagnostic setting on each resource (one per destination). */
export const AUDIT_LOGS_SETTING_NAME = 'audit-to-log-analytics';

/**
 * The audit logs of a resource (who read which secret, who pulled which image) sent to a Log
 * Analytics workspace: the `audit` category group, which Azure keeps up to date as the
 * resource type gains categories.
 */
export function sendAuditLogs(
  scope: Construct,
  id: string,
  targetResourceId: string,
  workspaceId: string,
): MonitorDiagnosticSetting {
  return new MonitorDiagnosticSetting(scope, id, {
    name: AUDIT_LOGS_SETTING_NAME,
    targetResourceId,
    logAnalyticsWorkspaceId: terraformText(workspaceId),
    enabledLog: [{ categoryGroup: 'audit' }],
  });
}
