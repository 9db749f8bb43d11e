import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { StateBackend } from '../../lib/azure/state-backend';
import { PlatformError, validatePlatform } from '../../lib/platform-file';
import { terraformBinary } from '../../scripts/terraform-check';
import { everyOptionPlatform } from './every-option';
import { TerraformJson, synthPlatform } from './helpers';
import { PlatformStack } from '../../lib/azure/platform-stack';

describe('StateBackend', () => {
  test('Azure Storage: one blob per stack under the prefix, Entra ID authentication', () => {
    const backend = StateBackend.azureStorage({ storageAccountName: 'platformstate', keyPrefix: 'team/' });
    expect(backend.keyOf('infra')).toBe('team/infra.tfstate');
    const stack = new PlatformStack(Testing.app(), 'addons');
    backend.applyTo(stack);
    expect(JSON.parse(Testing.synth(stack)).terraform.backend).toEqual({
      azurerm: {
        storage_account_name: 'platformstate',
        container_name: 'tfstate',
        key: 'team/addons.tfstate',
        use_azuread_auth: true,
      },
    });
  });

  test('local files have no blob', () => {
    expect(StateBackend.localFiles().keyOf('infra')).toBeUndefined();
  });

  test.each<[string, object, RegExp]>([
    [
      'an account name with capitals',
      { storageAccountName: 'Platform' },
      /storageAccountName must be a storage account name .*got "Platform"/,
    ],
    [
      'a container name too short',
      { storageAccountName: 'platformstate', containerName: 'tf' },
      /containerName must be a blob container name, got "tf"/,
    ],
    [
      'a key prefix with a space',
      { storageAccountName: 'platformstate', keyPrefix: 'my team/' },
      /keyPrefix must be a blob name prefix .*got "my team\/"/,
    ],
    [
      'a subscription that is not a UUID',
      { storageAccountName: 'platformstate', subscriptionId: 'prod' },
      /subscriptionId must be a subscription id \(UUID\), got "prod"/,
    ],
    [
      'a resource group ending with a dot',
      { storageAccountName: 'platformstate', resourceGroupName: 'state.' },
      /resourceGroupName must be a resource group name, got "state\."/,
    ],
  ])('refuses %s', (_what, options, message) => {
    const build = () => StateBackend.azureStorage(options as never);
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  });
});

/** `terraform init` of a configuration holding only a stack's backend block. */
function initBackend(terraform: string, backend: object): string {
  return runOffline(terraform, { terraform: { backend } }, [['init', '-input=false', '-no-color']]);
}

/**
 * Runs Terraform commands on a scratch configuration where it cannot authenticate to Azure: it
 * checks the backend's arguments against its schema first, then fails to build a credential (no
 * Azure CLI on its PATH, no ARM_* variables), before any network access.
 */
function runOffline(terraform: string, configuration: object, commands: string[][]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-offline-'));
  const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'no-tools-'));
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(configuration));
  let output = '';
  for (const args of commands) {
    const r = spawnSync(terraform, args, {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { PATH: emptyPath, HOME: dir, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
    });
    output += `${r.stdout ?? ''}${r.stderr ?? ''}`;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(emptyPath, { recursive: true, force: true });
  return output;
}

const terraform = terraformBinary();
const withTerraform = terraform ? describe : describe.skip;
const skipped = terraform ? '' : ' [skipped: terraform is not on the PATH; set TERRAFORM=<path>]';

withTerraform(`Terraform accepts the azurerm backend of both stacks, offline${skipped}`, () => {
  const { infra, addons } = synthPlatform(validatePlatform(everyOptionPlatform(), 'every-option'));
  const CONFIGURATION_ERROR = /Extraneous JSON object property|Unsupported argument|Invalid|Missing required/;

  test.each<[string, TerraformJson]>([
    ['infra', infra],
    ['addons', addons],
  ])('%s: every argument is one the backend has; init stops at authentication', (_name, stack) => {
    const output = initBackend(terraform!, stack.terraform.backend);
    expect(output).toContain('Initializing the backend...');
    expect(output).not.toMatch(CONFIGURATION_ERROR);
    expect(output).toMatch(/unable to build authorizer|Azure CLI/);
  });

  test("addons' read of infra's state: the same arguments, accepted when Terraform reads it", () => {
    // Only the built-in terraform_remote_state: no provider to download.
    const reads = addons.data.terraform_remote_state;
    const [name] = Object.keys(reads);
    const plan = (config: object) =>
      runOffline(
        terraform!,
        {
          data: { terraform_remote_state: { [name]: { ...reads[name], config } } },
          output: { read: { value: `\${data.terraform_remote_state.${name}.outputs}` } },
        },
        [
          ['init', '-input=false', '-no-color'],
          ['plan', '-input=false', '-no-color'],
        ],
      );
    const output = plan(reads[name].config);
    expect(output).toContain(`data.terraform_remote_state.${name}: Reading...`);
    expect(output).not.toMatch(/Invalid backend configuration/);
    expect(output).toMatch(/unable to build authorizer|Azure CLI/);
    const { key, ...withoutKey } = reads[name].config;
    expect(plan({ ...withoutKey, blob: key })).toMatch(
      /not valid for backend "azurerm": unexpected\s+attribute "blob"/,
    );
  });

  test('a misspelt argument is refused before authentication', () => {
    const { storage_account_name: account, ...rest } = infra.terraform.backend.azurerm;
    const output = initBackend(terraform!, { azurerm: { ...rest, storage_account_nme: account } });
    expect(output).toMatch(/No argument or block type is named "storage_account_nme"/);
  });
});
