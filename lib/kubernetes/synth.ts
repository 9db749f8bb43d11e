import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { Preflight, writePolicyReports } from '../preflight';
import {
  groupKeysNeededByKubernetes,
  loadPlatformFile,
  PlatformError,
  PlatformInputs,
  readOutputsFile,
  resolveGroupObjectIds,
} from '../spec';
import { addKubernetesPlatform } from './platform';

export interface KubernetesSynthOptions extends PlatformInputs {
  /** Folder of the YAML files. @default 'dist' */
  readonly outdir?: string;
  /**
   * Folder of the preflight's PolicyReports; never inside `outdir`, which pipelines apply.
   * @default 'reports'
   */
  readonly reportsDir?: string;
}

/**
 * The Kubernetes app: reads the platform file (and the infra outputs for group object ids),
 * builds the charts, runs the preflight (the platform's policies on the platform's objects) and
 * writes one YAML file per chart, then the PolicyReports. Nothing is written when anything fails,
 * including an object that a Deny (Enforce) policy would reject.
 * @returns the app, synthesized
 */
export function synthKubernetesPlatform(options: KubernetesSynthOptions): App {
  const spec = loadPlatformFile(options.configFile);
  const outputs = options.outputsFile ? readOutputsFile(options.outputsFile) : undefined;
  const ids = resolveGroupObjectIds(spec, groupKeysNeededByKubernetes(spec), outputs, options.outputsFile);

  const outdir = options.outdir ?? 'dist';
  const reportsDir = options.reportsDir ?? 'reports';
  const relative = path.relative(path.resolve(outdir), path.resolve(reportsDir));
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative)))
    throw new PlatformError(
      `reportsDir: must be outside outdir ${JSON.stringify(outdir)}, received ${JSON.stringify(reportsDir)}`,
    );

  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  addKubernetesPlatform(app, spec, ids);

  const manifests = app.charts.flatMap((c) => c.toJson());
  const preflight = new Preflight({ policies: manifests, objects: manifests }).evaluate();
  preflight.assertNoViolations('nothing was written');

  // Files of an earlier synth must not outlive it (a removed chart would linger).
  if (fs.existsSync(outdir)) {
    for (const f of fs.readdirSync(outdir)) if (f.endsWith('.k8s.yaml')) fs.rmSync(path.join(outdir, f));
  }
  app.synth();
  writePolicyReports(reportsDir, preflight.toPolicyReports());
  return app;
}
