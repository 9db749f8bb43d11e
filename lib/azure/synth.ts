import { App } from 'cdktf';
import { loadPlatformFile } from '../spec';
import { INFRA_STACK_NAME } from '../spec/outputs';
import { AddonsStack, InfraStack } from './stacks';

/** Name of the Terraform stack of the Helm releases. */
export const ADDONS_STACK_NAME = 'addons';

export interface AzureSynthOptions {
  /** The platform file. */
  readonly configFile: string;
  /** Folder of the Terraform JSON. @default 'cdktf.out' */
  readonly outdir?: string;
}

/** The Azure app: reads the platform file and writes the `infra` and `addons` stacks. */
export function synthAzurePlatform(options: AzureSynthOptions): App {
  const spec = loadPlatformFile(options.configFile);
  const app = new App({ outdir: options.outdir ?? 'cdktf.out' });
  const infra = new InfraStack(app, INFRA_STACK_NAME, { spec });
  new AddonsStack(app, ADDONS_STACK_NAME, { spec, infra });
  app.synth();
  return app;
}
