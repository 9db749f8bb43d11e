/**
 * Names and resource ids of the Azure resources that hold a platform's secrets and images: Key
 * Vaults, Azure Container Registries, and the managed identities of the workloads.
 */

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const RESOURCE_GROUP = '[-\\w.()]{0,89}[-\\w()]';

function resourceIdPattern(provider: string, type: string, name: string): RegExp {
  return new RegExp(
    `^/subscriptions/${UUID}/resourceGroups/${RESOURCE_GROUP}/providers/${provider}/${type}/(${name})$`,
    'i',
  );
}

const KEY_VAULT_NAME = '[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]';
const REGISTRY_NAME = '[A-Za-z0-9]{5,50}';
const KEY_VAULT_ID = resourceIdPattern('Microsoft\\.KeyVault', 'vaults', KEY_VAULT_NAME);
const REGISTRY_ID = resourceIdPattern('Microsoft\\.ContainerRegistry', 'registries', REGISTRY_NAME);

/** A Key Vault name: 3 to 24 letters, digits and single '-', starting with a letter, not ending with '-'. */
export function isKeyVaultName(value: string): boolean {
  return new RegExp(`^${KEY_VAULT_NAME}$`).test(value);
}

/** The resource id of a Key Vault: `/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>`. */
export function isKeyVaultResourceId(value: string): boolean {
  return KEY_VAULT_ID.test(value);
}

/** The vault name of a Key Vault resource id (validated by isKeyVaultResourceId). */
export function keyVaultNameOf(resourceId: string): string {
  const m = KEY_VAULT_ID.exec(resourceId);
  if (!m) throw new Error(`not a Key Vault resource id: ${resourceId}`);
  return m[1];
}

/** An Azure Container Registry name: 5 to 50 letters and digits. */
export function isContainerRegistryName(value: string): boolean {
  return new RegExp(`^${REGISTRY_NAME}$`).test(value);
}

/** The resource id of a registry: `/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name>`. */
export function isContainerRegistryResourceId(value: string): boolean {
  return REGISTRY_ID.test(value);
}

/** The registry name of a registry resource id (validated by isContainerRegistryResourceId). */
export function containerRegistryNameOf(resourceId: string): string {
  const m = REGISTRY_ID.exec(resourceId);
  if (!m) throw new Error(`not a container registry resource id: ${resourceId}`);
  return m[1];
}

/**
 * The host images of a registry start with (Azure public cloud): registry names are case
 * insensitive and Azure serves them in lowercase.
 */
export function containerRegistryLoginServer(name: string): string {
  return `${name.toLowerCase()}.azurecr.io`;
}

/**
 * Name of the managed identity of a workload: unique per namespace and workload (a DNS label has
 * no `_`, so the two parts cannot be confused), at most 114 characters of the 128 Azure allows.
 */
export function workloadIdentityName(namespace: string, workload: string): string {
  return `${namespace}_${workload}`;
}

/** The subject of the token Kubernetes issues to a ServiceAccount: what a federated credential trusts. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}
