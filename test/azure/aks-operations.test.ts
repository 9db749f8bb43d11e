import { AksCluster, AksClusterProps } from '../../lib/azure/aks-cluster';
import { ApiServerAccess, NodeOsUpgradeChannel, UpgradeChannel } from '../../lib/azure/cluster-options';
import { ControlPlaneIdentity } from '../../lib/azure/control-plane-identity';
import { ControlPlaneLogs } from '../../lib/azure/control-plane-logs';
import { DayOfWeek, MaintenanceWindow, WeekIndex } from '../../lib/azure/maintenance-window';
import { ManagedPrometheus } from '../../lib/azure/managed-prometheus';
import { AZURE_REGION_TIME_ZONES, PlatformError, regionUtcOffset } from '../../lib/platform-file';
import { only, resources, synth, testStack } from './helpers';

const ADMINS = '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13';
const WORKSPACE_REF = /^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/;
const CLUSTER_REF = /^\$\{azurerm_kubernetes_cluster\.\w+\.id\}$/;

function cluster(overrides: Partial<AksClusterProps> = {}) {
  const stack = testStack();
  new AksCluster(stack, 'aks', {
    name: 'demo-aks',
    location: 'francecentral',
    resourceGroupName: 'demo',
    adminGroupObjectIds: [ADMINS],
    apiServerAccess: ApiServerAccess.fromIpRanges(['203.0.113.0/24']),
    ...overrides,
  });
  const tf = synth(stack);
  return { tf, aks: only(tf, 'azurerm_kubernetes_cluster') };
}

describe('AksCluster day-two defaults', () => {
  const { tf, aks } = cluster();

  test('maintenance windows: Kubernetes on Sunday nights, node OS on Saturday nights, in the region’s time', () => {
    const night = {
      frequency: 'Weekly',
      interval: 1,
      duration: 4,
      start_time: '01:00',
      utc_offset: '+01:00',
    };
    expect(aks.maintenance_window_auto_upgrade).toEqual({ ...night, day_of_week: 'Sunday' });
    expect(aks.maintenance_window_node_os).toEqual({ ...night, day_of_week: 'Saturday' });
  });

  test('run command off, image cleaner on every week', () => {
    expect(aks.run_command_enabled).toBe(false);
    expect(aks.image_cleaner_enabled).toBe(true);
    expect(aks.image_cleaner_interval_hours).toBe(168);
  });

  test('the audit trail: kube-audit-admin and guard to the workspace, resource-specific, kept 90 days', () => {
    const setting = only(tf, 'azurerm_monitor_diagnostic_setting');
    expect(setting).toMatchObject({
      name: 'demo-aks-audit',
      target_resource_id: expect.stringMatching(CLUSTER_REF),
      log_analytics_workspace_id: expect.stringMatching(WORKSPACE_REF),
      log_analytics_destination_type: 'Dedicated',
      enabled_log: [{ category: 'kube-audit-admin' }, { category: 'guard' }],
    });
    expect(setting).not.toHaveProperty('storage_account_id');
    const tables = Object.values(resources(tf, 'azurerm_log_analytics_workspace_table'));
    expect(tables.map((t) => [t.name, t.retention_in_days])).toEqual([
      ['AKSAuditAdmin', 90],
      ['AKSControlPlane', 90],
    ]);
    for (const t of tables) expect(t.workspace_id).toMatch(WORKSPACE_REF);
    // Container logs keep the workspace's own retention.
    expect(only(tf, 'azurerm_log_analytics_workspace').retention_in_days).toBe(30);
  });

  test('every opt-in off: no Defender, Azure Policy, Prometheus or application routing; a system-assigned identity', () => {
    expect(aks).not.toHaveProperty('microsoft_defender');
    expect(aks.azure_policy_enabled).toBe(false);
    expect(aks).not.toHaveProperty('monitor_metrics');
    expect(aks).not.toHaveProperty('web_app_routing');
    expect(aks.identity).toEqual({ type: 'SystemAssigned' });
    for (const type of [
      'azurerm_monitor_workspace',
      'azurerm_monitor_data_collection_endpoint',
      'azurerm_user_assigned_identity',
    ]) {
      expect(resources(tf, type)).toEqual({});
    }
  });
});

