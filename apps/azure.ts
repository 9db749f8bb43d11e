// The cdktf app (cdktf.json "app"): the platform file to the Terraform JSON of the `infra` and
// `addons` stacks in cdktf.out/stacks/.
import { runMain } from '../lib/cli';
import { synthAzurePlatform } from '../lib/azure/synth';
import { platformInputsFromEnv } from '../lib/spec';

runMain('azure', () => {
  synthAzurePlatform({
    configFile: platformInputsFromEnv(process.env).configFile,
    outdir: process.env.CDKTF_OUTDIR || 'cdktf.out',
  });
});
