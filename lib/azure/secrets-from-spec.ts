import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import type { PlatformSpec } from '../platform-file';
import { keyVaultAccesses, workloadIdentityKey, workloadIdentityName } from '../platform-file';
import { TENANT_ID_OUTPUT_NAME, workloadClientIdOutputName } from '../platform-file/outputs';
import type { AksCluster } from './aks-cluster';
import { AzureRole } from './cluster-access';
import { ContainerRegistry, ContainerRegistrySku, type IContainerRegistry } from './container-registry';
import type { IEntraGroup } from './entra-group';
import { type IKeyVault, KeyVault, KeyVaultSku } from './key-vault';
import { PrincipalType } from './role-principal';
import { WorkloadIdentity } from './workload-identity';

/** Name of the infra stack output with the registry's login server. */
export const REGISTRY_LOGIN_SERVER_OUTPUT_NAME = 'container_registry_login_server';

/** What the vaults, identities and registry of the platform file are wired to. */
export interface PlatformSecretsContext {
  readonly spec: PlatformSpec;
  readonly cluster: AksCluster;
  readonly resourceGroupName: string;
  /** The group of a key of the platform file. */
  readonly group: (key: string) => IEntraGroup;
}

/** What addSecretsFromSpec created or referenced. */
export interface PlatformSecrets {
  /** By key of `keyVaults`. */
  readonly keyVaults: Map<string, IKeyVault>;
  /** By workload identity key (`<namespace>/<name>`), for the identities the stack creates. */
  readonly identities: Map<string, WorkloadIdentity>;
  /**
   * The registry of `containerRegistry`.
   * @default - none
   */
  readonly registry?: IContainerRegistry;
}

/**
 * The Key Vaults of `keyVaults` (created, or referenced), one identity per workload that reads
 * a declared vault without an identity of its own, the container registry, and the outputs the
 * Kubernetes app reads: the platform's Entra tenant and each identity's client id.
 */
export function addSecretsFromSpec(stack: Construct, context: PlatformSecretsContext): PlatformSecrets {
  const { spec, cluster } = context;
  const client = new DataAzurermClientConfig(stack, 'current', {});
  const keyVaults = new Map<string, IKeyVault>();
  for (const [key, v] of Object.entries(spec.keyVaults)) {
    if (v.resourceId !== undefined) {
      keyVaults.set(key, KeyVault.fromResourceId(stack, `vault-${key}`, v.resourceId));
      continue;
    }
    const vault = new KeyVault(stack, `vault-${key}`, {
      name: v.name,
      location: spec.azure.location,
      resourceGroupName: context.resourceGroupName,
      tenantId: client.tenantId,
      sku: v.sku === 'premium' ? KeyVaultSku.PREMIUM : KeyVaultSku.STANDARD,
      softDeleteRetentionDays: v.softDeleteRetentionDays,
      publicNetworkAccessEnabled: v.publicNetworkAccess,
      logAnalyticsWorkspaceId: cluster.workspaceId,
    });
    // The tenant's owners keep its secrets: with RBAC authorization nobody else can write them.
    const owners = spec.tenants.find((t) => t.name === v.tenant)?.owners ?? [];
    for (const owner of owners)
      vault.grant(
        `secrets-officer-${owner}`,
        { principalId: context.group(owner).objectId, principalType: PrincipalType.GROUP },
        AzureRole.KEY_VAULT_SECRETS_OFFICER,
      );
    keyVaults.set(key, vault);
  }

  new TerraformOutput(stack, TENANT_ID_OUTPUT_NAME, {
    value: client.tenantId,
    description: 'Entra ID tenant of the workload identities and the Key Vaults',
  }).overrideLogicalId(TENANT_ID_OUTPUT_NAME);

  const identities = new Map<string, WorkloadIdentity>();
  for (const a of keyVaultAccesses(spec)) {
    if (a.clientId !== undefined || a.vaultKey === undefined) continue; // an identity made elsewhere
    const w = a.workload;
    const types = new Set(w.keyVault!.secrets.map((s) => s.type));
    const identity = new WorkloadIdentity(stack, `identity-${w.namespace}--${w.name}`, {
      name: workloadIdentityName(w.namespace, w.name),
      location: spec.azure.location,
      resourceGroupName: context.resourceGroupName,
      oidcIssuerUrl: cluster.resource.oidcIssuerUrl,
      federationName: `${spec.name}-aks`,
      namespace: w.namespace,
      serviceAccount: w.name,
      keyVault: keyVaults.get(a.vaultKey)!,
      // Secret values need Secrets User; keys and certificates are read as their public part.
      keyVaultRoles: [
        ...(types.has('secret') ? [AzureRole.KEY_VAULT_SECRETS_USER] : []),
        ...(types.has('key') || types.has('cert') ? [AzureRole.KEY_VAULT_READER] : []),
      ],
    });
    const name = workloadClientIdOutputName(w.namespace, w.name);
    new TerraformOutput(stack, name, {
      value: identity.clientId,
      description: `Client id of the identity of workload ${w.namespace}/${w.name}`,
    }).overrideLogicalId(name);
    identities.set(workloadIdentityKey(w.namespace, w.name), identity);
  }

  let registry: IContainerRegistry | undefined;
  const r = spec.containerRegistry;
  if (r) {
    registry =
      r.resourceId !== undefined
        ? ContainerRegistry.fromResourceId(stack, 'registry', r.resourceId)
        : new ContainerRegistry(stack, 'registry', {
            name: r.name,
            location: spec.azure.location,
            resourceGroupName: context.resourceGroupName,
            sku: r.sku === 'Premium' ? ContainerRegistrySku.PREMIUM : ContainerRegistrySku.STANDARD,
            publicNetworkAccessEnabled: r.publicNetworkAccess,
            logAnalyticsWorkspaceId: cluster.workspaceId,
          });
    // The nodes pull with the kubelet identity: AcrPull on this registry only.
    registry.grantPull('kubelet-pull', cluster.resource.kubeletIdentity.objectId);
    new TerraformOutput(stack, REGISTRY_LOGIN_SERVER_OUTPUT_NAME, {
      value: registry instanceof ContainerRegistry ? registry.resource.loginServer : registry.loginServer,
      description: 'Host of the container registry the cluster pulls from',
    }).overrideLogicalId(REGISTRY_LOGIN_SERVER_OUTPUT_NAME);
  }
  return { keyVaults, identities, registry };
}
