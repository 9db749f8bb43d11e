import { z } from 'zod';
import {
  containerRegistryNameOf,
  isContainerRegistryName,
  isContainerRegistryResourceId,
  isKeyVaultName,
  isKeyVaultResourceId,
  keyVaultNameOf,
} from '../azure-names';
import type { PlatformIssue } from '../errors';
import { describeValue } from '../errors';
import type { PlatformSpec } from '../types';
import { dnsLabel } from './common';

const KEY_VAULT_NAME_RULE =
  "must be a Key Vault name: 3 to 24 letters, digits and single '-', starting with a letter and ending with a letter or digit";
const REGISTRY_NAME_RULE = 'must be a container registry name: 5 to 50 letters and digits';

export const keyVaultName = z.string().refine(isKeyVaultName, KEY_VAULT_NAME_RULE);

/** Keys a referenced resource cannot take: the resource is managed elsewhere. */
function referenceOnly(keys: readonly string[]) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (v.resourceId === undefined) return;
    for (const key of keys)
      if (v[key] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `cannot be set with resourceId: the ${key === 'name' ? 'name comes from the resource id' : 'referenced resource is managed elsewhere'}`,
        });
  };
}

export const keyVaultSchema = z
  .strictObject({
    tenant: dnsLabel(40)
      .optional()
      .describe('Tenant that owns the vault: only its workloads may read it. Default: the key.'),
    name: keyVaultName
      .optional()
      .describe('Name of the vault the infra stack creates (globally unique). Default: <name>-<key>.'),
    resourceId: z
      .string()
      .refine(
        isKeyVaultResourceId,
        'must be a Key Vault resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>',
      )
      .optional()
      .describe(
        'Resource id of an existing vault (with Azure RBAC authorization) to reference instead of creating one.',
      ),
    sku: z
      .enum(['standard', 'premium'])
      .optional()
      .describe('Created vault: standard, or premium for HSM-protected keys. Default: standard.'),
    softDeleteRetentionDays: z
      .number()
      .int('must be a whole number')
      .min(7, 'must be at least 7')
      .max(90, 'must be at most 90')
      .optional()
      .describe(
        'Created vault: days a deleted vault or object can be recovered (purge protection is always on). Default: 90.',
      ),
    publicNetworkAccess: z
      .boolean()
      .optional()
      .describe(
        'Created vault: reachable from public networks (access still needs an Entra identity with a role on it). false needs a private endpoint in the cluster network, which the platform does not create. Default: true.',
      ),
  })
  .superRefine(referenceOnly(['name', 'sku', 'softDeleteRetentionDays', 'publicNetworkAccess']));

export const keyVaultsSchema = z
  .record(dnsLabel(40), keyVaultSchema)
  .default({})
  .describe(
    "Azure Key Vaults by key, each owned by one tenant; by default one per tenant, under the tenant's name. Created (Azure RBAC, soft delete, purge protection, audit logs to the cluster workspace) or referenced (resourceId).",
  );

export const containerRegistrySchema = z
  .strictObject({
    name: z
      .string()
      .refine(isContainerRegistryName, REGISTRY_NAME_RULE)
      .optional()
      .describe(
        'Name of the registry the infra stack creates (globally unique). Default: <name> without "-".',
      ),
    resourceId: z
      .string()
      .refine(
        isContainerRegistryResourceId,
        'must be a container registry resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name>',
      )
      .optional()
      .describe('Resource id of an existing registry to reference instead of creating one.'),
    sku: z
      .enum(['Standard', 'Premium'])
      .optional()
      .describe('Created registry: Standard, or Premium (zone redundancy, private link). Default: Standard.'),
    publicNetworkAccess: z
      .boolean()
      .optional()
      .describe(
        'Created registry: reachable from public networks (pulls still need AcrPull). false needs Premium and a private endpoint, which the platform does not create. Default: true.',
      ),
  })
  .superRefine(referenceOnly(['name', 'sku', 'publicNetworkAccess']))
  .optional()
  .describe(
    'An Azure Container Registry the cluster pulls from (AcrPull for the kubelet identity; admin user and anonymous pull off): created, or referenced by resourceId. kyverno.allowedRegistries defaults to it.',
  );

type RawVault = z.output<typeof keyVaultSchema>;
type RawRegistry = NonNullable<z.output<typeof containerRegistrySchema>>;

/** The vaults with their derived defaults: the owning tenant and the vault name. */
export function keyVaultsWithDefaults(platformName: string, vaults: Record<string, RawVault>) {
  return Object.fromEntries(
    Object.entries(vaults).map(([key, v]) => [
      key,
      {
        ...v,
        tenant: v.tenant ?? key,
        name:
          v.resourceId !== undefined ? keyVaultNameOf(v.resourceId) : (v.name ?? `${platformName}-${key}`),
      },
    ]),
  );
}

/** The registry with its derived name. */
export function containerRegistryWithDefaults(platformName: string, registry: RawRegistry | undefined) {
  if (registry === undefined) return undefined;
  return {
    ...registry,
    name:
      registry.resourceId !== undefined
        ? containerRegistryNameOf(registry.resourceId)
        : (registry.name ?? platformName.replace(/-/g, '')),
  };
}

