import type { PlatformIssue } from './errors';
import { describeValue } from './errors';
import { parseQuantity } from './formats';
import { checkCapsule } from './schema/capsule';
import { checkCluster } from './schema/cluster';
import { checkKyverno } from './schema/kyverno';
import type { PlatformSpec } from './types';
import { checkTenants } from './schema/tenants';
import { checkWorkloads } from './schema/workloads';
import { firstTenantByName } from './schema/common';
import { checkSecrets } from './schema/secrets';

/**
 * Namespaces of the platform itself; no tenant may own them or a prefix of them, and the
 * policies skip them (but `default`). Only what the platform runs: an excluded namespace is a
 * place where anyone allowed to write there escapes every policy. (`gatekeeper-system` belongs
 * to the Azure Policy add-on, which the platform never enables.)
 */
export function systemNamespaces(spec: PlatformSpec): string[] {
  return [
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
    'cert-manager',
    spec.kyverno.namespace,
    spec.kyverno.exceptionNamespace,
    spec.capsule.namespace,
    ...(spec.ingress ? [spec.ingress.namespace] : []),
    // AKS runs Calico (operator and node agents, privileged on the host) in these namespaces.
    ...(spec.cluster.network.policy === 'calico' ? ['calico-system', 'tigera-operator'] : []),
  ].filter((v, i, a) => a.indexOf(v) === i);
}

/**
 * Checks that need the whole file: references between sections, uniqueness, and combinations
 * that would give an ambiguous or broken platform.
 */
