import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart, DependencyGraph, Names } from 'cdk8s';
import { count, formatSummary } from '../cli';
import { manifestsToYaml } from '../output/manifest-yaml';
import { EntryKind, pauseForTest, SynthStep, writeOutputFolders } from '../output/synth-output';
// The preflight's own modules, not its index: the index also loads the folder check and its report
// formats, which a synth never uses (a tenth of the reference synth's start).
import { Preflight } from '../preflight/preflight';
import { POLICY_REPORTS_FILE, writePolicyReports } from '../preflight/report';
import type { PolicyResultSummary } from '../preflight/result';
import {
  EXAMPLE_OUTPUTS_FILE,
  type Environment,
  loadPlatformFile,
  outputDirFromEnv,
  PlatformError,
  PlatformInputs,
  platformInputsFromEnv,
  readOutputsFile,
  resolvePlatformOutputs,
} from '../platform-file';
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

/** A YAML file the Kubernetes synth wrote. */
export interface WrittenManifestFile {
  /** Its path: `outdir` joined with the file name. */
  readonly path: string;
  /** Number of Kubernetes objects (YAML documents) in it. */
  readonly objects: number;
}

/** The PolicyReports file the Kubernetes synth wrote. */
export interface WrittenPolicyReports {
  /** Its path: `reportsDir` joined with the file name. */
  readonly path: string;
  /** Number of PolicyReport and ClusterPolicyReport objects in it. */
  readonly reports: number;
  /** Results by status, over every report. */
  readonly summary: PolicyResultSummary;
}

/** What a Kubernetes synth read and wrote. */
export interface KubernetesSynthResult {
  /** The platform file read. */
  readonly configFile: string;
  /** The outputs file read. @default - none was read */
  readonly outputsFile?: string;
  /** The YAML files of `outdir`, one per chart, in file name order. */
  readonly files: readonly WrittenManifestFile[];
  readonly reports: WrittenPolicyReports;
  /** Output folders put back from an interrupted synth before this one ran. */
  readonly recovered: readonly string[];
}

/**
 * The YAML files of `outdir` are the synth's: they are replaced. Anything else a user keeps in
 * the folder is carried over into the new one. (`cdk8s synth` deletes the whole folder itself
 * before it runs the app.)
 */
function isManifestFile(relativePath: string, kind: EntryKind): boolean {
  return kind === EntryKind.FILE && !relativePath.includes('/') && relativePath.endsWith('.k8s.yaml');
}

function isReportsFile(relativePath: string, kind: EntryKind): boolean {
  return kind === EntryKind.FILE && relativePath === POLICY_REPORTS_FILE;
}

/**
 * The Kubernetes app: reads the platform file (and the infra outputs for group object ids and
 * workload identities), builds the charts, runs the preflight (the platform's policies on the
 * platform's objects) and writes one YAML file per chart, then the PolicyReports. Nothing is written when anything fails,
 * including an object that a Deny (Enforce) policy would reject.
 *
 * `outdir` and `reportsDir` are each replaced as a whole (written beside, then renamed into
 * place) and locked for the duration: an interrupted synth leaves the previous or the new
 * complete content, and a second synth of the same folders fails naming the first.
 */
export function synthKubernetesPlatform(options: KubernetesSynthOptions): KubernetesSynthResult {
  const outdir = options.outdir ?? 'dist';
  const reportsDir = options.reportsDir ?? 'reports';
  const relative = path.relative(path.resolve(outdir), path.resolve(reportsDir));
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative)))
    throw new PlatformError(
      `reportsDir: must be outside outdir ${JSON.stringify(outdir)}, received ${JSON.stringify(reportsDir)}`,
    );

  const folders = [
    { dir: outdir, setting: 'outdir', isOutput: isManifestFile },
    { dir: reportsDir, setting: 'reportsDir', isOutput: isReportsFile },
  ];
  return writeOutputFolders('kubernetes app', folders, (output) => {
    const spec = loadPlatformFile(options.configFile);
    const outputs = options.outputsFile ? readOutputsFile(options.outputsFile) : undefined;
    const ids = resolvePlatformOutputs(spec, outputs, options.outputsFile);

    const app = new App({ outdir });
    addKubernetesPlatform(app, spec, ids.groupObjectIds, ids.workloadIdentities);

    const rendered = renderCharts(app);
    const manifests = rendered.flatMap((r) => r.objects);
    const preflight = new Preflight({ policies: manifests, objects: manifests }).evaluate();
    preflight.assertNoViolations('nothing was written');

    const staging = output.stagingDir(outdir);
    const files: WrittenManifestFile[] = [];
    for (const { chart, objects } of rendered) {
      const name = `${Names.toDnsLabel(chart)}.k8s.yaml`;
      fs.writeFileSync(path.join(staging, name), manifestsToYaml(objects));
      files.push({ path: path.join(outdir, name), objects: objects.length });
      pauseForTest(SynthStep.WRITING);
    }
    const reports = preflight.toPolicyReports();
    const [reportsFile] = writePolicyReports(output.stagingDir(reportsDir), reports);
    return {
      configFile: options.configFile,
      outputsFile: options.outputsFile,
      files: files.sort((a, b) => (a.path < b.path ? -1 : 1)),
      reports: {
        path: path.join(reportsDir, path.basename(reportsFile)),
        reports: reports.length,
        summary: preflight.summary,
      },
      recovered: output.recovered,
    };
  });
}

/**
 * What the Kubernetes app prints on success: the platform and outputs files read, each file
 * written with its object count, the reports.
 */
export function kubernetesSynthSummary(result: KubernetesSynthResult, inputs: PlatformInputs): string {
  const outputs = !result.outputsFile
    ? 'none (PLATFORM_OUTPUTS is not set)'
    : inputs.referenceDefault && result.outputsFile === EXAMPLE_OUTPUTS_FILE
      ? `${result.outputsFile} (the example outputs of the reference platform)`
      : result.outputsFile;
  const s = result.reports.summary;
  return formatSummary(
    'kubernetes',
    inputs,
    [
      { what: 'outputs file', detail: outputs },
      ...result.files.map((f) => ({ what: `wrote ${f.path}`, detail: count(f.objects, 'object') })),
      {
        what: `wrote ${result.reports.path}`,
        detail: `${count(result.reports.reports, 'PolicyReport')}: pass ${s.pass}, fail ${s.fail}, warn ${s.warn}, error ${s.error}, skip ${s.skip}`,
      },
    ],
    result.recovered,
  );
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

/**
 * The Kubernetes app (`apps/kubernetes.ts`, the cdk8s app): the synth the environment describes
 * (PLATFORM_CONFIG, PLATFORM_OUTPUTS, CDK8S_OUTDIR, PLATFORM_REPORTS), and what it prints.
 */
export function kubernetesAppFromEnv(env: Environment): string {
  const inputs = platformInputsFromEnv(env);
  const result = synthKubernetesPlatform({
    ...inputs,
    outdir: outputDirFromEnv(env, 'CDK8S_OUTDIR', 'dist'),
    reportsDir: outputDirFromEnv(env, 'PLATFORM_REPORTS', 'reports'),
  });
  return kubernetesSynthSummary(result, inputs);
}