describe('AksCluster day-two options', () => {
  test('Defender for Containers reports to the workspace', () => {
    const { aks } = cluster({ defenderEnabled: true });
    expect(aks.microsoft_defender).toEqual({
      log_analytics_workspace_id: expect.stringMatching(WORKSPACE_REF),
    });
  });

  test('the Azure Policy add-on', () => {
    expect(cluster({ azurePolicyEnabled: true }).aks.azure_policy_enabled).toBe(true);
  });

  test('managed Prometheus: the metrics profile, a Monitor workspace, its endpoint, rule and association', () => {
    const { tf, aks } = cluster({ managedPrometheusEnabled: true });
    expect(aks.monitor_metrics).toEqual({});
    const workspace = only(tf, 'azurerm_monitor_workspace');
    expect(workspace).toMatchObject({ name: 'demo-aks-prometheus', location: 'francecentral' });
    const endpoint = only(tf, 'azurerm_monitor_data_collection_endpoint');
    expect(endpoint).toMatchObject({ name: 'MSProm-demo-aks', kind: 'Linux' });
    const rule = Object.values(resources(tf, 'azurerm_monitor_data_collection_rule')).find(
      (r) => r.name === 'MSProm-demo-aks',
    );
    expect(rule).toMatchObject({
      kind: 'Linux',
      data_collection_endpoint_id: expect.stringMatching(
        /^\$\{azurerm_monitor_data_collection_endpoint\.\w+\.id\}$/,
      ),
      destinations: {
        monitor_account: [
          {
            monitor_account_id: expect.stringMatching(/^\$\{azurerm_monitor_workspace\.\w+\.id\}$/),
            name: 'MonitoringAccount',
          },
        ],
      },
      data_flow: [{ streams: ['Microsoft-PrometheusMetrics'], destinations: ['MonitoringAccount'] }],
      data_sources: {
        prometheus_forwarder: [{ name: 'PrometheusDataSource', streams: ['Microsoft-PrometheusMetrics'] }],
      },
    });
    const associations = Object.values(resources(tf, 'azurerm_monitor_data_collection_rule_association'));
    expect(associations).toContainEqual(
      expect.objectContaining({
        target_resource_id: expect.stringMatching(CLUSTER_REF),
        data_collection_rule_id: expect.stringMatching(/prometheus_rule\w*\.id\}$/),
      }),
    );
  });

  test('application routing: no DNS zone; a public default controller, an internal one on a private cluster', () => {
    expect(cluster({ applicationRoutingEnabled: true }).aks.web_app_routing).toEqual({
      dns_zone_ids: [],
      default_nginx_controller: 'External',
    });
    expect(
      cluster({ applicationRoutingEnabled: true, apiServerAccess: ApiServerAccess.privateEndpoint() }).aks
        .web_app_routing,
    ).toEqual({ dns_zone_ids: [], default_nginx_controller: 'Internal' });
  });

  test('a user-assigned control plane identity, created beside the cluster or given', () => {
    const created = cluster({ controlPlaneIdentity: ControlPlaneIdentity.userAssigned() });
    expect(only(created.tf, 'azurerm_user_assigned_identity')).toMatchObject({
      name: 'demo-aks-identity',
      location: 'francecentral',
      resource_group_name: 'demo',
    });
    expect(created.aks.identity).toEqual({
      type: 'UserAssigned',
      identity_ids: [expect.stringMatching(/^\$\{azurerm_user_assigned_identity\.\w+\.id\}$/)],
    });
    const id =
      '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks';
    const given = cluster({ controlPlaneIdentity: ControlPlaneIdentity.fromUserAssignedIdentityId(id) });
    expect(given.aks.identity).toEqual({ type: 'UserAssigned', identity_ids: [id] });
    expect(resources(given.tf, 'azurerm_user_assigned_identity')).toEqual({});
  });

  test('run command and the image cleaner, explicitly', () => {
    const { aks } = cluster({ runCommandEnabled: true, imageCleanerIntervalHours: 48 });
    expect(aks.run_command_enabled).toBe(true);
    expect(aks.image_cleaner_interval_hours).toBe(48);
    const off = cluster({ imageCleanerEnabled: false }).aks;
    expect(off.image_cleaner_enabled).toBe(false);
    expect(off).not.toHaveProperty('image_cleaner_interval_hours');
  });

  test('audit logs: the API server too, off, or into a given workspace with its own retention', () => {
    const all = cluster({ apiServerLogsEnabled: true, auditLogRetentionDays: 365 }).tf;
    expect(only(all, 'azurerm_monitor_diagnostic_setting').enabled_log).toEqual([
      { category: 'kube-audit-admin' },
      { category: 'guard' },
      { category: 'kube-apiserver' },
    ]);
    for (const t of Object.values(resources(all, 'azurerm_log_analytics_workspace_table'))) {
      expect(t.retention_in_days).toBe(365);
    }
    expect(resources(cluster({ auditLogsEnabled: false }).tf, 'azurerm_monitor_diagnostic_setting')).toEqual(
      {},
    );
    const byo = cluster({ logAnalyticsWorkspaceId: '/subscriptions/x/workspaces/shared' }).tf;
    expect(only(byo, 'azurerm_monitor_diagnostic_setting').log_analytics_workspace_id).toBe(
      '/subscriptions/x/workspaces/shared',
    );
    // A shared workspace's tables are its owner's business unless asked.
    expect(resources(byo, 'azurerm_log_analytics_workspace_table')).toEqual({});
  });
});