export function crossCheck(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const groupKeys = new Set(Object.keys(spec.groups));
  const known = [...groupKeys].join(', ') || 'none';
  const checkGroupRef = (path: string, key: string) => {
    if (!groupKeys.has(key)) add(path, `${describeValue(key)} is not a key of groups (known: ${known})`);
  };

  // Groups: the same Entra group twice under two keys is ambiguous.
  const byName = new Map<string, string>();
  const byId = new Map<string, string>();
  for (const [key, g] of Object.entries(spec.groups)) {
    if (g.displayName !== undefined) {
      const other = byName.get(g.displayName.toLowerCase());
      if (other)
        add(
          `groups.${key}.displayName`,
          `${describeValue(g.displayName)} is also the display name of groups.${other}`,
        );
      byName.set(g.displayName.toLowerCase(), key);
    }
    if (g.objectId !== undefined) {
      const other = byId.get(g.objectId);
      if (other)
        add(
          `groups.${key}.objectId`,
          `${describeValue(g.objectId)} is also the object id of groups.${other}`,
        );
      byId.set(g.objectId, key);
    }
  }

  // Admins and Capsule users.
  const admins = new Set(spec.admins);
  spec.admins.forEach((k, i) => checkGroupRef(`admins[${i}]`, k));
  if (admins.size !== spec.admins.length) add('admins', 'lists the same group twice');
  checkGroupRef('capsule.users', spec.capsule.users);
  if (admins.has(spec.capsule.users)) {
    add(
      'capsule.users',
      `${describeValue(spec.capsule.users)} is also an admin group: Capsule ignores admin groups, so its members would not be Capsule users`,
    );
  }

  spec.capsule.administrators.forEach((a, i) => {
    const at = `capsule.administrators[${i}].name`;
    if (a.kind === 'Group') {
      checkGroupRef(at, a.name);
      if (admins.has(a.name))
        add(
          at,
          `${describeValue(a.name)} is an admin group, which Capsule ignores: it cannot be an administrator too`,
        );
    }
    if (
      a.kind === 'ServiceAccount' &&
      !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(a.name)
    ) {
      add(at, `${describeValue(a.name)} must be "<namespace>:<service account name>"`);
    }
  });

  // Node pools.
  const poolNames = new Set<string>();
  spec.cluster.userPools.forEach((p, i) => {
    if (p.name === 'system') add(`cluster.userPools[${i}].name`, '"system" is the name of the system pool');
    if (poolNames.has(p.name))
      add(`cluster.userPools[${i}].name`, `${describeValue(p.name)} is used by another user pool`);
    poolNames.add(p.name);
  });

  // Tenants.
  const system = systemNamespaces(spec);
  const tenantNames = new Map<string, number>();
  spec.tenants.forEach((t, i) => {
    const at = `tenants[${i}]`;
    if (tenantNames.has(t.name))
      add(`${at}.name`, `${describeValue(t.name)} is also the name of tenants[${tenantNames.get(t.name)}]`);
    else tenantNames.set(t.name, i);
    t.owners.forEach((o, j) => {
      checkGroupRef(`${at}.owners[${j}]`, o);
      if (admins.has(o))
        add(
          `${at}.owners[${j}]`,
          `${describeValue(o)} is an admin group: Capsule ignores admin groups, so it cannot own a tenant`,
        );
    });
    if (new Set(t.owners).size !== t.owners.length) add(`${at}.owners`, 'lists the same group twice');
    const shadowed = system.filter((ns) => ns.startsWith(`${t.name}-`) || ns === t.name);
    if (shadowed.length > 0) {
      add(`${at}.name`, `${describeValue(t.name)} would prefix the system namespace ${shadowed.join(', ')}`);
    }
    if (t.nodePool !== undefined && !poolNames.has(t.nodePool)) {
      add(
        `${at}.nodePool`,
        `${describeValue(t.nodePool)} is not the name of a cluster.userPools entry (known: ${[...poolNames].join(', ') || 'none'})`,
      );
    }
    const req = t.limits?.defaultRequest;
    const lim = t.limits?.default;
    for (const r of ['cpu', 'memory'] as const) {
      const a = req?.[r];
      const b = lim?.[r];
      if (a !== undefined && b !== undefined && quantityValue(a) > quantityValue(b)) {
        add(
          `${at}.limits.defaultRequest.${r}`,
          `${describeValue(a)} is more than the default limit ${describeValue(b)}`,
        );
      }
    }
  });
  // With the prefix rule, tenant "dev" would also match the namespaces of a tenant "dev-team".
  if (spec.capsule.forceTenantPrefix) {
    for (const [i, j] of prefixedTenants(spec.tenants)) {
      const [a, b] = [spec.tenants[i], spec.tenants[j]];
      add(
        `tenants[${j}].name`,
        `${describeValue(b.name)} starts with "${a.name}-", the namespace prefix of tenants[${i}]: their namespaces would be ambiguous`,
      );
    }
  }

  // Workloads.
  const namespaceOwner = new Map<string, string>();
  const workloadIds = new Map<string, number>();
  const namespacesByTenant = new Map<string, Set<string>>();
  const tenantByName = firstTenantByName(spec.tenants);
  spec.workloads.forEach((w, i) => {
    const at = `workloads[${i}]`;
    const tenant = tenantByName.get(w.tenant);
    if (!tenant) {
      add(
        `${at}.tenant`,
        `${describeValue(w.tenant)} is not the name of a tenant (known: ${spec.tenants.map((t) => t.name).join(', ') || 'none'})`,
      );
    } else {
      if (spec.capsule.forceTenantPrefix && !w.namespace.startsWith(`${w.tenant}-`)) {
        add(
          `${at}.namespace`,
          `${describeValue(w.namespace)} must start with "${w.tenant}-" (capsule.forceTenantPrefix is on)`,
        );
      }
      const set = namespacesByTenant.get(w.tenant) ?? new Set<string>();
      set.add(w.namespace);
      namespacesByTenant.set(w.tenant, set);
    }
    if (system.includes(w.namespace))
      add(`${at}.namespace`, `${describeValue(w.namespace)} is a system namespace`);
    const owner = namespaceOwner.get(w.namespace);
    if (owner !== undefined && owner !== w.tenant) {
      add(`${at}.namespace`, `${describeValue(w.namespace)} already belongs to tenant "${owner}"`);
    }
    namespaceOwner.set(w.namespace, w.tenant);
    const id = `${w.namespace}/${w.name}`;
    if (workloadIds.has(id))
      add(
        `${at}.name`,
        `${describeValue(w.name)} is also the name of workloads[${workloadIds.get(id)}] in namespace ${w.namespace}`,
      );
    else workloadIds.set(id, i);
    if (quantityValue(w.resources.requests.memory) > quantityValue(w.resources.limits.memory)) {
      add(
        `${at}.resources.requests.memory`,
        `${describeValue(w.resources.requests.memory)} is more than the memory limit ${describeValue(w.resources.limits.memory)}`,
      );
    }
    const cpuLimit = w.resources.limits.cpu;
    if (cpuLimit !== undefined && quantityValue(w.resources.requests.cpu) > quantityValue(cpuLimit)) {
      add(
        `${at}.resources.requests.cpu`,
        `${describeValue(w.resources.requests.cpu)} is more than the CPU limit ${describeValue(cpuLimit)}`,
      );
    }
  });
  spec.tenants.forEach((t, i) => {
    const used = namespacesByTenant.get(t.name)?.size ?? 0;
    if (used > t.namespaceQuota) {
      add(
        `tenants[${i}].namespaceQuota`,
        `${t.namespaceQuota} is less than the ${used} namespaces its workloads need`,
      );
    }
  });

  issues.push(
    ...checkCluster(spec),
    ...checkKyverno(spec),
    ...checkCapsule(spec),
    ...checkTenants(spec),
    ...checkWorkloads(spec),
    ...checkSecrets(spec),
  );
  return issues;
}

/**
 * The pairs [i, j] of tenants where the name of j starts with the name of i and a `-`, ordered
 * by i then j: found from the `-` of each name rather than by comparing every pair.
 */
function prefixedTenants(tenants: readonly { readonly name: string }[]): Array<[number, number]> {
  const indicesByName = new Map<string, number[]>();
  tenants.forEach((t, i) => indicesByName.set(t.name, [...(indicesByName.get(t.name) ?? []), i]));
  const pairs: Array<[number, number]> = [];
  tenants.forEach((b, j) => {
    for (let dash = b.name.indexOf('-'); dash !== -1; dash = b.name.indexOf('-', dash + 1)) {
      for (const i of indicesByName.get(b.name.slice(0, dash)) ?? []) if (i !== j) pairs.push([i, j]);
    }
  });
  return pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

/** Only called on values the schema has already accepted as quantities. */
function quantityValue(q: string): number {
  const v = parseQuantity(q);
  if (v === undefined) throw new Error(`unparsed quantity ${q}`);
  return v;
}
