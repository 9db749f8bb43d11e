import { App } from 'cdktf';
import { loadPlatformFile } from '../spec';
import { InfraStack } from './stacks';

export interface AzureSynthOptions {
  /** The platform file. */
  readonly configFile: string;
  /** Folder of the Terraform JSON. @default 'cdktf.out' */
  readonly outdir?: string;
}

/** The Azure app: reads the platform file and writes the Terraform stacks. */
export function synthAzurePlatform(options: AzureSynthOptions): App {
  const spec = loadPlatformFile(options.configFile);
  const app = new App({ outdir: options.outdir ?? 'cdktf.out' });
  new InfraStack(app, 'infra', { spec });
  app.synth();
  return app;
}
