// An application team adding a hardened service to its tenant namespace. The team writes what
// matters to it (image, port, probes, secrets); Pod Security, disruption budget, zone spread,
// network policy and service account come with the construct.
//
// Who applies the output: not the team's own credentials. The manifests include a NetworkPolicy,
// and the platform's `tenant-network-policy-lock` refuses every NetworkPolicy write by a tenant
// owner (Capsule issue #649: one extra policy would undo the tenant's isolation). The team commits
// the synthesized YAML; the platform's pipeline identity applies it: a CI identity in an exempt
// group (a platform admin group, passed as `exemptGroupIds`), or a GitOps controller whose
// namespace is in `capsule.guardrails.exemptServiceAccountNamespaces` (e.g. flux-system).
// The pods carry `cdk-aks-platform.io/ingress: workload`, so only their own NetworkPolicy admits
// connections: port 8080 from the checkout workload; the CronJob's pods admit none.
// Run: `npm run build && node build/examples/app-team/main.js`.
import { App, Chart, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HardenedCronJob, HardenedDeployment, NetworkPeer, WorkloadTier } from 'cdk-aks-platform';

export function buildApplication(app: App): Chart {
  const chart = new Chart(app, 'payments-api');

  new HardenedDeployment(chart, 'api', {
    namespace: 'payments-api',
    name: 'payments-api',
    image: 'ghcr.io/example/payments-api:3.2.0',
    port: 8080,
    tier: WorkloadTier.BACKEND,
    readiness: kplus.Probe.fromHttpGet('/healthz/ready', { port: 8080 }),
    liveness: kplus.Probe.fromHttpGet('/healthz/live', { port: 8080 }),
    resources: { cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
    allowFrom: [NetworkPeer.workload('checkout')],
    keyVault: {
      vaultName: 'kv-payments',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      clientId: '5c3f1a2b-8d4e-4f60-9a7b-0c1d2e3f4a5b',
      secrets: [{ name: 'db-password', envVar: 'DB_PASSWORD' }],
    },
  });

  new HardenedCronJob(chart, 'settlement', {
    namespace: 'payments-api',
    name: 'settlement',
    image: 'ghcr.io/example/payments-batch:3.2.0',
    schedule: Cron.daily(),
    resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  buildApplication(app);
  app.synth();
}
