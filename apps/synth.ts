// `npm run synth`: the two apps one after the other in one process, as `node apps/kubernetes.ts &&
// node apps/azure.ts` would run them (the Terraform is not written when the Kubernetes synth
// fails), with one Node.js start and one load of the modules they share.
import { azureAppFromEnv } from '../lib/azure/synth';
import { runMain } from '../lib/cli';
import { kubernetesAppFromEnv } from '../lib/kubernetes/synth';

runMain('kubernetes', () => process.stdout.write(kubernetesAppFromEnv(process.env)));
if (!process.exitCode) runMain('azure', () => process.stdout.write(azureAppFromEnv(process.env)));
