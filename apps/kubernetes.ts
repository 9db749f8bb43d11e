// The cdk8s app (cdk8s.yaml "app"): the platform file to Kubernetes YAML in dist/.
import { runMain } from '../lib/cli';
import { synthKubernetesPlatform } from '../lib/kubernetes/synth';
import { platformInputsFromEnv } from '../lib/spec';

runMain('kubernetes', () => {
  synthKubernetesPlatform({
    ...platformInputsFromEnv(process.env),
    outdir: process.env.CDK8S_OUTDIR || 'dist',
    reportsDir: process.env.PLATFORM_REPORTS || 'reports',
  });
});
