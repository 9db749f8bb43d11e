import type { Construct } from 'constructs';
import type { PlatformSpec, TenantSpec } from '../../spec';
import { PlatformError } from '../../spec/errors';
import { Tenant } from './tenant';
import { GuardrailAction, TenantGuardrails } from './tenant-guardrails';
import { ContainerDefaults, PodSecurityLevel, ServiceType } from './tenant-options';
import { TenantQuota } from './tenant-quota';

/** Adds one Capsule Tenant (and the namespaces the platform creates for it) per tenants[] entry. */
export function tenantsFromSpec(
  scope: Construct,
  spec: PlatformSpec,
  groupObjectIds: ReadonlyMap<string, string>,
): void {
  if (spec.tenants.length === 0) return;
  const podSecurity =
    spec.kyverno.podSecurity === 'baseline' ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED;

  // Admin groups are exempt when their ids are known here; otherwise admins change tenant
  // isolation through this code, like everyone else.
  const adminIds = spec.admins
    .map((key) => groupObjectIds.get(key) ?? spec.groups[key]?.objectId)
    .filter((id): id is string => id !== undefined);
  new TenantGuardrails(scope, 'guardrails', {
    exemptGroupIds: adminIds,
    exemptServiceAccountNamespaces: spec.capsule.guardrails.exemptServiceAccountNamespaces,
    capsuleNamespace: spec.capsule.namespace,
    kyvernoNamespace: spec.kyverno.namespace,
    podSecurity,
    action: spec.capsule.guardrails.action === 'Audit' ? GuardrailAction.AUDIT : GuardrailAction.DENY,
  });

  spec.tenants.forEach((t, i) => {
    const ownerGroupIds = t.owners.map((key, j) => {
      const id = groupObjectIds.get(key);
      if (id === undefined) {
        throw new PlatformError(`tenants[${i}].owners[${j}]: no object id was resolved for group "${key}"`);
      }
      return id;
    });
    const namespaces = [
      ...new Set(spec.workloads.filter((w) => w.tenant === t.name).map((w) => w.namespace)),
    ];
    const serviceTypes = [
      ...(t.serviceTypes.nodePort ? [ServiceType.NODE_PORT] : []),
      ...(t.serviceTypes.loadBalancer ? [ServiceType.LOAD_BALANCER] : []),
      ...(t.serviceTypes.externalName ? [ServiceType.EXTERNAL_NAME] : []),
    ];
    new Tenant(scope, t.name, {
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
      forceTenantPrefix: spec.capsule.forceTenantPrefix,
      preventDeletion: t.preventDeletion,
      namespaces,
    });
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
