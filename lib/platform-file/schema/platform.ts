import { z } from 'zod';
import { APP_ROUTING_INGRESS_CLASS, APP_ROUTING_NAMESPACE } from '../aks';
import { groupKey, uuid } from './common';
import { clusterSchema } from './cluster';
import { groupsSchema } from './groups';
import { kyvernoSchema } from './kyverno';
import { capsuleSchema } from './capsule';
import { ingressSchema, tenantSchema } from './tenants';
import { workloadSchema } from './workloads';
import { stateBackendSchema } from './state-backend';
import {
  containerRegistrySchema,
  containerRegistryWithDefaults,
  keyVaultsSchema,
  keyVaultsWithDefaults,
} from './secrets';
import { containerRegistryLoginServer } from '../azure-names';
import type { PlatformSpec } from '../types';

const resourceGroupName = z
  .string()
  .refine(
    (v) => /^[-\w.()]{1,90}$/.test(v) && !v.endsWith('.'),
    "must be a resource group name: at most 90 letters, digits, '_', '-', '.', '(', ')', not ending with '.'",
  );

/** The platform file as written: every key of the contract, with its default. */
export const platformFileSchema = z.strictObject({
  name: z
    .string()
    .refine(
      (v) => /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/.test(v),
      "must be 3 to 40 lowercase letters, digits and '-', starting with a letter (it prefixes Azure resource names)",
    )
    .describe('Prefix of the Azure resource names.'),
  azure: z.strictObject({
    subscriptionId: uuid
      .optional()
      .describe(
        'Azure subscription of the platform. Default: the ARM_SUBSCRIPTION_ID environment variable (azurerm 4 requires one).',
      ),
    location: z
      .string()
      .refine(
        (v) => /^[a-z][a-z0-9]+$/.test(v),
        'must be an Azure region name in lowercase (e.g. francecentral)',
      )
      .describe('Azure region.'),
    resourceGroup: resourceGroupName.optional().describe('Resource group of the cluster. Default: <name>.'),
    nodeResourceGroup: resourceGroupName
      .optional()
      .describe('Resource group AKS manages for the nodes. Default: <resourceGroup>-nodes.'),
    state: stateBackendSchema,
  }),
  cluster: clusterSchema,
  groups: groupsSchema,
  admins: z
    .array(groupKey)
    .min(1, 'needs at least one admin group: local accounts are disabled')
    .describe('Group keys with cluster-admin.'),
  kyverno: kyvernoSchema.prefault({}),
  capsule: capsuleSchema,
  ingress: ingressSchema,
  containerRegistry: containerRegistrySchema,
  tenants: z.array(tenantSchema).default([]).describe('Capsule tenants.'),
  keyVaults: keyVaultsSchema,
  workloads: z.array(workloadSchema).default([]).describe('Tenant applications, hardened by default.'),
});

/** The platform file as parsed, before the derived defaults (internal: zod's types stay inside). */
export type PlatformFile = z.output<typeof platformFileSchema>;

/** Derived defaults, applied once after parsing. */
export function applyDerivedDefaults(file: PlatformFile): PlatformSpec {
  return withDerivedDefaults(file);
}

function withDerivedDefaults(file: PlatformFile) {
  const resourceGroup = file.azure.resourceGroup ?? file.name;
  // The application routing add-on is the ingress controller unless the file names another, and
  // every tenant may use its IngressClass.
  const appRouting = file.cluster.addons.applicationRouting;
  const ingress =
    file.ingress ??
    (appRouting ? { namespace: APP_ROUTING_NAMESPACE, className: APP_ROUTING_INGRESS_CLASS } : undefined);
  const { containerRegistry: written, ...rest } = file;
  const containerRegistry = containerRegistryWithDefaults(file.name, written);
  // Absent stays absent (an optional key), as in the file.
  const registry: { containerRegistry?: typeof containerRegistry } = {};
  if (containerRegistry) registry.containerRegistry = containerRegistry;
  return {
    ...rest,
    ...registry,
    ...(ingress !== undefined && { ingress }),
    tenants: appRouting
      ? file.tenants.map((t) => ({
          ...t,
          ingressClasses: t.ingressClasses.includes(APP_ROUTING_INGRESS_CLASS)
            ? t.ingressClasses
            : [...t.ingressClasses, APP_ROUTING_INGRESS_CLASS],
        }))
      : file.tenants,
    keyVaults: keyVaultsWithDefaults(file.name, file.keyVaults),
    kyverno: {
      ...file.kyverno,
      // The platform's own registry, when it has one, is where images come from.
      allowedRegistries:
        file.kyverno.allowedRegistries ??
        (containerRegistry ? [containerRegistryLoginServer(containerRegistry.name)] : []),
    },
    azure: {
      ...file.azure,
      resourceGroup,
      nodeResourceGroup: file.azure.nodeResourceGroup ?? `${resourceGroup}-nodes`,
    },
    capsule: {
      ...file.capsule,
      proxy: { ...file.capsule.proxy, dnsLabel: file.capsule.proxy.dnsLabel ?? `${file.name}-capsule-proxy` },
    },
  };
}

// The published interfaces (../types.ts) and the schema must describe the same data: a key added
// to one and not the other fails the build here.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Deep<T> = T extends readonly (infer U)[]
  ? Deep<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Deep<T[K]> }
    : T;
export const SPEC_MATCHES_SCHEMA: Same<
  Deep<ReturnType<typeof withDerivedDefaults>>,
  Deep<PlatformSpec>
> = true;
