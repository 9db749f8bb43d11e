// The day-two keys of the platform file, through both stacks (and, for ingress, the tenants).
import { Testing } from 'cdk8s';
import { addKubernetesPlatform } from '../../lib/kubernetes/platform';
import {
  APP_ROUTING_INGRESS_CLASS,
  PlatformValidationError,
  systemNamespaces,
  validatePlatform,
} from '../../lib/platform-file';
import { validPlatform } from '../platform-file/fixtures';
import { everyOptionPlatform } from './every-option';
import { allStrings, only, platform, resources, synthPlatform } from './helpers';

const SUBSCRIPTION = '00000000-0000-4000-8000-000000000009';

describe('the reference platform gets the day-two defaults', () => {
  const { infra, addons } = synthPlatform();
  const aks = only(infra, 'azurerm_kubernetes_cluster');

  test('maintenance windows on weekend nights in France Central’s time (+01:00)', () => {
    expect(aks.maintenance_window_auto_upgrade).toMatchObject({
      frequency: 'Weekly',
      day_of_week: 'Sunday',
      start_time: '01:00',
      duration: 4,
      utc_offset: '+01:00',
    });
    expect(aks.maintenance_window_node_os).toMatchObject({ day_of_week: 'Saturday', utc_offset: '+01:00' });
  });

  test('run command off, image cleaner on, the audit trail kept 90 days, no opt-in', () => {
    expect(aks).toMatchObject({
      run_command_enabled: false,
      image_cleaner_enabled: true,
      image_cleaner_interval_hours: 168,
      azure_policy_enabled: false,
      identity: { type: 'SystemAssigned' },
    });
    for (const block of ['microsoft_defender', 'monitor_metrics', 'web_app_routing']) {
      expect(aks).not.toHaveProperty(block);
    }
    expect(only(infra, 'azurerm_monitor_diagnostic_setting').enabled_log).toEqual([
      { category: 'kube-audit-admin' },
      { category: 'guard' },
    ]);
    expect(
      Object.values(resources(infra, 'azurerm_log_analytics_workspace_table')).map(
        (t) => t.retention_in_days,
      ),
    ).toEqual([90, 90]);
  });

  test('state stays local', () => {
    expect(Object.keys(infra.terraform.backend)).toEqual(['local']);
    expect(Object.keys(addons.terraform.backend)).toEqual(['local']);
  });
});