describe('maintenance windows', () => {
  test('every schedule AKS offers, with a change freeze', () => {
    const freeze = { start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z' };
    const { aks } = cluster({
      maintenanceUtcOffset: '-05:00',
      upgradeWindow: MaintenanceWindow.monthlyOnWeekday(WeekIndex.LAST, DayOfWeek.FRIDAY, 2, {
        startTime: '22:00',
        durationHours: 8,
        notAllowed: [freeze],
      }),
      nodeOsUpgradeWindow: MaintenanceWindow.daily(3, { startTime: '02:30' }),
    });
    expect(aks.maintenance_window_auto_upgrade).toEqual({
      frequency: 'RelativeMonthly',
      interval: 2,
      week_index: 'Last',
      day_of_week: 'Friday',
      start_time: '22:00',
      duration: 8,
      utc_offset: '-05:00',
      not_allowed: [freeze],
    });
    expect(aks.maintenance_window_node_os).toEqual({
      frequency: 'Daily',
      interval: 3,
      start_time: '02:30',
      duration: 4,
      utc_offset: '-05:00',
    });
    expect(
      cluster({ upgradeWindow: MaintenanceWindow.monthlyOnDay(1, 3) }).aks.maintenance_window_auto_upgrade,
    ).toMatchObject({ frequency: 'AbsoluteMonthly', day_of_month: 1, interval: 3 });
  });

  test('the offset follows the region', () => {
    expect(cluster({ location: 'eastus' }).aks.maintenance_window_auto_upgrade.utc_offset).toBe('-05:00');
    expect(cluster({ location: 'centralindia' }).aks.maintenance_window_node_os.utc_offset).toBe('+05:30');
    expect(cluster({ location: 'australiaeast' }).aks.maintenance_window_node_os.utc_offset).toBe('+10:00');
  });

  test('no window for a channel AKS does not schedule', () => {
    const { aks } = cluster({
      upgradeChannel: UpgradeChannel.NONE,
      nodeOsUpgradeChannel: NodeOsUpgradeChannel.UNMANAGED,
    });
    expect(aks).not.toHaveProperty('maintenance_window_auto_upgrade');
    expect(aks).not.toHaveProperty('maintenance_window_node_os');
    expect(
      cluster({ nodeOsUpgradeChannel: NodeOsUpgradeChannel.NONE }).aks.maintenance_window_node_os,
    ).toBeUndefined();
  });

  test.each<[string, () => unknown, RegExp]>([
    [
      'a week interval above 4',
      () => MaintenanceWindow.weekly(DayOfWeek.SUNDAY, 5),
      /everyWeeks must be a whole number from 1 to 4, got 5/,
    ],
    [
      'a daily interval above 7',
      () => MaintenanceWindow.daily(8),
      /everyDays must be a whole number from 1 to 7, got 8/,
    ],
    [
      'day 32',
      () => MaintenanceWindow.monthlyOnDay(32),
      /dayOfMonth must be a whole number from 1 to 31, got 32/,
    ],
    [
      'a window of 2 hours',
      () => MaintenanceWindow.daily(1, { durationHours: 2 }),
      /durationHours must be a whole number from 4 to 24, got 2/,
    ],
    [
      '25:00',
      () => MaintenanceWindow.daily(1, { startTime: '25:00' }),
      /startTime must be a time of day HH:mm, got "25:00"/,
    ],
    [
      'a freeze that ends before it starts',
      () =>
        MaintenanceWindow.daily(1, {
          notAllowed: [{ start: '2027-01-04T00:00:00Z', end: '2026-12-20T00:00:00Z' }],
        }),
      /notAllowed\[0\]: end "2026-12-20T00:00:00Z" is not after start "2027-01-04T00:00:00Z"/,
    ],
    [
      'a freeze that is not a date and time',
      () => MaintenanceWindow.daily(1, { notAllowed: [{ start: 'Christmas', end: '2026-12-27T00:00:00Z' }] }),
      /notAllowed\[0\]\.start must be an RFC 3339 date and time .*got "Christmas"/,
    ],
    [
      'an unknown weekday',
      () => MaintenanceWindow.weekly('Caturday' as DayOfWeek),
      /must be a day of the week .*got "Caturday"/,
    ],
  ])('refuses %s', (_what, build, message) => {
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  });
});

describe('day-two props refused', () => {
  test.each<[string, Partial<AksClusterProps>, RegExp]>([
    [
      'a region whose time zone is unknown, without an offset',
      { location: 'moonbase1' },
      /AksCluster\(aks\)\.maintenanceUtcOffset is required: no time zone is known for location "moonbase1"/,
    ],
    [
      'an offset that is not one',
      { maintenanceUtcOffset: '+1' },
      /maintenanceUtcOffset must be a UTC offset \+HH:mm or -HH:mm, got "\+1"/,
    ],
    ['an offset beyond +14:00', { maintenanceUtcOffset: '+15:00' }, /got "\+15:00"/],
    [
      'an image cleaner every 12 hours',
      { imageCleanerIntervalHours: 12 },
      /imageCleanerIntervalHours must be a whole number from 24 to 2160, got 12/,
    ],
    [
      'an audit retention of 7 days',
      { auditLogRetentionDays: 7 },
      /AksCluster\(aks\)\.auditLogRetentionDays must be a whole number from 30 to 730, got 7/,
    ],
  ])('%s', (_what, overrides, message) => {
    expect(() => cluster(overrides)).toThrow(PlatformError);
    expect(() => cluster(overrides)).toThrow(message);
  });

  test('an unknown region with an explicit offset is fine', () => {
    expect(
      cluster({ location: 'moonbase1', maintenanceUtcOffset: '+03:00' }).aks.maintenance_window_node_os
        .utc_offset,
    ).toBe('+03:00');
  });

  test('ControlPlaneLogs on its own: a retention beyond two years', () => {
    expect(
      () =>
        new ControlPlaneLogs(testStack(), 'logs', {
          name: 'audit',
          clusterId: 'cluster',
          workspaceId: 'workspace',
          retentionDays: 1000,
        }),
    ).toThrow(/ControlPlaneLogs\(logs\)\.retentionDays must be a whole number from 30 to 730, got 1000/);
  });

  test('an identity id that is not one, a Prometheus cluster name that is not one', () => {
    expect(() => ControlPlaneIdentity.fromUserAssignedIdentityId('aks-identity')).toThrow(
      /fromUserAssignedIdentityId: must be the resource id of a user-assigned identity .*got "aks-identity"/,
    );
    expect(
      () =>
        new ManagedPrometheus(testStack(), 'p', {
          clusterName: 'demo aks',
          clusterId: 'id',
          location: 'francecentral',
          resourceGroupName: 'demo',
        }),
    ).toThrow(/ManagedPrometheus\(p\)\.clusterName must be an AKS cluster name .*got "demo aks"/);
  });
});

/** The UTC offset of an IANA zone at an instant, in minutes, from the runtime's time zone data. */
function zoneOffsetMinutes(zone: string, instant: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')!.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  expect(m).not.toBeNull();
  return m![1] === undefined ? 0 : (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 60 + Number(m![3]));
}

describe('the region time zones', () => {
  test.each(Object.entries(AZURE_REGION_TIME_ZONES))(
    '%s: its offset is the standard (winter) offset of its IANA zone',
    (_region, { zone, utcOffset }) => {
      // Daylight saving time only ever adds: the smaller of January and July is standard time.
      const standard = Math.min(
        zoneOffsetMinutes(zone, new Date(Date.UTC(2026, 0, 15))),
        zoneOffsetMinutes(zone, new Date(Date.UTC(2026, 6, 15))),
      );
      const sign = standard < 0 ? '-' : '+';
      const abs = Math.abs(standard);
      const expected = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      expect(utcOffset).toBe(expected);
    },
  );

  test('a region that is not listed has no offset', () => {
    expect(regionUtcOffset('francecentral')).toBe('+01:00');
    expect(regionUtcOffset('moonbase1')).toBeUndefined();
    expect(regionUtcOffset('toString')).toBeUndefined();
  });
});
