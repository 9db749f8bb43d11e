// The cdktf app (cdktf.json "app"): the platform file to the Terraform JSON of the `infra` and
// `addons` stacks in cdktf.out/stacks/.
import { azureAppFromEnv } from '../lib/azure/synth';
import { runMain } from '../lib/cli';

runMain('azure', () => process.stdout.write(azureAppFromEnv(process.env)));
