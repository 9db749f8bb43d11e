// `npm run synth`: the two apps one after the other in one process, as `node apps/kubernetes.ts &&
// node apps/azure.ts` would run them (the Terraform is not written when the Kubernetes synth
// fails), with one Node.js start and one load of the modules they share.
import { azureSynthSummary, synthAzurePlatform } from '../lib/azure/synth';
import { runMain } from '../lib/cli';
import { kubernetesSynthSummary, synthKubernetesPlatform } from '../lib/kubernetes/synth';
import { outputDirFromEnv, platformInputsFromEnv } from '../lib/platform-file';

runMain('kubernetes', () => {
  const inputs = platformInputsFromEnv(process.env);
  const result = synthKubernetesPlatform({
    ...inputs,
    outdir: outputDirFromEnv(process.env, 'CDK8S_OUTDIR', 'dist'),
    reportsDir: outputDirFromEnv(process.env, 'PLATFORM_REPORTS', 'reports'),
  });
  process.stdout.write(kubernetesSynthSummary(result, inputs));
});

if (!process.exitCode)
  runMain('azure', () => {
    const inputs = platformInputsFromEnv(process.env);
    const result = synthAzurePlatform({
      configFile: inputs.configFile,
      outdir: outputDirFromEnv(process.env, 'CDKTF_OUTDIR', 'cdktf.out'),
    });
    process.stdout.write(azureSynthSummary(result, inputs));
  });
