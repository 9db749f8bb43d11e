import { stringify } from 'yaml';

/** A deterministic UUID for generated group `i` (benchmarks must not depend on randomness). */
export function benchObjectId(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `6b1f0c2e-4d3a-4e5b-9c7d-${hex}`;
}

/**
 * A platform file with `tenants` tenants, each owned by an existing group (referenced by object
 * id, so no outputs file is needed) and running one workload.
 */
export function generatePlatformFile(tenants: number): string {
  const groups: Record<string, unknown> = {
    admins: { objectId: benchObjectId(0) },
    users: { displayName: 'benchUsersGroup' },
  };
  const tenantList: unknown[] = [];
  const workloads: unknown[] = [];
  for (let i = 1; i <= tenants; i++) {
    const name = `t${String(i).padStart(4, '0')}`;
    groups[`g${name}`] = { objectId: benchObjectId(i) };
    tenantList.push({
      name,
      owners: [`g${name}`],
      namespaceQuota: 3,
      quota: { 'requests.cpu': '4', 'limits.memory': '8Gi' },
    });
    workloads.push({
      name: 'api',
      tenant: name,
      namespace: `${name}-app`,
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      port: 8080,
    });
  }
  return stringify({
    name: 'bench',
    azure: { location: 'francecentral' },
    cluster: { apiServer: { authorizedIpRanges: ['203.0.113.0/24'] }, userPools: [{ name: 'apps' }] },
    groups,
    admins: ['admins'],
    capsule: { users: 'users' },
    tenants: tenantList,
    workloads,
  });
}
