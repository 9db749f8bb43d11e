// The cdktf app (cdktf.json "app"): the platform file to the Terraform JSON of the `infra` and
// `addons` stacks in cdktf.out/stacks/.
import { runMain } from '../lib/cli';
import { azureSynthSummary, synthAzurePlatform } from '../lib/azure/synth';
import { outputDirFromEnv, platformInputsFromEnv } from '../lib/platform-file';

runMain('azure', () => {
  const inputs = platformInputsFromEnv(process.env);
  const result = synthAzurePlatform({
    configFile: inputs.configFile,
    outdir: outputDirFromEnv(process.env, 'CDKTF_OUTDIR', 'cdktf.out'),
  });
  process.stdout.write(azureSynthSummary(result, inputs));
});
