// A platform repository that composes the constructs in TypeScript instead of using the platform
// file: its own policy choices, two tenants with budgets and the guardrails that keep tenants from
// loosening their isolation. Run: `npm run build && node build/examples/platform-repo/main.js`.
import { App, Chart } from 'cdk8s';
import {
  KyvernoPolicies,
  PodSecurityLevel,
  PolicyAction,
  ServiceType,
  Tenant,
  TenantGuardrails,
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
    quota: [
      { resource: 'requests.cpu', hard: '16' },
      { resource: 'requests.memory', hard: '32Gi' },
      { resource: 'limits.memory', hard: '64Gi' },
    ],
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

if (require.main === module) {
  // Not dist/: that is the platform app's output, which pipelines apply.
  const app = new App({ outdir: process.env.CDK8S_OUTDIR || 'build/examples-out/platform-repo' });
  buildPlatform(app, {
    admins: '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13',
    payments: 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58',
    search: 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02',
  });
  app.synth();
}
