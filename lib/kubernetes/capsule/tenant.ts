import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConstructError, describeValue } from '../../platform-file/errors';
import { PropProblems } from '../../platform-file/prop-problems';
import { isDnsLabel, isDnsSubdomain, isUuid, parseQuantity } from '../../platform-file/formats';
import { isRegistryHost } from '../../platform-file/schema/kyverno';
import { TenantNamespace, TenantNamespaceOptions } from './tenant-namespace';
import { tenantNetworkPolicies } from './tenant-network-policy';
import {
  ContainerDefaults,
  DEFAULT_CONTAINER_DEFAULTS,
  OWNER_CLUSTER_ROLES,
  QuotaEntry,
  ServiceType,
  TenantRoleBinding,
} from './tenant-options';
import { AGENT_POOL_LABEL, TENANT_LABEL } from '../labels';
import { podSecurityLabels, PodSecurityLevel, PodSecurityVersion } from '../pod-security';
import { QuotaOrigin, TenantQuota, tenantBudgetName } from './tenant-quota';

export const CAPSULE_API_VERSION = 'capsule.clastix.io/v1beta2';

/** Name of the LimitRange replicated into every namespace of a tenant. */
export const TENANT_LIMIT_RANGE_NAME = 'tenant-container-defaults';

/** The AKS StorageClass that PersistentVolumeClaims without a class get. */
export const AKS_DEFAULT_STORAGE_CLASS = 'default';

export interface TenantProps {
  /** Tenant name; its namespaces are `<name>-<suffix>` with the prefix rule. A DNS label. */
  readonly name: string;
  /**
   * Entra ID object ids of the owner groups. Each becomes an owner of kind Group with the cluster
   * roles `admin` and `capsule-namespace-deleter` in every namespace of the tenant.
   */
  readonly ownerGroupIds: string[];
  /** Maximum number of namespaces. @default 10 */
  readonly namespaceQuota?: number;
  /**
   * Resource budget shared by all the tenant's namespaces: `TenantQuota.of([...])`, or
   * `TenantQuota.none()` to opt out.
   * @default TenantQuota.derived() - derived from namespaceQuota and the container defaults
   */
  readonly quota?: TenantQuota;
  /**
   * Requests and limits of containers that set none. Given: used as is.
   * @default - requests 100m CPU and 128Mi memory, a 256Mi memory limit, no CPU limit
   */
  readonly containerDefaults?: ContainerDefaults;
  /** IngressClasses the tenant may use. @default - none: the tenant cannot create Ingresses */
  readonly ingressClasses?: string[];
  /** StorageClasses the tenant may use. @default ['default'] (the AKS default StorageClass) */
  readonly storageClasses?: string[];
  /** Service types allowed besides ClusterIP. @default - ClusterIP only */
  readonly allowedServiceTypes?: ServiceType[];
  /** User node pool the tenant's pods are pinned to. @default - no node selector */
  readonly nodePool?: string;
  /** RoleBindings kept in every namespace of the tenant besides the owners' ones. @default - none */
  readonly roleBindings?: TenantRoleBinding[];
  /** Allow egress to internet addresses (never to private, link-local or Azure platform ranges). @default false */
  readonly internetEgress?: boolean;
  /**
   * Namespace of the ingress controller, admitted to the tenant's pods that are not hardened
   * workloads (those admit it through their own NetworkPolicy when they ask for an Ingress).
   * @default - none
   */
  readonly ingressControllerNamespace?: string;
  /** Level Pod Security Admission enforces in the tenant's namespaces. @default PodSecurityLevel.RESTRICTED */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Kubernetes minor of the Pod Security Standards in the tenant's namespaces (their `*-version`
   * labels): the cluster's minor.
   * @default PodSecurityVersion.LATEST
   */
  readonly podSecurityVersion?: PodSecurityVersion;
  /**
   * Registry hosts the tenant's images may come from (Capsule `containerRegistries`): Capsule
   * refuses a pod whose image names another registry, or none (`nginx:1.27` names none; write
   * `docker.io/library/nginx:1.27`).
   * @default - any registry
   */
  readonly containerRegistries?: string[];
  /** Namespaces must be named `<name>-<suffix>`. @default true */
  readonly forceTenantPrefix?: boolean;
  /** Refuse the deletion of the Tenant (which would delete all its namespaces). @default true */
  readonly preventDeletion?: boolean;
  /** Namespaces the platform creates for the tenant (see `addNamespace`). @default - none */
  readonly namespaces?: string[];
}

