// A platform repository that composes the constructs in TypeScript instead of using the platform
// file: its own policy choices, two tenants with budgets and the guardrails that keep tenants from
// loosening their isolation. The Terraform half is in infra.ts, the entry point in synth.ts; this
// folder is a project of its own (package.json, tsconfig.json), which `npm test` builds against the
// packed library.
import { App, Chart } from 'cdk8s';
import {
  KyvernoPolicies,
  PodSecurityLevel,
  PolicyAction,
  ServiceType,
  Tenant,
  TenantGuardrails,
  TenantQuota,
} from 'cdk-aks-platform';

/** Entra ID group object ids, as `cdktf deploy infra --outputs-file` reports them. */
export interface PlatformGroups {
  readonly admins: string;
  readonly payments: string;
  readonly search: string;
}

/** The platform's policies and tenants, in one chart. */
export function buildPlatform(app: App, groups: PlatformGroups): Chart {
  const chart = new Chart(app, 'platform');

  new KyvernoPolicies(chart, 'policies', {
    podSecurity: PodSecurityLevel.RESTRICTED,
    action: PolicyAction.ENFORCE,
    // Onboarding: probes are reported, not yet required.
    overrides: [{ policyName: 'require-probes', action: PolicyAction.AUDIT }],
  });

  new TenantGuardrails(chart, 'guardrails', { exemptGroupIds: [groups.admins] });

  const payments = new Tenant(chart, 'payments', {
    name: 'payments',
    ownerGroupIds: [groups.payments],
    namespaceQuota: 4,
    quota: TenantQuota.of([
      { resource: 'requests.cpu', hard: '16' },
      { resource: 'requests.memory', hard: '32Gi' },
      { resource: 'limits.memory', hard: '64Gi' },
    ]),
    nodePool: 'apps',
  });
  payments.addNamespace({ name: 'payments-api' });

  new Tenant(chart, 'search', {
    name: 'search',
    ownerGroupIds: [groups.search],
    allowedServiceTypes: [ServiceType.LOAD_BALANCER],
    internetEgress: true,
  });
  return chart;
}
