import type { PlatformSpec, WorkloadSpec } from './types';

/** How one workload reads Key Vault: from which vault, and as whom. */
export interface WorkloadKeyVaultAccess {
  /** Index of the workload in `workloads`. */
  readonly workloadIndex: number;
  readonly workload: WorkloadSpec;
  /**
   * Key of the vault in `keyVaults`.
   * @default - a vault the platform does not declare (`keyVault.name`)
   */
  readonly vaultKey?: string;
  /** Name of the vault (what the SecretProviderClass names). */
  readonly vaultName: string;
  /**
   * Client id of an identity made elsewhere.
   * @default - the identity the infra stack creates for the workload
   */
  readonly clientId?: string;
  /**
   * Entra ID tenant of an identity made elsewhere.
   * @default - the platform's tenant
   */
  readonly tenantId?: string;
}

/**
 * Every workload of a validated platform that reads Key Vault, in `workloads` order. A workload
 * reads the vault it names (`vault`), else its tenant's (`keyVaults.<tenant>`), else the vault
 * made elsewhere of `name`.
 */
export function keyVaultAccesses(spec: PlatformSpec): WorkloadKeyVaultAccess[] {
  const accesses: WorkloadKeyVaultAccess[] = [];
  spec.workloads.forEach((workload, workloadIndex) => {
    const kv = workload.keyVault;
    if (!kv) return;
    const common = { workloadIndex, workload, clientId: kv.clientId, tenantId: kv.tenantId };
    if (kv.name !== undefined) {
      accesses.push({ ...common, vaultName: kv.name });
      return;
    }
    const vaultKey = kv.vault ?? workload.tenant;
    const vault = spec.keyVaults[vaultKey];
    if (!vault)
      throw new Error(`workloads[${workloadIndex}]: no vault ${vaultKey} (the spec checks refuse this)`);
    accesses.push({ ...common, vaultKey, vaultName: vault.name });
  });
  return accesses;
}