/**
 * A Capsule tenant (`capsule.clastix.io/v1beta2` Tenant) owned by Entra ID groups, with its
 * isolation and budget: a GlobalTenantResource replicates the tenant's NetworkPolicies (default-deny,
 * see `tenantNetworkPolicies`) and a LimitRange into each of its namespaces, a GlobalResourceQuota
 * holds the budget they share (see `TenantQuota`), and every namespace carries Pod Security
 * Admission labels.
 */
export class Tenant extends Construct {
  public readonly name: string;
  public readonly namespaceQuota: number;
  public readonly podSecurity: PodSecurityLevel;
  public readonly podSecurityVersion: PodSecurityVersion;
  public readonly forceTenantPrefix: boolean;
  public readonly internetEgress: boolean;
  public readonly ingressControllerNamespace?: string;
  /** The Tenant object. */
  public readonly apiObject: ApiObject;
  /** The GlobalTenantResource replicating the NetworkPolicies and LimitRange. */
  public readonly baseline: ApiObject;
  /** The budget's hard limits, sorted by resource; empty when the tenant has none. */
  public readonly quota: QuotaEntry[];
  /** Where the budget comes from. */
  public readonly quotaOrigin: QuotaOrigin;
  /** The GlobalResourceQuota holding the budget; undefined with `TenantQuota.none()`. */
  public readonly budget?: ApiObject;
  private readonly platformNamespaces: TenantNamespace[] = [];

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    // Every problem of the props is reported together, before anything is built.
    const problems = new PropProblems('Tenant', this.node.path);
    this.name = checkName(problems, props.name);
    this.namespaceQuota = checkNamespaceQuota(problems, props.namespaceQuota ?? 10);
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    this.podSecurityVersion = props.podSecurityVersion ?? PodSecurityVersion.LATEST;
    this.forceTenantPrefix = props.forceTenantPrefix ?? true;
    this.internetEgress = props.internetEgress ?? false;
    this.ingressControllerNamespace = checkOptionalNamespace(problems, props.ingressControllerNamespace);
    const owners = checkGroupIds(problems, 'ownerGroupIds', props.ownerGroupIds);
    if (owners.length === 0) problems.add('ownerGroupIds', 'needs at least one group');
    const defaults = checkContainerDefaults(problems, props.containerDefaults ?? DEFAULT_CONTAINER_DEFAULTS);
    const quota = props.quota ?? TenantQuota.derived();
    this.quotaOrigin = quota.origin;
    // The default budget is computed from namespaceQuota and the defaults: only once they are valid.
    this.quota = problems.size > 0 ? [] : quota.resolve(this.namespaceQuota, defaults);
    const serviceTypes = new Set(props.allowedServiceTypes ?? []);
    const roleBindings = (props.roleBindings ?? []).map((b, i) =>
      checkRoleBinding(problems, `roleBindings[${i}]`, b),
    );
    const registries = checkRegistries(problems, props.containerRegistries ?? []);
    const ingressClasses = checkClassNames(problems, 'ingressClasses', props.ingressClasses ?? []);
    const storageClasses = checkClassNames(
      problems,
      'storageClasses',
      props.storageClasses ?? [AKS_DEFAULT_STORAGE_CLASS],
    );
    if (props.nodePool !== undefined && !/^[a-z][a-z0-9]{0,11}$/.test(props.nodePool)) {
      problems.add(
        'nodePool',
        `${describeValue(props.nodePool)} is not an AKS node pool name (lowercase letters and digits, at most 12)`,
      );
    }
    problems.throwIfAny();

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: CAPSULE_API_VERSION,
      kind: 'Tenant',
      metadata: { name: this.name, labels: { [TENANT_LABEL]: this.name } },
      spec: {
        owners: owners.map((groupId) => ({
          kind: 'Group',
          name: groupId,
          clusterRoles: [...OWNER_CLUSTER_ROLES],
        })),
        forceTenantPrefix: this.forceTenantPrefix,
        preventDeletion: props.preventDeletion ?? true,
        namespaceOptions: {
          quota: this.namespaceQuota,
          // Deprecated in 0.14 for rules[].enforce.metadata, which Capsule marks "not final".
          additionalMetadataList: [{ labels: podSecurityLabels(this.podSecurity, this.podSecurityVersion) }],
        },
        // Deprecated in 0.14 for rules[].enforce.services, which Capsule marks "not final".
        // Written out in full: each type Capsule is not told about is allowed.
        serviceOptions: {
          allowedServices: {
            nodePort: serviceTypes.has(ServiceType.NODE_PORT),
            loadBalancer: serviceTypes.has(ServiceType.LOAD_BALANCER),
            externalName: serviceTypes.has(ServiceType.EXTERNAL_NAME),
          },
          // No externalIPs (CVE-2020-8554): an empty list allows none; Kyverno refuses them too.
          externalIPs: { allowed: [] },
        },
        ingressOptions: {
          // An empty list allows no class; leaving allowedClasses out would allow every class.
          allowedClasses: { allowed: ingressClasses },
          allowWildcardHostnames: false,
          // A hostname taken by one tenant cannot be claimed by another.
          hostnameCollisionScope: 'Cluster',
        },
        storageClasses: { allowed: storageClasses },
        // Deprecated in 0.14 for rules[].enforce.registries, which Capsule marks "not final".
        containerRegistries: registries.length > 0 ? { allowed: registries } : undefined,
        nodeSelector: props.nodePool !== undefined ? { [AGENT_POOL_LABEL]: props.nodePool } : undefined,
        additionalRoleBindings:
          roleBindings.length > 0
            ? roleBindings.map((b) => ({
                clusterRoleName: b.clusterRole,
                subjects: b.groupIds.map((g) => ({
                  kind: 'Group',
                  apiGroup: 'rbac.authorization.k8s.io',
                  name: g,
                })),
              }))
            : undefined,
      },
    });

    // Tenant.spec.networkPolicies and .limitRanges are deprecated in 0.14 for replication, which is final.
    this.baseline = new ApiObject(this, 'Baseline', {
      apiVersion: CAPSULE_API_VERSION,
      kind: 'GlobalTenantResource',
      metadata: { name: `tenant-${this.name}-baseline` },
      spec: {
        tenantSelector: { matchLabels: { [TENANT_LABEL]: this.name } },
        scope: 'Namespace',
        resyncPeriod: '60s',
        pruningOnDelete: true,
        // force: a field edited by anyone else is taken back at the next resync.
        settings: { adopt: false, force: true },
        resources: [
          {
            rawItems: [
              ...tenantNetworkPolicies({
                tenant: this.name,
                internetEgress: this.internetEgress,
                ingressControllerNamespace: this.ingressControllerNamespace,
              }),
              limitRange(defaults),
            ].filter((item): item is Record<string, unknown> => item !== undefined),
          },
        ],
      },
    });
    this.baseline.addDependency(this.apiObject);

    // Tenant.spec.resourceQuotas is deprecated in 0.14 for rules[].quota, which Capsule marks "not
    // final" and turns into this very object: a GlobalResourceQuota over the tenant's namespaces.
    if (this.quota.length > 0) {
      this.budget = new ApiObject(this, 'Budget', {
        apiVersion: CAPSULE_API_VERSION,
        kind: 'GlobalResourceQuota',
        metadata: { name: tenantBudgetName(this.name) },
        spec: {
          namespaceSelectors: [{ matchLabels: { [TENANT_LABEL]: this.name } }],
          quota: { hard: Object.fromEntries(this.quota.map((q) => [q.resource, q.hard])) },
        },
      });
      this.budget.addDependency(this.apiObject);
    }

    (props.namespaces ?? []).forEach((ns, i) =>
      problems.check(() => this.addNamespace({ name: ns }), `namespaces[${i}]`),
    );
    problems.throwIfAny();
  }

  /** Namespaces added with `addNamespace` (or the `namespaces` prop), in order. */
  public get namespaces(): string[] {
    return this.platformNamespaces.map((n) => n.name);
  }

  /** Creates a namespace of this tenant (applied after the Tenant, so Capsule can assign it). */
  public addNamespace(options: TenantNamespaceOptions): TenantNamespace {
    const refuse = (reason: string) => {
      throw new ConstructError('Tenant', this.node.path, [{ prop: 'name', reason }]);
    };
    if (this.namespaces.includes(options.name)) refuse(`${describeValue(options.name)} is added twice`);
    if (this.platformNamespaces.length + 1 > this.namespaceQuota) {
      refuse(
        `${describeValue(options.name)} would be namespace ${this.platformNamespaces.length + 1}, over the namespaceQuota of ${this.namespaceQuota}`,
      );
    }
    const ns = new TenantNamespace(this, `Namespace-${options.name}`, {
      ...options,
      tenant: this.name,
      forceTenantPrefix: this.forceTenantPrefix,
      podSecurity: this.podSecurity,
      podSecurityVersion: this.podSecurityVersion,
    });
    ns.apiObject.addDependency(this.apiObject);
    this.platformNamespaces.push(ns);
    return ns;
  }
}

