// `npm run tenants`: what each tenant of the platform file is (owners, namespaces, budget, service
// types, classes, egress) and how its owners log in. With `--kubeconfigs <folder>`, writes each
// tenant's kubeconfig there from the outputs file of `cdktf deploy infra addons --outputs-file`.
import { runMain } from '../lib/cli';
import { PlatformError, platformInputsFromEnv } from '../lib/platform-file';
import { tenantsCommand } from '../lib/summary/tenants';

runMain('tenants', () => {
  const args = process.argv.slice(2);
  let kubeconfigDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--kubeconfigs' && args[i + 1] !== undefined && !args[i + 1].startsWith('--')) {
      kubeconfigDir = args[++i];
    } else {
      throw new PlatformError(
        `unknown argument ${JSON.stringify(args[i])}; usage: npm run tenants [-- --kubeconfigs <folder>]`,
      );
    }
  }
  process.stdout.write(tenantsCommand(platformInputsFromEnv(process.env), kubeconfigDir).text);
});
