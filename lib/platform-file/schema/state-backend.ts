import { z } from 'zod';
import { isStorageAccountName, isStorageContainerName, isStateKeyPrefix } from '../formats';
import { uuid } from './common';

const resourceGroupName = z
  .string()
  .refine(
    (v) => /^[-\w.()]{1,90}$/.test(v) && !v.endsWith('.'),
    "must be a resource group name: at most 90 letters, digits, '_', '-', '.', '(', ')', not ending with '.'",
  );

/** `azure.state`: where Terraform keeps the state of the two stacks. */
export const stateBackendSchema = z
  .strictObject({
    storageAccount: z
      .string()
      .refine(isStorageAccountName, 'must be a storage account name: 3 to 24 lowercase letters and digits')
      .describe(
        'Storage account of the state (created beforehand, see docs/azure.md), with shared keys disabled.',
      ),
    container: z
      .string()
      .refine(
        isStorageContainerName,
        "must be a blob container name: 3 to 63 lowercase letters, digits and single '-', starting and ending with a letter or digit",
      )
      .default('tfstate')
      .describe('Blob container of the state.'),
    keyPrefix: z
      .string()
      .refine(
        isStateKeyPrefix,
        "must be a blob name prefix: letters, digits, '.', '_', '-' and '/', not starting with '/', at most 200 characters",
      )
      .optional()
      .describe('Prefix of each stack\'s blob: <keyPrefix><stack>.tfstate. Default: "<name>/".'),
    resourceGroup: resourceGroupName
      .optional()
      .describe('Resource group of the storage account (Terraform only needs it to look the account up).'),
    subscriptionId: uuid
      .optional()
      .describe(
        'Subscription of the storage account. Default: azure.subscriptionId, else ARM_SUBSCRIPTION_ID.',
      ),
  })
  .optional()
  .describe(
    'Terraform state in Azure Storage (azurerm backend, Entra ID authentication, no access keys), one blob per stack. Default: local state files.',
  );