function limitRange(d: ContainerDefaults): Record<string, unknown> | undefined {
  const defaultRequest = compact({ cpu: d.cpuRequest, memory: d.memoryRequest });
  const defaults = compact({ cpu: d.cpuLimit, memory: d.memoryLimit });
  if (defaultRequest === undefined && defaults === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: TENANT_LIMIT_RANGE_NAME },
    spec: { limits: [{ type: 'Container', defaultRequest, default: defaults }] },
  };
}

function compact(values: Record<string, string | undefined>): Record<string, string> | undefined {
  const entries = Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function checkName(problems: PropProblems, name: string): string {
  if (!isDnsLabel(name)) {
    problems.add(
      'name',
      `${describeValue(name)} is not a DNS label (lowercase letters, digits and '-', at most 63 characters)`,
    );
  }
  return name;
}

function checkNamespaceQuota(problems: PropProblems, n: number): number {
  if (!Number.isInteger(n) || n < 1) {
    problems.add('namespaceQuota', `${describeValue(n)} is not a whole number of at least 1`);
  }
  return n;
}

function checkOptionalNamespace(problems: PropProblems, ns: string | undefined): string | undefined {
  if (ns !== undefined && !isDnsLabel(ns)) {
    problems.add('ingressControllerNamespace', `${describeValue(ns)} is not a namespace name`);
  }
  return ns;
}

function checkGroupIds(problems: PropProblems, prop: string, ids: string[]): string[] {
  const seen = new Set<string>();
  return ids.map((id, i) => {
    if (!isUuid(id)) {
      problems.add(
        `${prop}[${i}]`,
        `${describeValue(id)} is not an Entra ID object id (a UUID such as 0fd5e5bb-39bb-468c-b343-dcdfb01e92d0)`,
      );
    }
    const lower = id.toLowerCase();
    if (seen.has(lower)) problems.add(`${prop}[${i}]`, `${describeValue(lower)} is listed twice`);
    seen.add(lower);
    return lower;
  });
}

function checkContainerDefaults(problems: PropProblems, d: ContainerDefaults): ContainerDefaults {
  const fields = ['cpuRequest', 'memoryRequest', 'cpuLimit', 'memoryLimit'] as const;
  for (const f of fields) {
    const v = d[f];
    if (v !== undefined && parseQuantity(v) === undefined) {
      problems.add(`containerDefaults.${f}`, `${describeValue(v)} is not a Kubernetes quantity`);
    }
  }
  for (const [req, lim] of [
    ['cpuRequest', 'cpuLimit'],
    ['memoryRequest', 'memoryLimit'],
  ] as const) {
    const r = d[req] === undefined ? undefined : parseQuantity(d[req]!);
    const l = d[lim] === undefined ? undefined : parseQuantity(d[lim]!);
    if (r !== undefined && l !== undefined && r > l) {
      problems.add(
        `containerDefaults.${req}`,
        `${describeValue(d[req])} is more than containerDefaults.${lim} ${describeValue(d[lim])}`,
      );
    }
  }
  return d;
}

function checkRoleBinding(problems: PropProblems, at: string, b: TenantRoleBinding): TenantRoleBinding {
  if (!/^[a-z0-9]([a-z0-9:._-]{0,251}[a-z0-9])?$/.test(b.clusterRole)) {
    problems.add(`${at}.clusterRole`, `${describeValue(b.clusterRole)} is not a ClusterRole name`);
  } else if (b.clusterRole === 'cluster-admin') {
    problems.add(
      `${at}.clusterRole`,
      `"cluster-admin" would let its groups edit the tenant's quota, limits and network isolation; use admin, edit or view`,
    );
  }
  const groupIds = checkGroupIds(problems, `${at}.groupIds`, b.groupIds);
  if (groupIds.length === 0) problems.add(`${at}.groupIds`, 'needs at least one group');
  return { clusterRole: b.clusterRole, groupIds };
}

function checkRegistries(problems: PropProblems, hosts: string[]): string[] {
  hosts.forEach((h, i) => {
    if (!isRegistryHost(h))
      problems.add(
        `containerRegistries[${i}]`,
        `${describeValue(h)} is not a registry host (e.g. myregistry.azurecr.io or localhost:5000; no scheme, no path)`,
      );
  });
  return [...new Set(hosts)];
}

function checkClassNames(problems: PropProblems, prop: string, names: string[]): string[] {
  names.forEach((n, i) => {
    if (!isDnsSubdomain(n)) problems.add(`${prop}[${i}]`, `${describeValue(n)} is not a class name`);
  });
  return [...new Set(names)];
}
