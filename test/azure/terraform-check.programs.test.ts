import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthAzurePlatform } from '../../lib/azure/synth';
import { validatePlatform } from '../../lib/platform-file';
import {
  checkStack,
  checkSynthesizedStacks,
  judgeInit,
  terraformBinary,
} from '../../scripts/terraform-check';
import { everyOptionPlatform } from './every-option';
import { synthPlatform } from './helpers';

const recorded = (name: string) =>
  fs.readFileSync(path.join(__dirname, 'fixtures/terraform-init', `${name}.txt`), 'utf8');

describe('judging terraform init (recorded output of Terraform 1.11)', () => {
  test.each(['registry-unreachable', 'plugin-dir-empty'])(
    '%s: only providers that cannot be fetched, accepted',
    (name) => {
      expect(judgeInit(recorded(name), 1)).toEqual([]);
    },
  );

  test.each<[string, string[]]>([
    [
      'depends-on-interpolation',
      [
        'Terraform found problems in the configuration',
        'error: Terraform encountered problems during initialisation, including problems',
        'error: Invalid expression',
        'terraform init stopped before installing providers',
      ],
    ],
    [
      'extraneous-property',
      [
        'Terraform found problems in the configuration',
        'error: Terraform encountered problems during initialisation, including problems',
        'error: Extraneous JSON object property',
        'terraform init stopped before installing providers',
      ],
    ],
    // A provider error whose reason is a wrong version, not the network: a configuration error.
    ['version-not-available', ['error: Failed to query available provider packages']],
  ])('%s: refused', (name, problems) => {
    expect(judgeInit(recorded(name), 1)).toEqual(problems);
  });

  test('a configuration error next to provider errors is refused', () => {
    const output = `${recorded('registry-unreachable')}
Error: Unsupported argument

  on cdk.tf.json line 12, in resource.azuread_group.group_dev:
  12:         "display_nam": "dev",

An argument named "display_nam" is not expected here.
`;
    expect(judgeInit(output, 1)).toEqual(['error: Unsupported argument']);
  });

  test('an exit code without any message, or an init that never reached the providers, is refused', () => {
    expect(judgeInit('', 1)).toEqual([
      'terraform init exited with 1 without an error message',
      'terraform init stopped before installing providers',
    ]);
  });

  test('a warning about the configuration is refused; one about the CLI configuration is not', () => {
    const cliWarning = recorded('registry-unreachable');
    expect(judgeInit(cliWarning, 1)).toEqual([]);
    const configWarning = `Initializing provider plugins...

Warning: Deprecated attribute

  on cdk.tf.json line 40, in resource.azurerm_kubernetes_cluster.aks:
  40:         "api_server_authorized_ip_ranges": [

The attribute is deprecated.
`;
    expect(judgeInit(configWarning, 0)).toEqual(['configuration warning: Deprecated attribute']);
  });

  test('a successful init is accepted', () => {
    expect(
      judgeInit('Initializing provider plugins...\nTerraform has been successfully initialized!\n', 0),
    ).toEqual([]);
  });
});

const terraform = terraformBinary();
const withTerraform = terraform ? describe : describe.skip;
const skipped = terraform ? '' : ' [skipped: terraform is not on the PATH; set TERRAFORM=<path>]';

withTerraform(`terraform init reads every synthesized stack${skipped}`, () => {
  test('the reference platform (apps/platform.yaml)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-check-'));
    synthAzurePlatform({ configFile: 'apps/platform.yaml', outdir });
    const results = checkSynthesizedStacks(outdir, { offline: true });
    expect(results.map((r) => [r.stack, r.problems])).toEqual([
      ['addons', []],
      ['infra', []],
    ]);
  });

  test('a platform using every option of the platform file', () => {
    const { outdir } = synthPlatform(validatePlatform(everyOptionPlatform(), 'every-option'));
    const results = checkSynthesizedStacks(outdir, { offline: true });
    expect(results.map((r) => [r.stack, r.problems])).toEqual([
      ['addons', []],
      ['infra', []],
    ]);
  });

  test('what Terraform refuses is refused: an interpolation in depends_on', () => {
    const { outdir } = synthPlatform();
    const file = path.join(outdir, 'stacks/addons/cdk.tf.json');
    const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
    tf.resource.helm_release.capsule.depends_on = ['${helm_release.cert_manager}'];
    fs.writeFileSync(file, JSON.stringify(tf, null, 2));
    const result = checkStack(path.join(outdir, 'stacks/addons'), { offline: true });
    expect(result.problems).toContain('error: Invalid expression');
    expect(result.output).toContain('A single static variable reference is required');
  });
});
