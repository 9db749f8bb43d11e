import { z } from 'zod';
import type { PlatformIssue } from '../errors';
import type { PlatformSpec } from '../types';
import { dnsLabel, firstTenantByName, groupKey, quantity } from './common';
import { registryHost, uniqueList } from './kyverno';

/** Resource names a tenant quota may budget. */
const QUOTA_RESOURCES = new Set([
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'services.loadbalancers',
  'services.nodeports',
  'persistentvolumeclaims',
  'configmaps',
  'secrets',
  'replicationcontrollers',
  'resourcequotas',
]);

export function isQuotaResource(name: string): boolean {
  return (
    QUOTA_RESOURCES.has(name) ||
    /^count\/[a-z0-9.-]+$/.test(name) ||
    /^[a-z0-9.-]+\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/.test(name)
  );
}

// Keys are checked by a refinement, not a key schema: a bad key inside a union (quota is also
// `none`) would otherwise be reported as the whole value having an unexpected type.
const quotaMap = z.record(z.string(), quantity).superRefine((q, ctx) => {
  for (const key of Object.keys(q).filter((k) => !isQuotaResource(k))) {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message:
        'is budgeted under a name that is not a ResourceQuota resource name (e.g. requests.cpu, limits.memory, pods, count/deployments.apps)',
    });
  }
  if (Object.keys(q).length === 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        'is empty: write the hard limits, leave quota out for the default budget, or write quota: none to have no budget',
    });
  }
});

const cpuMemory = z.strictObject({
  cpu: quantity.optional(),
  memory: quantity.optional(),
});

export const tenantSchema = z.strictObject({
  name: dnsLabel(40).describe('Tenant name; with forceTenantPrefix its namespaces are <name>-<suffix>.'),
  owners: z
    .array(groupKey)
    .min(1, 'a tenant needs at least one owner group')
    .describe('Group keys of the owner groups.'),
  namespaceQuota: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1000)
    .default(10)
    .describe('Maximum number of namespaces.'),
  quota: z
    .union([z.literal('none'), quotaMap])
    .optional()
    .describe(
      'Resource budget shared by all the tenant namespaces (ResourceQuota hard limits). Default: derived from namespaceQuota and limits (see "The budget" in docs/tenants.md); none: no budget at all.',
    ),
  limits: z
    .strictObject({
      defaultRequest: cpuMemory.optional().describe('Default container requests.'),
      default: cpuMemory.optional().describe('Default container limits.'),
    })
    .optional()
    .describe('Default container requests and limits (LimitRange) for containers that set none.'),
  ingressClasses: z
    .array(z.string().min(1))
    .default([])
    .describe('IngressClasses the tenant may use (none when empty).'),
  storageClasses: z
    .array(z.string().min(1))
    .default([])
    .describe('StorageClasses the tenant may use (the cluster default when empty).'),
  serviceTypes: z
    .strictObject({
      loadBalancer: z.boolean().default(false),
      nodePort: z.boolean().default(false),
      externalName: z.boolean().default(false),
    })
    .prefault({})
    .describe('Service types the tenant may create besides ClusterIP.'),
  registries: uniqueList(registryHost)
    .default([])
    .describe(
      "Registry hosts the tenant's images may come from (Capsule containerRegistries; images must name their registry, e.g. docker.io/nginxinc/...); any when empty.",
    ),
  nodePool: z.string().optional().describe('Name of a user node pool the tenant pods are pinned to.'),
  internetEgress: z
    .boolean()
    .default(false)
    .describe('Allow egress to the internet (outside the cluster private ranges).'),
  preventDeletion: z
    .boolean()
    .default(true)
    .describe('Capsule refuses to delete the Tenant (deleting it deletes all its namespaces).'),
});

export const ingressSchema = z
  .strictObject({
    namespace: dnsLabel().describe(
      'Namespace of the ingress controller, admitted to the tenant pods the platform does not manage, and to hardened workloads that ask for an Ingress.',
    ),
    className: z.string().min(1).describe('Its IngressClass name.'),
  })
  .optional()
  .describe('The cluster ingress controller, if any.');

/** Checks of this section that need the whole platform (called after parsing, with the others). */
export function checkTenants(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  if (spec.tenants.length === 0) return issues;
  // The tenant guardrails are ValidatingAdmissionPolicies, served as admissionregistration.k8s.io/v1 from 1.30.
  const version = spec.cluster.kubernetesVersion;
  const m = version === undefined ? null : /^(\d+)\.(\d+)/.exec(version);
  if (m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 30))) {
    issues.push({
      path: 'cluster.kubernetesVersion',
      message: `"${version}" is older than 1.30: the tenant guardrails need ValidatingAdmissionPolicy v1`,
    });
  }
  issues.push(...workloadsTheBudgetWouldRefuse(spec));
  const tenantNamespaces = new Set(spec.workloads.map((w) => w.namespace));
  spec.capsule.guardrails.exemptServiceAccountNamespaces.forEach((ns, i) => {
    const prefixed = spec.tenants.find((t) => spec.capsule.forceTenantPrefix && ns.startsWith(`${t.name}-`));
    if (tenantNamespaces.has(ns) || prefixed) {
      issues.push({
        path: `capsule.guardrails.exemptServiceAccountNamespaces[${i}]`,
        message: `"${ns}" is a tenant namespace: its owners could then rewrite their own isolation`,
      });
    }
  });
  return issues;
}

/**
 * A ResourceQuota on a compute resource refuses every pod that does not declare it. Hardened
 * workloads always declare CPU and memory requests and a memory limit; a CPU limit only when
 * given (or through the tenant's `limits.default.cpu`), ephemeral storage never.
 */
function workloadsTheBudgetWouldRefuse(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const tenantByName = firstTenantByName(spec.tenants);
  spec.workloads.forEach((w, i) => {
    const tenant = tenantByName.get(w.tenant);
    if (tenant === undefined || tenant.quota === undefined || tenant.quota === 'none') return;
    const budgeted = Object.keys(tenant.quota);
    const at = `workloads[${i}].resources`;
    if (
      budgeted.includes('limits.cpu') &&
      w.resources.limits.cpu === undefined &&
      !tenant.limits?.default?.cpu
    ) {
      issues.push({
        path: `${at}.limits.cpu`,
        message: `is not set, and the budget of tenant "${tenant.name}" counts limits.cpu: its pods would be refused (set a CPU limit here, or the tenant's limits.default.cpu)`,
      });
    }
    const ephemeral = budgeted.filter((k) => k.endsWith('ephemeral-storage'));
    if (ephemeral.length > 0) {
      issues.push({
        path: `${at}`,
        message: `declare no ephemeral storage, and the budget of tenant "${tenant.name}" counts ${ephemeral.join(' and ')}: its pods would be refused`,
      });
    }
  });
  return issues;
}
