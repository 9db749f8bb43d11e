import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { PropProblems } from '../../platform-file/prop-problems';
import { isDnsSubdomain, isUuid } from '../../platform-file/formats';
import type { WorkloadLabel } from './workload-options';

/** The Secrets Store CSI driver, as the AKS add-on registers it. */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';

/** Kind of a Key Vault object. */
export enum KeyVaultObjectType {
  SECRET = 'secret',
  KEY = 'key',
  CERTIFICATE = 'cert',
}

/** One Key Vault object read by a workload. */
export interface KeyVaultSecret {
  /** Object name in the vault (1 to 127 letters, digits and '-'). */
  readonly name: string;
  /** @default KeyVaultObjectType.SECRET */
  readonly type?: KeyVaultObjectType;
  /** Version to pin. @default - the latest version, refreshed by the driver's rotation */
  readonly version?: string;
  /** File name under the mount path. @default - the object name */
  readonly fileName?: string;
  /**
   * Also expose the value as this environment variable (through a Secret the driver syncs
   * while a pod mounts the volume). Files follow rotation; variables only on restart.
   * @default - a file only
   */
  readonly envVar?: string;
}

/** Where a workload reads its Key Vault objects, and as whom. */
export interface KeyVaultOptions {
  /** Key Vault name (3 to 24 letters, digits and '-'). */
  readonly vaultName: string;
  /** Entra ID tenant of the vault (a UUID). */
  readonly tenantId: string;
  /**
   * Client id of the managed identity (or app registration) federated with the workload's
   * ServiceAccount and granted read access to the vault (a UUID).
   */
  readonly clientId: string;
  /** Objects to read; at least one. */
  readonly secrets: KeyVaultSecret[];
  /** Directory of the files in the containers. @default '/mnt/secrets-store' */
  readonly mountPath?: string;
}

/** Props of KeyVaultSecrets. */
export interface KeyVaultSecretsProps extends KeyVaultOptions {
  /** Namespace of the SecretProviderClass (that of the pods mounting it). */
  readonly namespace: string;
  /** Name of the SecretProviderClass. */
  readonly name: string;
  /** Labels of the SecretProviderClass and of the synced Secret. @default - none */
  readonly labels?: WorkloadLabel[];
}

/** An environment variable taken from the Secret the driver syncs. */
export interface KeyVaultEnvVar {
  /** Variable name. */
  readonly name: string;
  /** Key of the synced Secret holding its value. */
  readonly key: string;
}

const VAULT_NAME = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
const OBJECT_NAME = /^[A-Za-z0-9-]{1,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FILE_NAME = /^[A-Za-z0-9._-]{1,253}$/;

/**
 * A SecretProviderClass for the Azure Key Vault provider of the Secrets Store CSI driver,
 * authenticated with workload identity. It carries names only: the values are fetched by the
 * driver at mount time and never appear in the YAML.
 */
export class KeyVaultSecrets extends Construct {
  /** Name of the SecretProviderClass. */
  public readonly name: string;
  /** Directory of the files in the containers. */
  public readonly mountPath: string;
  /** Name of the Secret the driver syncs for environment variables, when any is asked for. */
  public readonly syncedSecretName?: string;
  /** The environment variables to take from the synced Secret. */
  public readonly envVars: KeyVaultEnvVar[];

  constructor(scope: Construct, id: string, props: KeyVaultSecretsProps) {
    super(scope, id);
    validate(new PropProblems('KeyVaultSecrets', this.node.path), props);
    this.name = props.name;
    this.mountPath = props.mountPath ?? '/mnt/secrets-store';
    const fileOf = (s: KeyVaultSecret) => s.fileName ?? s.name;
    this.envVars = props.secrets
      .filter((s) => s.envVar !== undefined)
      .map((s) => ({ name: s.envVar as string, key: s.envVar as string }));
    this.syncedSecretName = this.envVars.length > 0 ? `${props.name}-kv` : undefined;
    const labels = Object.fromEntries((props.labels ?? []).map((l) => [l.key, l.value]));

    // The provider reads `objects` as a YAML document whose array items are YAML strings.
    const objects = stringify({
      array: props.secrets.map((s) =>
        stringify({
          objectName: s.name,
          objectType: s.type ?? KeyVaultObjectType.SECRET,
          ...(s.fileName !== undefined ? { objectAlias: s.fileName } : {}),
          ...(s.version !== undefined ? { objectVersion: s.version } : {}),
        }),
      ),
    });

    new ApiObject(this, 'Resource', {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          clientID: props.clientId.toLowerCase(),
          keyvaultName: props.vaultName,
          tenantId: props.tenantId.toLowerCase(),
          objects,
        },
        ...(this.syncedSecretName
          ? {
              secretObjects: [
                {
                  secretName: this.syncedSecretName,
                  type: 'Opaque',
                  labels,
                  data: props.secrets
                    .filter((s) => s.envVar !== undefined)
                    .map((s) => ({ objectName: fileOf(s), key: s.envVar })),
                },
              ],
            }
          : {}),
      },
    });
  }
}

function validate(problems: PropProblems, props: KeyVaultSecretsProps): void {
  const fail = (prop: string, reason: string) => problems.add(prop, reason);
  if (!VAULT_NAME.test(props.vaultName)) {
    fail(
      'vaultName',
      `"${props.vaultName}" is not a Key Vault name (3 to 24 letters, digits and single '-', starting with a letter)`,
    );
  }
  if (!isUuid(props.tenantId)) fail('tenantId', `"${props.tenantId}" is not a UUID`);
  if (!isUuid(props.clientId)) fail('clientId', `"${props.clientId}" is not a UUID`);
  if (!isDnsSubdomain(props.name)) fail('name', `"${props.name}" is not a DNS subdomain`);
  if (props.mountPath !== undefined && !/^\/[^:]*$/.test(props.mountPath)) {
    fail('mountPath', `"${props.mountPath}" is not an absolute path`);
  }
  if (props.secrets.length === 0) fail('secrets', 'lists no object; omit keyVault instead');
  const files = new Set<string>();
  const envs = new Set<string>();
  props.secrets.forEach((s, i) => {
    const at = `secrets[${i}]`;
    if (!OBJECT_NAME.test(s.name))
      fail(`${at}.name`, `"${s.name}" is not a Key Vault object name (1 to 127 letters, digits and '-')`);
    const file = s.fileName ?? s.name;
    if (!FILE_NAME.test(file) || file === '.' || file === '..')
      fail(`${at}.fileName`, `"${file}" is not a file name`);
    if (files.has(file)) fail(at, `file "${file}" is used by another object`);
    files.add(file);
    if (s.envVar !== undefined) {
      if (!ENV_NAME.test(s.envVar)) fail(`${at}.envVar`, `"${s.envVar}" is not an environment variable name`);
      if (envs.has(s.envVar)) fail(`${at}.envVar`, `"${s.envVar}" is used by another object`);
      envs.add(s.envVar);
    }
    if (s.version !== undefined && !/^[0-9a-f]{32}$/i.test(s.version)) {
      fail(`${at}.version`, `"${s.version}" is not a Key Vault object version (32 hex digits)`);
    }
  });
  problems.throwIfAny();
}
