import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import {
  groupKeysNeededByKubernetes,
  loadPlatformFile,
  PlatformInputs,
  readOutputsFile,
  resolveGroupObjectIds,
} from '../spec';
import { addKubernetesPlatform } from './platform';

export interface KubernetesSynthOptions extends PlatformInputs {
  /** Folder of the YAML files. @default 'dist' */
  readonly outdir?: string;
}

/**
 * The Kubernetes app: reads the platform file (and the infra outputs for group object ids),
 * builds the charts and writes one YAML file per chart. Nothing is written when anything fails.
 * @returns the app, synthesized
 */
export function synthKubernetesPlatform(options: KubernetesSynthOptions): App {
  const spec = loadPlatformFile(options.configFile);
  const outputs = options.outputsFile ? readOutputsFile(options.outputsFile) : undefined;
  const ids = resolveGroupObjectIds(spec, groupKeysNeededByKubernetes(spec), outputs, options.outputsFile);

  const outdir = options.outdir ?? 'dist';
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  addKubernetesPlatform(app, spec, ids);

  // Files of an earlier synth must not outlive it (a removed chart would linger).
  if (fs.existsSync(outdir)) {
    for (const f of fs.readdirSync(outdir)) if (f.endsWith('.k8s.yaml')) fs.rmSync(path.join(outdir, f));
  }
  app.synth();
  return app;
}
