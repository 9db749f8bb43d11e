import { AzurermBackend, TerraformStack } from 'cdktf';
import { describeValue, PlatformError } from '../platform-file/errors';
import {
  isStateKeyPrefix,
  isStorageAccountName,
  isStorageContainerName,
  isUuid,
} from '../platform-file/formats';
import { useLocalStateAtProjectRoot } from './private/state';

/** Where a stack of the state backend keeps its state in Azure Storage. */
export interface AzureStorageStateOptions {
  /** The storage account (created beforehand; shared key access disabled). */
  readonly storageAccountName: string;
  /**
   * The blob container.
   * @default 'tfstate'
   */
  readonly containerName?: string;
  /**
   * Prefix of the blob names: each stack's state is `<keyPrefix><stack>.tfstate`.
   * @default ''
   */
  readonly keyPrefix?: string;
  /**
   * Resource group of the account; Terraform only needs it to look the account up.
   * @default - not given
   */
  readonly resourceGroupName?: string;
  /**
   * Subscription of the account.
   * @default - ARM_SUBSCRIPTION_ID, or the az CLI's subscription
   */
  readonly subscriptionId?: string;
}

interface ResolvedStorage {
  readonly storageAccountName: string;
  readonly containerName: string;
  readonly keyPrefix: string;
  readonly resourceGroupName?: string;
  readonly subscriptionId?: string;
}

/**
 * Where Terraform keeps the state of each stack. One blob per stack in Azure Storage for a team
 * or a pipeline; local files for one person trying the platform.
 */
export class StateBackend {
  /**
   * `terraform.<stack>.tfstate` at the project root, referred to by a path relative to the
   * stack's folder.
   */
  public static localFiles(): StateBackend {
    return new StateBackend(undefined);
  }

  /**
   * The azurerm backend with Microsoft Entra ID authentication (`use_azuread_auth`): the state
   * is read and written with the deployer's own token and locked with a blob lease, never with
   * the account's access keys. The deployer needs "Storage Blob Data Contributor" on the
   * container.
   */
  public static azureStorage(options: AzureStorageStateOptions): StateBackend {
    const what = 'StateBackend.azureStorage';
    const check = (ok: boolean, field: string, value: unknown, expected: string) => {
      if (!ok) throw new PlatformError(`${what}: ${field} must be ${expected}, got ${describeValue(value)}`);
    };
    const container = options.containerName ?? 'tfstate';
    const prefix = options.keyPrefix ?? '';
    check(
      isStorageAccountName(options.storageAccountName),
      'storageAccountName',
      options.storageAccountName,
      'a storage account name (3 to 24 lowercase letters and digits)',
    );
    check(isStorageContainerName(container), 'containerName', container, 'a blob container name');
    check(
      isStateKeyPrefix(prefix),
      'keyPrefix',
      prefix,
      "a blob name prefix (letters, digits, '.', '_', '-', '/')",
    );
    if (options.resourceGroupName !== undefined) {
      check(
        /^[-\w.()]{1,90}$/.test(options.resourceGroupName) && !options.resourceGroupName.endsWith('.'),
        'resourceGroupName',
        options.resourceGroupName,
        'a resource group name',
      );
    }
    if (options.subscriptionId !== undefined) {
      check(
        isUuid(options.subscriptionId),
        'subscriptionId',
        options.subscriptionId,
        'a subscription id (UUID)',
      );
    }
    return new StateBackend({
      storageAccountName: options.storageAccountName,
      containerName: container,
      keyPrefix: prefix,
      resourceGroupName: options.resourceGroupName,
      subscriptionId: options.subscriptionId,
    });
  }

  private constructor(private readonly storage: ResolvedStorage | undefined) {}

  /** The blob of a stack's state, or undefined for local files. */
  public keyOf(stackName: string): string | undefined {
    return this.storage ? `${this.storage.keyPrefix}${stackName}.tfstate` : undefined;
  }

  /** Configures the backend of a stack (once per stack). */
  public applyTo(stack: TerraformStack): void {
    const s = this.storage;
    if (s === undefined) {
      useLocalStateAtProjectRoot(stack);
      return;
    }
    new AzurermBackend(stack, {
      storageAccountName: s.storageAccountName,
      containerName: s.containerName,
      key: `${s.keyPrefix}${stack.node.id}.tfstate`,
      resourceGroupName: s.resourceGroupName,
      subscriptionId: s.subscriptionId,
      useAzureadAuth: true,
    });
  }
}
