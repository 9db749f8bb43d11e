// The cdk8s app (cdk8s.yaml "app"): the platform file to Kubernetes YAML in dist/ and the
// preflight's PolicyReports in reports/.
import { runMain } from '../lib/cli';
import { kubernetesAppFromEnv } from '../lib/kubernetes/synth';

runMain('kubernetes', () => process.stdout.write(kubernetesAppFromEnv(process.env)));
