import type { Construct } from 'constructs';
import type { PlatformSpec, TenantSpec } from '../../platform-file';
import { PropError } from '../../platform-file/errors';
import { SpecProblems, type PropKeys } from '../private/spec-problems';
import { Tenant } from './tenant';
import { GuardrailAction, TenantGuardrails } from './tenant-guardrails';
import { ContainerDefaults, ServiceType } from './tenant-options';
import { PodSecurityLevel, PodSecurityVersion } from '../pod-security';
import { TenantQuota } from './tenant-quota';
import { podSecurityVersionOf } from '../../platform-file/schema/kyverno';

/**
 * Adds one Capsule Tenant (and the namespaces the platform creates for it) per tenants[] entry.
 * @throws PlatformValidationError with the problems of every tenant, by platform-file key
 */
export function tenantsFromSpec(
  scope: Construct,
  spec: PlatformSpec,
  groupObjectIds: ReadonlyMap<string, string>,
): void {
  const problems = new SpecProblems();
  addTenants(scope, spec, groupObjectIds, problems);
  problems.throwIfAny();
}

// How the props of the constructs map onto the platform file's keys.
const TENANT_KEYS: PropKeys = [
  ['ownerGroupIds', 'owners'],
  ['containerDefaults.cpuRequest', 'limits.defaultRequest.cpu'],
  ['containerDefaults.memoryRequest', 'limits.defaultRequest.memory'],
  ['containerDefaults.cpuLimit', 'limits.default.cpu'],
  ['containerDefaults.memoryLimit', 'limits.default.memory'],
  ['allowedServiceTypes', 'serviceTypes'],
  ['ingressControllerNamespace', '/ingress.namespace'],
  ['podSecurity', '/kyverno.podSecurity'],
  ['podSecurityVersion', '/kyverno.podSecurityVersion'],
  ['containerRegistries', 'registries'],
  ['forceTenantPrefix', '/capsule.forceTenantPrefix'],
];
const GUARDRAILS_KEYS: PropKeys = [
  ['exemptGroupIds', '/admins'],
  ['capsuleNamespace', '/capsule.namespace'],
  ['kyvernoNamespace', '/kyverno.namespace'],
];

/** tenantsFromSpec, recording problems in `problems` instead of throwing. */
export function addTenants(
  scope: Construct,
  spec: PlatformSpec,
  groupObjectIds: ReadonlyMap<string, string>,
  problems: SpecProblems,
): void {
  if (spec.tenants.length === 0) return;
  const podSecurity =
    spec.kyverno.podSecurity === 'baseline' ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED;
  const podSecurityVersion = PodSecurityVersion.parse(podSecurityVersionOf(spec));

  // Admin groups are exempt when their ids are known here; otherwise admins change tenant
  // isolation through this code, like everyone else.
  const adminIds = spec.admins
    .map((key) => groupObjectIds.get(key) ?? spec.groups[key]?.objectId)
    .filter((id): id is string => id !== undefined);
  problems.build(
    scope,
    'guardrails',
    'capsule.guardrails',
    () =>
      new TenantGuardrails(scope, 'guardrails', {
        exemptGroupIds: adminIds,
        exemptServiceAccountNamespaces: spec.capsule.guardrails.exemptServiceAccountNamespaces,
        capsuleNamespace: spec.capsule.namespace,
        kyvernoNamespace: spec.kyverno.namespace,
        podSecurity,
        podSecurityVersion,
        action: spec.capsule.guardrails.action === 'Audit' ? GuardrailAction.AUDIT : GuardrailAction.DENY,
      }),
    GUARDRAILS_KEYS,
  );

  spec.tenants.forEach((t, i) => {
    // The namespaces the platform creates for the tenant: those of its workloads.
    const namespaces = [
      ...new Set(spec.workloads.filter((w) => w.tenant === t.name).map((w) => w.namespace)),
    ];
    // TenantQuota.of reports its entries in the order of the file's quota keys.
    const keys: PropKeys = [
      ...Object.keys(typeof t.quota === 'object' ? t.quota : {}).flatMap((resource, q) =>
        ['hard', 'resource'].map((field): [string, string] => [
          `entries[${q}].${field}`,
          `quota.${resource}`,
        ]),
      ),
      ...namespaces.map((ns, n): [string, string] => [
        `namespaces[${n}].name`,
        `/workloads[${spec.workloads.findIndex((w) => w.namespace === ns)}].namespace`,
      ]),
      ...TENANT_KEYS,
    ];
    problems.build(
      scope,
      t.name,
      `tenants[${i}]`,
      () => buildTenant(scope, spec, t, namespaces, groupObjectIds, podSecurity, podSecurityVersion),
      keys,
    );
  });
}

function buildTenant(
  scope: Construct,
  spec: PlatformSpec,
  t: TenantSpec,
  namespaces: string[],
  groupObjectIds: ReadonlyMap<string, string>,
  podSecurity: PodSecurityLevel,
  podSecurityVersion: PodSecurityVersion,
): Tenant {
  const ownerGroupIds = t.owners.map((key, j) => {
    const id = groupObjectIds.get(key);
    if (id === undefined)
      throw new PropError(`ownerGroupIds[${j}]`, `no object id was resolved for group "${key}"`);
    return id;
  });
  const serviceTypes = [
    ...(t.serviceTypes.nodePort ? [ServiceType.NODE_PORT] : []),
    ...(t.serviceTypes.loadBalancer ? [ServiceType.LOAD_BALANCER] : []),
    ...(t.serviceTypes.externalName ? [ServiceType.EXTERNAL_NAME] : []),
  ];
  return new Tenant(scope, t.name, {
    name: t.name,
    ownerGroupIds,
    namespaceQuota: t.namespaceQuota,
    quota: quotaFromSpec(t.quota),
    containerDefaults: containerDefaultsFromSpec(t),
    ingressClasses: t.ingressClasses,
    storageClasses: t.storageClasses.length > 0 ? t.storageClasses : undefined,
    allowedServiceTypes: serviceTypes,
    nodePool: t.nodePool,
    internetEgress: t.internetEgress,
    ingressControllerNamespace: spec.ingress?.namespace,
    podSecurity,
    podSecurityVersion,
    containerRegistries: t.registries,
    forceTenantPrefix: spec.capsule.forceTenantPrefix,
    preventDeletion: t.preventDeletion,
    namespaces,
  });
}

/** `tenants[].limits` as container defaults; undefined (the construct's defaults) when absent. */
export function containerDefaultsFromSpec(t: TenantSpec): ContainerDefaults | undefined {
  if (!t.limits) return undefined;
  return {
    cpuRequest: t.limits.defaultRequest?.cpu,
    memoryRequest: t.limits.defaultRequest?.memory,
    cpuLimit: t.limits.default?.cpu,
    memoryLimit: t.limits.default?.memory,
  };
}

/** `tenants[].quota`: hard limits, `none`, or absent for the default budget. */
export function quotaFromSpec(quota: TenantSpec['quota']): TenantQuota {
  if (quota === undefined) return TenantQuota.derived();
  if (quota === 'none') return TenantQuota.none();
  return TenantQuota.of(Object.entries(quota).map(([resource, hard]) => ({ resource, hard })));
}
