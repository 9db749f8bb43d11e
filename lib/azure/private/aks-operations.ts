import type { KubernetesClusterConfig } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { isUtcOffset, regionUtcOffset } from '../../platform-file/aks';
import { describeValue, PlatformError } from '../../platform-file/errors';
import type { AksClusterProps } from '../aks-cluster';
import { NodeOsUpgradeChannel, UpgradeChannel } from '../cluster-options';
import { DayOfWeek, MaintenanceWindow } from '../maintenance-window';
import { assertIntInRange } from './checks';
import { terraformText } from './terraform-text';

/**
 * The arguments of `azurerm_kubernetes_cluster` that AksOperationsOptions decide, with their
 * defaults applied and checked.
 */
export function operationsConfig(
  what: string,
  props: AksClusterProps,
  workspaceId: string,
): Partial<KubernetesClusterConfig> {
  const utcOffset = props.maintenanceUtcOffset ?? regionUtcOffset(props.location);
  if (utcOffset === undefined || !isUtcOffset(utcOffset)) {
    throw new PlatformError(
      props.maintenanceUtcOffset === undefined
        ? `${what}.maintenanceUtcOffset is required: no time zone is known for location ${describeValue(props.location)}`
        : `${what}.maintenanceUtcOffset must be a UTC offset +HH:mm or -HH:mm, got ${describeValue(utcOffset)}`,
    );
  }
  const cleaner = props.imageCleanerEnabled ?? true;
  const cleanerHours = props.imageCleanerIntervalHours ?? 168;
  assertIntInRange(`${what}.imageCleanerIntervalHours`, cleanerHours, 24, 2160);
  const upgradeWindow = props.upgradeWindow ?? MaintenanceWindow.weekly(DayOfWeek.SUNDAY);
  const nodeOsWindow = props.nodeOsUpgradeWindow ?? MaintenanceWindow.weekly(DayOfWeek.SATURDAY);
  const channel = props.upgradeChannel ?? UpgradeChannel.PATCH;
  const nodeOs = props.nodeOsUpgradeChannel ?? NodeOsUpgradeChannel.NODE_IMAGE;
  return {
    // Without windows AKS upgrades whenever it likes, weekdays in business hours included.
    maintenanceWindowAutoUpgrade:
      channel === UpgradeChannel.NONE ? undefined : maintenanceBlock(upgradeWindow, utcOffset),
    maintenanceWindowNodeOs:
      nodeOs === NodeOsUpgradeChannel.NONE || nodeOs === NodeOsUpgradeChannel.UNMANAGED
        ? undefined
        : maintenanceBlock(nodeOsWindow, utcOffset),
    // It reaches into the cluster through the Azure API, whatever the API server's network rules.
    runCommandEnabled: props.runCommandEnabled ?? false,
    imageCleanerEnabled: cleaner,
    imageCleanerIntervalHours: cleaner ? cleanerHours : undefined,
    microsoftDefender:
      (props.defenderEnabled ?? false) ? { logAnalyticsWorkspaceId: terraformText(workspaceId) } : undefined,
    azurePolicyEnabled: props.azurePolicyEnabled ?? false,
    monitorMetrics: (props.managedPrometheusEnabled ?? false) ? {} : undefined,
    webAppRouting:
      (props.applicationRoutingEnabled ?? false)
        ? {
            dnsZoneIds: [],
            defaultNginxController: props.apiServerAccess.isPrivate ? 'Internal' : 'External',
          }
        : undefined,
  };
}

function maintenanceBlock(window: MaintenanceWindow, utcOffset: string) {
  return {
    frequency: window.frequency,
    interval: window.interval,
    duration: window.durationHours,
    dayOfWeek: window.dayOfWeek,
    dayOfMonth: window.dayOfMonth,
    weekIndex: window.weekIndex,
    startTime: window.startTime,
    utcOffset,
    notAllowed:
      window.notAllowed.length > 0
        ? window.notAllowed.map((n) => ({ start: n.start, end: n.end }))
        : undefined,
  };
}
