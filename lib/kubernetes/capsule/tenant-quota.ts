import { describeValue, PlatformError } from '../../platform-file/errors';
import { PropProblems } from '../../platform-file/prop-problems';
import { parseQuantity } from '../../platform-file/formats';
import { isQuotaResource } from '../../platform-file/schema/tenants';
import { multiplyQuantity } from './private/quantity';
import type { ContainerDefaults, QuotaEntry } from './tenant-options';

/** Where a tenant's budget comes from. */
export enum QuotaOrigin {
  /** Written out for this tenant. */
  EXPLICIT = 'explicit',
  /** Derived from the tenant's namespace quota and container defaults (see `TenantQuota.derived`). */
  DEFAULT = 'default',
  /** No budget, asked for explicitly: the tenant's namespaces can take the whole cluster. */
  NONE = 'none',
}

/**
 * What the default budget gives each namespace of `namespaceQuota`. Compute is counted in pods
 * of the container defaults' size, so that the budget and the LimitRange agree.
 */
export const DEFAULT_QUOTA_PER_NAMESPACE = {
  /** Pods per namespace; CPU and memory are this many containers of the default size. */
  pods: 10,
  /** Services per namespace. */
  services: 10,
  /** PersistentVolumeClaims per namespace. */
  persistentVolumeClaims: 5,
  /** Storage of each of those claims. */
  storagePerClaim: '10Gi',
} as const;

/**
 * A tenant's resource budget: hard limits shared by all its namespaces (a Capsule
 * GlobalResourceQuota). Every tenant has one unless it says `TenantQuota.none()`.
 */
export class TenantQuota {
  /** These hard limits (ResourceQuota resource names and quantities), as given. */
  public static of(entries: QuotaEntry[]): TenantQuota {
    const checked = checkEntries(entries);
    if (checked.length === 0) {
      throw new PlatformError(
        'TenantQuota.of: no entry; a tenant without a budget is TenantQuota.none(), said explicitly',
      );
    }
    return new TenantQuota(QuotaOrigin.EXPLICIT, checked);
  }

  /**
   * The default budget, derived from the tenant: per namespace of its `namespaceQuota`, 10 pods,
   * 10 Services, 5 PersistentVolumeClaims and 50Gi of storage (`DEFAULT_QUOTA_PER_NAMESPACE`);
   * `requests.cpu` and `requests.memory` for all those pods at the container defaults' requests,
   * and `limits.cpu` / `limits.memory` at their limits. A compute resource the container defaults
   * leave unset is left out of the budget: the quota would otherwise refuse every pod that does
   * not set it.
   */
  public static derived(): TenantQuota {
    return new TenantQuota(QuotaOrigin.DEFAULT, []);
  }

  /** No budget at all: the tenant's namespaces may take the whole cluster. */
  public static none(): TenantQuota {
    return new TenantQuota(QuotaOrigin.NONE, []);
  }

  private constructor(
    /** Where the budget comes from. */
    public readonly origin: QuotaOrigin,
    private readonly entries: QuotaEntry[],
  ) {}

  /**
   * The hard limits for a tenant with these settings, sorted by resource; empty for `none()`.
   * @param namespaceQuota the tenant's maximum number of namespaces
   * @param containerDefaults what the tenant's LimitRange gives containers that set nothing
   */
  public resolve(namespaceQuota: number, containerDefaults: ContainerDefaults): QuotaEntry[] {
    if (this.origin !== QuotaOrigin.DEFAULT) return [...this.entries];
    const per = DEFAULT_QUOTA_PER_NAMESPACE;
    const pods = per.pods * namespaceQuota;
    const claims = per.persistentVolumeClaims * namespaceQuota;
    // A LimitRange without a default request gives its default limit as the request.
    const cpuRequest = containerDefaults.cpuRequest ?? containerDefaults.cpuLimit;
    const memoryRequest = containerDefaults.memoryRequest ?? containerDefaults.memoryLimit;
    const compute: [string, string | undefined][] = [
      ['requests.cpu', cpuRequest],
      ['requests.memory', memoryRequest],
      ['limits.cpu', containerDefaults.cpuLimit],
      ['limits.memory', containerDefaults.memoryLimit],
    ];
    return sortEntries([
      { resource: 'pods', hard: String(pods) },
      { resource: 'services', hard: String(per.services * namespaceQuota) },
      { resource: 'persistentvolumeclaims', hard: String(claims) },
      { resource: 'requests.storage', hard: multiplyQuantity(per.storagePerClaim, claims) },
      ...compute
        .filter((c): c is [string, string] => c[1] !== undefined)
        .map(([resource, each]) => ({ resource, hard: multiplyQuantity(each, pods) })),
    ]);
  }
}

function checkEntries(entries: QuotaEntry[]): QuotaEntry[] {
  const problems = new PropProblems('TenantQuota', 'of');
  const seen = new Set<string>();
  entries.forEach((q, i) => {
    if (!isQuotaResource(q.resource))
      problems.add(
        `entries[${i}].resource`,
        `${describeValue(q.resource)} is not a ResourceQuota resource name (e.g. requests.cpu, limits.memory, pods)`,
      );
    if (parseQuantity(q.hard) === undefined)
      problems.add(`entries[${i}].hard`, `${describeValue(q.hard)} is not a Kubernetes quantity`);
    if (seen.has(q.resource))
      problems.add(`entries[${i}].resource`, `${describeValue(q.resource)} is listed twice`);
    seen.add(q.resource);
  });
  problems.throwIfAny();
  return sortEntries(entries.map((q) => ({ resource: q.resource, hard: q.hard })));
}

function sortEntries(entries: QuotaEntry[]): QuotaEntry[] {
  return [...entries].sort((a, b) => a.resource.localeCompare(b.resource));
}

/** Name of the GlobalResourceQuota that holds the budget of `tenant`. */
export function tenantBudgetName(tenant: string): string {
  return `tenant-${tenant}-budget`;
}
