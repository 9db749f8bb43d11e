import { App, Testing } from 'cdk8s';
import { addKubernetesPlatform } from '../../../lib/kubernetes/platform';
import {
  loadPlatformFile,
  PlatformSpec,
  readOutputsFile,
  resolvePlatformOutputs,
  validatePlatform,
} from '../../../lib/platform-file';
import { validPlatform } from '../../platform-file/fixtures';

export const REFERENCE_PLATFORM = 'apps/platform.yaml';
export const REFERENCE_OUTPUTS = 'apps/platform-outputs.example.json';
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT_ID = '5c3f1a2b-8d4e-4f60-9a7b-0c1d2e3f4a5b';
/** An identity of the staging tenant (identities are never shared between tenants). */
export const STAGING_CLIENT_ID = '7d2e9f4a-3b1c-4e8d-a5f6-0b9c8d7e6f5a';

/** Every object the Kubernetes app emits for `spec`, chart by chart. */
export function synthPlatform(spec: PlatformSpec): any[] {
  const outputs = readOutputsFile(REFERENCE_OUTPUTS);
  const ids = resolvePlatformOutputs(spec, outputs, REFERENCE_OUTPUTS);
  const app: App = Testing.app();
  const charts = addKubernetesPlatform(app, spec, ids.groupObjectIds, ids.workloadIdentities);
  return [charts.policies, charts.tenants, charts.workloads].flatMap((c) => Testing.synth(c));
}

export function referenceSpec(): PlatformSpec {
  return loadPlatformFile(REFERENCE_PLATFORM);
}

/** The reference platform plus an ingress controller and one workload of every kind, every option used. */
export function richPlatform(): Record<string, any> {
  const p = validPlatform();
  p.ingress = { namespace: 'ingress-nginx', className: 'nginx' };
  p.tenants[0].ingressClasses = ['nginx-internal'];
  p.workloads = [
    {
      name: 'web',
      tenant: 'dev',
      namespace: 'dev-demo',
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      port: 8080,
      labels: { 'app.kubernetes.io/tier': 'frontend' },
      probes: { readinessPath: '/', livenessPath: '/' },
      ingress: { host: 'demo.dev.example.com', tlsSecretName: 'demo-tls' },
      autoscaling: { maxReplicas: 6 },
      writablePaths: ['/var/cache/nginx'],
    },
    {
      name: 'api',
      tenant: 'dev',
      namespace: 'dev-demo',
      image: 'ghcr.io/example/api@sha256:' + 'a'.repeat(64),
      port: 9000,
      replicas: 3,
      labels: { 'app.kubernetes.io/tier': 'backend', 'example.com/team': 'payments' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi', cpu: '1' } },
      allowFrom: [{ workload: 'web' }, { namespace: 'dev-monitoring', labels: { app: 'prometheus' } }],
      zoneSpread: 'DoNotSchedule',
      config: { LOG_LEVEL: 'info', FEATURE_X: 'on' },
      keyVault: {
        name: 'kv-dev-demo',
        tenantId: TENANT_ID,
        clientId: CLIENT_ID,
        secrets: [
          { name: 'db-password', env: 'DB_PASSWORD' },
          { name: 'api-tls', type: 'cert', file: 'tls.pem' },
        ],
      },
    },
    {
      name: 'cache',
      tenant: 'dev',
      namespace: 'dev-demo',
      kind: 'StatefulSet',
      image: 'valkey/valkey:8.0.2',
      port: 6379,
      allowFrom: [{ workload: 'api' }],
      storage: { size: '5Gi', mountPath: '/data' },
    },
    {
      name: 'migrate',
      tenant: 'staging',
      namespace: 'staging-jobs',
      kind: 'Job',
      image: 'busybox:1.36.1',
      command: ['sh', '-c', 'echo done'],
    },
    {
      name: 'report',
      tenant: 'staging',
      namespace: 'staging-jobs',
      kind: 'CronJob',
      image: 'busybox:1.36.1',
      schedule: '30 2 * * 1-5',
      keyVault: {
        name: 'kv-staging',
        tenantId: TENANT_ID,
        clientId: STAGING_CLIENT_ID,
        secrets: [{ name: 'smtp' }],
      },
    },
  ];
  return p;
}

export function richSpec(): PlatformSpec {
  return validatePlatform(richPlatform(), 'rich platform');
}
