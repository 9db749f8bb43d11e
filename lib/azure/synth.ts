import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { count, formatSummary } from '../cli';
import { EntryKind, writeOutputFolders } from '../output/synth-output';
import {
  loadPlatformFile,
  outputDirFromEnv,
  platformInputsFromEnv,
  type Environment,
  type PlatformInputs,
} from '../platform-file';
import { INFRA_STACK_NAME } from '../platform-file/outputs';
import { withoutTokenTraces } from './private/token-traces';
import { AddonsStack, InfraStack } from './stacks';

/** Name of the Terraform stack of the Helm releases. */
export const ADDONS_STACK_NAME = 'addons';

export interface AzureSynthOptions {
  /** The platform file. */
  readonly configFile: string;
  /** Folder of the Terraform JSON. @default 'cdktf.out' */
  readonly outdir?: string;
  /**
   * Called with the stacks written beside `outdir`, before they replace it; when it throws, the
   * synth is abandoned (nothing replaced) and the error passes through.
   * @default - none
   */
  readonly beforeCommit?: () => void;
}

/** The Terraform JSON of one stack, as written. */
export interface WrittenStack {
  /** The stack name (`infra`, `addons`). */
  readonly name: string;
  /** Its file: `<outdir>/stacks/<name>/cdk.tf.json`. */
  readonly path: string;
  /** Number of resources. */
  readonly resources: number;
  /** Number of data sources (the cross-stack state reads among them). */
  readonly dataSources: number;
  /** Number of outputs. */
  readonly outputs: number;
}

/** What an Azure synth read and wrote. */
export interface AzureSynthResult {
  /** The platform file read. */
  readonly configFile: string;
  /** The stacks, in deploy order. */
  readonly stacks: readonly WrittenStack[];
  /** Output folders put back from an interrupted synth before this one ran. */
  readonly recovered: readonly string[];
}

/**
 * What `app.synth()` writes: the manifest and each stack's configuration. Everything else in the
 * folder is carried over, above all what `terraform init` leaves in a stack's folder
 * (`.terraform/`, `.terraform.lock.hcl`), which cdktf keeps between synths too.
 */
function isTerraformOutput(relativePath: string, kind: EntryKind): boolean {
  return (
    kind === EntryKind.FILE &&
    (relativePath === 'manifest.json' ||
      /^stacks\/[^/]+\/(cdk\.tf\.json|cdk\.tf|metadata\.json)$/.test(relativePath))
  );
}

/**
 * The Azure app: reads the platform file and writes the `infra` and `addons` stacks. `outdir` is
 * replaced as a whole (synthesized into a folder beside it, then renamed into place) and locked
 * for the duration, like the Kubernetes output.
 */
export function synthAzurePlatform(options: AzureSynthOptions): AzureSynthResult {
  const outdir = options.outdir ?? 'cdktf.out';
  const folders = [{ dir: outdir, setting: 'outdir', isOutput: isTerraformOutput }];
  return writeOutputFolders('azure app', folders, (output) => {
    const spec = loadPlatformFile(options.configFile);
    // The staging folder is a sibling of outdir: the relative paths cdktf writes (the manifest's,
    // the local state's) are the same from either.
    const staging = output.stagingDir(outdir);
    // The app's own synth: constructs composed elsewhere (and the tests) keep cdktf's traces.
    withoutTokenTraces(() => {
      const app = new App({ outdir: staging });
      const infra = new InfraStack(app, INFRA_STACK_NAME, { spec });
      new AddonsStack(app, ADDONS_STACK_NAME, { spec, infra });
      app.synth();
    });
    const stacks = [INFRA_STACK_NAME, ADDONS_STACK_NAME].map((name) => {
      const file = path.join('stacks', name, 'cdk.tf.json');
      const json = JSON.parse(fs.readFileSync(path.join(staging, file), 'utf8')) as TerraformJson;
      return {
        name,
        path: path.join(outdir, file),
        resources: countBlocks(json.resource),
        dataSources: countBlocks(json.data),
        outputs: Object.keys(json.output ?? {}).length,
      };
    });
    options.beforeCommit?.();
    return { configFile: options.configFile, stacks, recovered: output.recovered };
  });
}

/** What the Azure app prints on success: the platform file read, each stack written with its counts. */
export function azureSynthSummary(result: AzureSynthResult, inputs: PlatformInputs): string {
  return formatSummary(
    'azure',
    inputs,
    result.stacks.map((s) => ({
      what: `wrote ${s.path}`,
      detail: `${count(s.resources, 'resource')}, ${count(s.dataSources, 'data source')}, ${count(s.outputs, 'output')}`,
    })),
    result.recovered,
  );
}

interface TerraformJson {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, unknown>;
}

function countBlocks(byType: Record<string, Record<string, unknown>> | undefined): number {
  return Object.values(byType ?? {}).reduce((n, blocks) => n + Object.keys(blocks).length, 0);
}

/**
 * The Azure app (`apps/azure.ts`, the cdktf app): the synth the environment describes
 * (PLATFORM_CONFIG, CDKTF_OUTDIR), and what it prints.
 */
export function azureAppFromEnv(
  env: Environment,
  options: Pick<AzureSynthOptions, 'beforeCommit'> = {},
): string {
  const inputs = platformInputsFromEnv(env);
  const result = synthAzurePlatform({
    configFile: inputs.configFile,
    outdir: outputDirFromEnv(env, 'CDKTF_OUTDIR', 'cdktf.out'),
    beforeCommit: options.beforeCommit,
  });
  return azureSynthSummary(result, inputs);
}