describe('the platform using every option', () => {
  const spec = validatePlatform(everyOptionPlatform(), 'every-option');
  const { infra, addons } = synthPlatform(spec);
  const aks = only(infra, 'azurerm_kubernetes_cluster');

  test('every opt-in reaches the cluster', () => {
    expect(aks.microsoft_defender).toEqual({
      log_analytics_workspace_id: '${azurerm_log_analytics_workspace.aks_logs.id}',
    });
    expect(aks.azure_policy_enabled).toBe(true);
    expect(aks.monitor_metrics).toEqual({});
    expect(only(infra, 'azurerm_monitor_workspace').name).toBe('every-option-aks-prometheus');
    // a private cluster: the add-on's default controller is internal
    expect(aks.web_app_routing).toEqual({ dns_zone_ids: [], default_nginx_controller: 'Internal' });
    expect(aks.identity).toEqual({
      type: 'UserAssigned',
      identity_ids: ['${azurerm_user_assigned_identity.aks.id}'],
    });
    expect(aks.run_command_enabled).toBe(true);
    expect(aks.image_cleaner_interval_hours).toBe(48);
    expect(resources(infra, 'azurerm_monitor_diagnostic_setting').aks_audit.enabled_log).toContainEqual({
      category: 'kube-apiserver',
    });
  });

  test('the windows of the file, in its offset', () => {
    expect(aks.maintenance_window_auto_upgrade).toEqual({
      frequency: 'RelativeMonthly',
      interval: 2,
      week_index: 'First',
      day_of_week: 'Sunday',
      start_time: '22:30',
      duration: 8,
      utc_offset: '+02:00',
      not_allowed: [{ start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z' }],
    });
    expect(aks.maintenance_window_node_os).toEqual({
      frequency: 'AbsoluteMonthly',
      interval: 1,
      day_of_month: 15,
      start_time: '03:00',
      duration: 6,
      utc_offset: '+02:00',
    });
  });

  test('one blob per stack in Azure Storage, Entra ID authentication, and addons reads infra’s blob', () => {
    const backend = {
      storage_account_name: 'everyoptionstate',
      container_name: 'platform-state',
      resource_group_name: 'every-option-state',
      subscription_id: '00000000-0000-4000-8000-000000000002',
      use_azuread_auth: true,
    };
    expect(infra.terraform.backend).toEqual({
      azurerm: { ...backend, key: 'platforms/every-option/infra.tfstate' },
    });
    expect(addons.terraform.backend).toEqual({
      azurerm: { ...backend, key: 'platforms/every-option/addons.tfstate' },
    });
    const reads = Object.values(addons.data.terraform_remote_state) as any[];
    expect(reads).toEqual([
      expect.objectContaining({
        backend: 'azurerm',
        config: { ...backend, key: 'platforms/every-option/infra.tfstate' },
      }),
    ]);
    // No key, token or secret of the storage account anywhere.
    expect(
      [...allStrings(infra), ...allStrings(addons)].filter((s) =>
        /access_key|sas_token|client_secret/.test(s),
      ),
    ).toEqual([]);
  });
});

describe('azure.state defaults', () => {
  test('container tfstate, the platform name as key prefix, the platform subscription', () => {
    const { infra } = synthPlatform(
      platform((p) => {
        p.azure.subscriptionId = SUBSCRIPTION;
        p.azure.state = { storageAccount: 'awcapsulestate' };
      }),
    );
    expect(infra.terraform.backend.azurerm).toEqual({
      storage_account_name: 'awcapsulestate',
      container_name: 'tfstate',
      key: 'aw-capsule/infra.tfstate',
      subscription_id: SUBSCRIPTION,
      use_azuread_auth: true,
    });
  });
});

describe('application routing as the ingress of the tenants', () => {
  const IDS = new Map([
    ['admins', '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13'],
    ['dev', 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58'],
    ['staging', 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02'],
    ['sre', '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0'],
    ['tenants', '8d4e6f20-1b3c-4a7e-8f95-6c2a1d9e0b47'],
  ]);
  const kubernetes = (mutate: (p: Record<string, any>) => void) => {
    const app = Testing.app();
    const spec = platform(mutate);
    const charts = addKubernetesPlatform(app, spec, IDS);
    return { spec, tenants: Testing.synth(charts.tenants), workloads: Testing.synth(charts.workloads) };
  };
  const enable = (p: Record<string, any>) => {
    p.cluster.addons = { applicationRouting: true };
    p.workloads[0].ingress = { host: 'demo.example.com' };
  };

  test('the add-on is the ingress controller; every tenant may use its IngressClass', () => {
    const { spec, tenants } = kubernetes(enable);
    expect(spec.ingress).toEqual({ namespace: 'app-routing-system', className: APP_ROUTING_INGRESS_CLASS });
    // A platform namespace: no tenant may take it, the Kyverno policies leave it to AKS.
    expect(systemNamespaces(spec)).toContain('app-routing-system');
    for (const t of tenants.filter((o) => o.kind === 'Tenant')) {
      expect(t.spec.ingressOptions.allowedClasses.allowed).toEqual([APP_ROUTING_INGRESS_CLASS]);
    }
  });

  test("the tenants' isolation admits the add-on's namespace, and so does a workload with an Ingress", () => {
    const { tenants, workloads } = kubernetes(enable);
    const policies = tenants
      .filter((o) => o.kind === 'GlobalTenantResource')
      .flatMap((g) => g.spec.resources[0].rawItems)
      .filter((p: any) => p.metadata.name === 'tenant-ingress');
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.spec.ingress[0].from).toContainEqual({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app-routing-system' } },
      });
    }
    const ingress = workloads.find((o) => o.kind === 'Ingress');
    expect(ingress.spec.ingressClassName).toBe(APP_ROUTING_INGRESS_CLASS);
    const policy = workloads.find((o) => o.kind === 'NetworkPolicy');
    expect(JSON.stringify(policy.spec.ingress)).toContain('app-routing-system');
  });

  test('without the add-on, tenants get no ingress class and no controller is admitted', () => {
    const { spec, tenants } = kubernetes(() => undefined);
    expect(spec.ingress).toBeUndefined();
    expect(tenants.find((o) => o.kind === 'Tenant').spec.ingressOptions.allowedClasses.allowed).toEqual([]);
  });

  test('a class a tenant lists already is not repeated', () => {
    const { tenants } = kubernetes((p) => {
      enable(p);
      p.tenants[0].ingressClasses = [APP_ROUTING_INGRESS_CLASS, 'internal'];
    });
    expect(tenants.find((o) => o.kind === 'Tenant').spec.ingressOptions.allowedClasses.allowed).toEqual([
      APP_ROUTING_INGRESS_CLASS,
      'internal',
    ]);
  });
});

describe('platform file checks of the day-two keys', () => {
  test.each<[string, (p: Record<string, any>) => void, string]>([
    [
      'a storage account name with capitals',
      (p) => (p.azure.state = { storageAccount: 'AwCapsule' }),
      'azure.state.storageAccount: "AwCapsule" must be a storage account name: 3 to 24 lowercase letters and digits',
    ],
    [
      'a container name with a double hyphen',
      (p) => (p.azure.state = { storageAccount: 'awcapsule', container: 'tf--state' }),
      'azure.state.container: "tf--state" must be a blob container name',
    ],
    [
      'a key prefix starting with /',
      (p) => (p.azure.state = { storageAccount: 'awcapsule', keyPrefix: '/states/' }),
      'azure.state.keyPrefix: "/states/" must be a blob name prefix',
    ],
    [
      'a region without a known time zone and no offset',
      (p) => (p.azure.location = 'moonbase1'),
      'cluster.maintenance.utcOffset: is required: the time zone of region "moonbase1" is not known here; give its UTC offset (e.g. "+01:00")',
    ],
    [
      'an offset without minutes',
      (p) => (p.cluster.maintenance = { utcOffset: '+1' }),
      'cluster.maintenance.utcOffset: "+1" must be a UTC offset +HH:mm or -HH:mm',
    ],
    [
      'every 5 weeks',
      (p) => (p.cluster.maintenance = { upgrade: { interval: 5 } }),
      'cluster.maintenance.upgrade.interval: 5 is more than 4, the most AKS accepts for Weekly',
    ],
    [
      'a day of the month on a weekly window',
      (p) => (p.cluster.maintenance = { nodeOs: { dayOfMonth: 3 } }),
      'cluster.maintenance.nodeOs.dayOfMonth: 3 is not used by a Weekly window',
    ],
    [
      'a relative monthly window without its week',
      (p) => (p.cluster.maintenance = { upgrade: { frequency: 'RelativeMonthly', dayOfWeek: 'Sunday' } }),
      'cluster.maintenance.upgrade.weekIndex: is required for a RelativeMonthly window',
    ],
    [
      'an absolute monthly window without its day',
      (p) => (p.cluster.maintenance = { upgrade: { frequency: 'AbsoluteMonthly' } }),
      'cluster.maintenance.upgrade.dayOfMonth: is required for an AbsoluteMonthly window',
    ],
    [
      'a window of three hours',
      (p) => (p.cluster.maintenance = { upgrade: { durationHours: 3 } }),
      'cluster.maintenance.upgrade.durationHours: 3 must be at least 4 (AKS needs four hours to complete an upgrade)',
    ],
    [
      'a start time of 1am',
      (p) => (p.cluster.maintenance = { nodeOs: { startTime: '1am' } }),
      'cluster.maintenance.nodeOs.startTime: "1am" must be a time of day HH:mm (00:00 to 23:59)',
    ],
    [
      'a freeze ending before it starts',
      (p) =>
        (p.cluster.maintenance = {
          upgrade: { notAllowed: [{ start: '2027-01-04T00:00:00Z', end: '2026-12-20T00:00:00Z' }] },
        }),
      'cluster.maintenance.upgrade.notAllowed[0].end: "2026-12-20T00:00:00Z" is not after start (2027-01-04T00:00:00Z)',
    ],
    [
      'a freeze that is a date only',
      (p) =>
        (p.cluster.maintenance = {
          upgrade: { notAllowed: [{ start: '2026-12-20', end: '2027-01-04T00:00:00Z' }] },
        }),
      'cluster.maintenance.upgrade.notAllowed[0].start: "2026-12-20" must be an RFC 3339 date and time',
    ],
    [
      'an image cleaner twice a day',
      (p) => (p.cluster.imageCleaner = { intervalHours: 12 }),
      'cluster.imageCleaner.intervalHours: 12 must be at least 24',
    ],
    [
      'audit logs kept a week',
      (p) => (p.cluster.auditLogs = { retentionDays: 7 }),
      'cluster.auditLogs.retentionDays: 7 must be at least 30',
    ],
    [
      'an unknown identity kind',
      (p) => (p.cluster.controlPlaneIdentity = 'Both'),
      'cluster.controlPlaneIdentity: must be one of "SystemAssigned", "UserAssigned", got "Both"',
    ],
    ['an unknown add-on', (p) => (p.cluster.addons = { keda: true }), 'cluster.addons.keda: unknown key'],
    [
      'application routing with another ingress controller',
      (p) => {
        p.cluster.addons = { applicationRouting: true };
        p.ingress = { namespace: 'ingress-nginx', className: 'nginx' };
      },
      'ingress.namespace: "ingress-nginx" is not app-routing-system: with cluster.addons.applicationRouting',
    ],
  ])('%s', (_what, mutate, message) => {
    const p = validPlatform();
    mutate(p);
    expect(() => validatePlatform(p, 'test')).toThrow(PlatformValidationError);
    expect(() => validatePlatform(p, 'test')).toThrow(message);
  });

  test('an unknown region with its offset, and a Daily node OS window, are fine', () => {
    const spec = platform((p) => {
      p.azure.location = 'moonbase1';
      p.capsule.proxy.dnsLabel = 'moon-proxy';
      p.cluster.maintenance = { utcOffset: '-03:30', nodeOs: { frequency: 'Daily', interval: 2 } };
    });
    const aks = only(synthPlatform(spec).infra, 'azurerm_kubernetes_cluster');
    expect(aks.maintenance_window_node_os).toEqual({
      frequency: 'Daily',
      interval: 2,
      start_time: '01:00',
      duration: 4,
      utc_offset: '-03:30',
    });
  });
});
