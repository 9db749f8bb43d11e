import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart, DependencyGraph, Names, Yaml } from 'cdk8s';
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

  const app = new App({ outdir });
  addKubernetesPlatform(app, spec, ids);

  const rendered = renderCharts(app);
  const manifests = rendered.flatMap((r) => r.objects);
  const preflight = new Preflight({ policies: manifests, objects: manifests }).evaluate();
  preflight.assertNoViolations('nothing was written');

  // Files of an earlier synth must not outlive it (a removed chart would linger).
  if (fs.existsSync(outdir)) {
    for (const f of fs.readdirSync(outdir)) if (f.endsWith('.k8s.yaml')) fs.rmSync(path.join(outdir, f));
  }
  fs.mkdirSync(outdir, { recursive: true });
  for (const { chart, objects } of rendered) {
    fs.writeFileSync(path.join(outdir, `${Names.toDnsLabel(chart)}.k8s.yaml`), Yaml.stringify(...objects));
  }
  writePolicyReports(reportsDir, preflight.toPolicyReports());
  return app;
}

interface RenderedChart {
  readonly chart: Chart;
  readonly objects: Record<string, unknown>[];
}

/**
 * Renders every chart once, the way `App.synth()` writes them (one file per chart, objects in
 * dependency order), so that the preflight and the files share one rendering. `Chart.toJson()`
 * resolves dependencies and validates the whole app on every call: done once here, for the first
 * chart, and the others are rendered from their dependency graph directly.
 */
function renderCharts(app: App): RenderedChart[] {
  const charts = app.charts;
  if (charts.length === 0) return [];
  const first = App._synthChart(charts[0]);
  return charts.map((chart, i) => ({
    chart,
    objects:
      i === 0
        ? first
        : new DependencyGraph(chart.node)
            .topology()
            .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
            .map((o) => o.toJson()),
  }));
}
