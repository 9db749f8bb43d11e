import { stringify } from 'yaml';
import { PlatformValidationError, validatePlatform } from '../../lib/platform-file';

/** A valid platform description, as plain data, to mutate in tests. */
export function validPlatform(): Record<string, any> {
  return {
    name: 'aw-capsule',
    azure: { location: 'francecentral', resourceGroup: 'aw-capsule', nodeResourceGroup: 'aw-capsule-vm' },
    cluster: {
      network: { plugin: 'azure', policy: 'calico' },
      apiServer: { authorizedIpRanges: ['203.0.113.0/24'] },
      systemPool: { vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5 },
      userPools: [{ name: 'apps', vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 10 }],
    },
    groups: {
      admins: { displayName: 'capsuleAdminGroup' },
      tenants: { displayName: 'capsuleGroup' },
      dev: { displayName: 'capsuleDevGroup', members: [] },
      staging: { displayName: 'capsuleStagingGroup' },
      sre: { objectId: '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0' },
    },
    admins: ['admins'],
    kyverno: {
      replicas: { admission: 3, background: 2, cleanup: 2, reports: 2 },
      podSecurity: 'restricted',
      action: 'Enforce',
    },
    capsule: { users: 'tenants', forceTenantPrefix: true, proxy: { dnsLabel: 'aw-capsule-proxy' } },
    tenants: [
      {
        name: 'dev',
        owners: ['dev'],
        namespaceQuota: 5,
        quota: { 'requests.cpu': '8', 'requests.memory': '16Gi', 'limits.memory': '32Gi', pods: '100' },
      },
      { name: 'staging', owners: ['staging', 'sre'] },
    ],
    workloads: [
      {
        name: 'demo-api',
        tenant: 'dev',
        namespace: 'dev-demo',
        image: 'nginxinc/nginx-unprivileged:1.27.3',
        port: 8080,
        replicas: 2,
        labels: { 'app.kubernetes.io/tier': 'backend' },
      },
    ],
  };
}

export function toYaml(data: unknown): string {
  return stringify(data);
}

/** Validates `data` and returns the messages of the error it must raise, as "path: message". */
export function errorsOf(data: unknown): string[] {
  try {
    validatePlatform(data, 'test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformValidationError);
    return (e as PlatformValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a validation error');
}
