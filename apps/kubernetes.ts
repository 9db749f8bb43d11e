// The cdk8s app (cdk8s.yaml "app"): the platform file to Kubernetes YAML in dist/ and the
// preflight's PolicyReports in reports/.
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