/** Checks of the vaults, the registry and the workloads' Key Vault access (after parsing, with the others). */
export function checkSecrets(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const tenants = spec.tenants.map((t) => t.name);

  const byName = new Map<string, string>();
  const byId = new Map<string, string>();
  for (const [key, v] of Object.entries(spec.keyVaults)) {
    const at = `keyVaults.${key}`;
    if (!tenants.includes(v.tenant)) {
      const known = `known: ${tenants.join(', ') || 'none'}`;
      // The tenant defaults to the key: a key that is no tenant is the usual mistake (a typo).
      if (v.tenant === key)
        add(
          at,
          `${describeValue(key)} is not the name of a tenant: name the vault after its tenant or set tenant (${known})`,
        );
      else add(`${at}.tenant`, `${describeValue(v.tenant)} is not the name of a tenant (${known})`);
    }
    if (v.resourceId === undefined && !isKeyVaultName(v.name)) {
      add(
        `${at}.name`,
        `is not set, and the default ${describeValue(v.name)} (<name>-<key>) ${KEY_VAULT_NAME_RULE}: set a name`,
      );
    }
    const name = v.name.toLowerCase();
    const other = byName.get(name);
    if (other !== undefined)
      add(
        `${at}.${v.resourceId === undefined ? 'name' : 'resourceId'}`,
        `${describeValue(v.name)} is also the vault name of keyVaults.${other}`,
      );
    else byName.set(name, key);
    if (v.resourceId !== undefined) {
      const id = v.resourceId.toLowerCase();
      const same = byId.get(id);
      if (same !== undefined) add(`${at}.resourceId`, `is also the resource id of keyVaults.${same}`);
      byId.set(id, key);
    }
  }

  const registry = spec.containerRegistry;
  if (registry && registry.resourceId === undefined) {
    if (!isContainerRegistryName(registry.name)) {
      add(
        'containerRegistry.name',
        `is not set, and the default ${describeValue(registry.name)} (<name> without "-") ${REGISTRY_NAME_RULE}: set a name`,
      );
    }
    if (registry.publicNetworkAccess === false && registry.sku !== 'Premium') {
      add(
        'containerRegistry.publicNetworkAccess',
        'false needs sku Premium: only a Premium registry can be reached through a private endpoint',
      );
    }
  }

  const clientIdOwners = new Map<string, { tenant: string; index: number }>();
  spec.workloads.forEach((w, i) => {
    const kv = w.keyVault;
    if (!kv) return;
    const at = `workloads[${i}].keyVault`;
    const declared = (name: string) =>
      Object.entries(spec.keyVaults).find(([, v]) => v.name.toLowerCase() === name.toLowerCase());
    if (kv.name !== undefined) {
      if (kv.vault !== undefined)
        add(
          `${at}.vault`,
          'is set with name: name a declared vault (vault) or one made elsewhere (name), not both',
        );
      if (kv.clientId === undefined)
        add(
          `${at}.clientId`,
          `is required with name (a vault the platform does not declare): give the client id of an identity made elsewhere, or declare the vault under keyVaults`,
        );
      if (kv.tenantId === undefined)
        add(`${at}.tenantId`, 'is required with name (a vault the platform does not declare)');
      const match = declared(kv.name);
      if (match) {
        const [key, v] = match;
        add(
          `${at}.name`,
          v.tenant === w.tenant
            ? `${describeValue(kv.name)} is the vault keyVaults.${key}: write vault: ${key}`
            : `${describeValue(kv.name)} is the vault of tenant ${v.tenant} (keyVaults.${key}): a workload of tenant ${w.tenant} cannot read it`,
        );
      }
    } else {
      const key = kv.vault ?? w.tenant;
      const vault = spec.keyVaults[key];
      if (!vault) {
        if (kv.vault !== undefined)
          add(
            `${at}.vault`,
            `${describeValue(kv.vault)} is not a key of keyVaults (known: ${Object.keys(spec.keyVaults).join(', ') || 'none'})`,
          );
        else
          add(
            at,
            `reads from the vault of tenant ${w.tenant}, and keyVaults has no entry ${describeValue(w.tenant)}: declare keyVaults.${w.tenant} (the tenant's vault), name another vault of the tenant with vault, or one made elsewhere with name`,
          );
      } else if (vault.tenant !== w.tenant) {
        add(
          `${at}.vault`,
          `${describeValue(key)} is the vault of tenant ${vault.tenant}: a workload of tenant ${w.tenant} cannot read it`,
        );
      }
      if (kv.tenantId !== undefined && kv.clientId === undefined)
        add(
          `${at}.tenantId`,
          'only goes with clientId (an identity made elsewhere): the identity the infra stack creates is in the platform tenant',
        );
    }
    if (kv.clientId !== undefined) {
      const owner = clientIdOwners.get(kv.clientId);
      if (owner && owner.tenant !== w.tenant)
        add(
          `${at}.clientId`,
          `${describeValue(kv.clientId)} is also the client id of workloads[${owner.index}] of tenant ${owner.tenant}: no identity is shared between tenants`,
        );
      else if (!owner) clientIdOwners.set(kv.clientId, { tenant: w.tenant, index: i });
    }
  });
  return issues;
}
