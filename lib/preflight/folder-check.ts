import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { addKubernetesPlatform } from '../kubernetes/platform';
import { kyvernoPoliciesFromSpec } from '../kubernetes/kyverno/from-spec';
import {
  loadPlatformFile,
  PlatformError,
  readOutputsFile,
  resolvePlatformOutputs,
  type PlatformInputs,
} from '../platform-file';
import { writeOutputFiles } from '../output/output-file';
import { isInside } from '../output/paths';
import { writeOutputFolders } from '../output/synth-output';
import type { Manifest } from './autogen';
import { isPolicyException } from './exception';
import { renderReport, type ReportOutput } from './formats';
import { formatNotJudged, formatSkipped } from './formats/text';
import { ManifestReader, type SkippedDocument } from './manifests';
import { isValidatingPolicy } from './policy';
import { Preflight, PreflightResult } from './preflight';
import { POLICY_REPORTS_FILE, writePolicyReports } from './report';
import type { NotJudged, PolicyDescription } from './result';
import { STANDARD_INPUT } from './origin';

export { formatFolderCheck, formatNotJudged, formatSkipped } from './formats/text';

/** What the folder check reads and writes. */
export interface FolderCheckOptions {
  /**
   * A folder (or one file) of manifests to check, e.g. an application team's `k8s/` folder, or
   * `-` for standard input (the output of `kustomize build` or `helm template`; `./-` names a file).
   */
  readonly target: string;
  /**
   * Files or folders of the platform's synthesized YAML (e.g. `dist`): their ValidatingPolicies
   * are the policies, their Namespaces give the namespace labels, their PolicyExceptions in
   * `exceptionNamespace` apply.
   * @default - the policies (and, with an outputs file, the namespaces) built from `platform`
   */
  readonly platformManifests?: string[];
  /**
   * The platform file (and outputs file) to build the policies from when `platformManifests` is not given.
   * @default - none; then `platformManifests` is required
   */
  readonly platform?: PlatformInputs;
  /**
   * The only namespace whose PolicyExceptions count, as Kyverno is configured
   * (`kyverno.exceptionNamespace` of the platform file). Required when `platformManifests` hold
   * PolicyExceptions: Kyverno ignores exceptions anywhere else.
   * @default - `kyverno.exceptionNamespace` of `platform`; none with `platformManifests`
   */
  readonly exceptionNamespace?: string;
  /** Folder to write the PolicyReports into; never inside `target` or `platformManifests`. @default - none written */
  readonly reportsDir?: string;
  /** Namespace of objects that name none. @default 'default' */
  readonly defaultNamespace?: string;
  /**
   * Reports to write, each a format and a file (SARIF, JUnit, Markdown); never inside `target`
   * or `platformManifests`. Each file is replaced whole.
   * @default - none
   */
  readonly reports?: ReportOutput[];
  /**
   * The folder SARIF file URIs are relative to: the repository root, for code scanning.
   * @default - the working directory
   */
  readonly sourceRoot?: string;
  /**
   * The time to judge at (RFC 3339): PolicyExceptions expire against it, and reports carry it.
   * @default - the current time
   */
  readonly evaluationTime?: string;
}

/** The outcome of a folder check. */
export interface FolderCheck {
  readonly result: PreflightResult;
  /** Number of ValidatingPolicies used. */
  readonly policyCount: number;
  /** What the ValidatingPolicies used say about themselves, in name order. */
  readonly policies: PolicyDescription[];
  /** Number of objects read from the target. */
  readonly objectCount: number;
  /** Documents and files of the target that hold no Kubernetes object, with the reason. */
  readonly skipped: SkippedDocument[];
  /** PolicyExceptions of the platform that Kyverno would ignore: outside the exception namespace. */
  readonly ignoredExceptions: string[];
  /** PolicyReport files written. */
  readonly reportFiles: string[];
  /** Files written in the formats asked for (`reports`), in the order asked. */
  readonly formatFiles: string[];
  /**
   * Sources that must be rendered before they can be judged (a kustomization, a Helm chart or
   * template), also among `skipped`. The check judged everything else; a gate must still fail.
   */
  readonly unrendered: SkippedDocument[];
  /** The time judged at (RFC 3339). */
  readonly evaluationTime: string;
}

/**
 * Checks any folder of manifests against the platform's policies, the way the cluster's Kyverno
 * would at admission. A check that cannot judge fails: no policy, or no object judged. Sources
 * to render first are listed in `unrendered`, and the reports are written with everything else
 * judged: the caller fails on them (the command does).
 * @throws PlatformError on unreadable input, a malformed policy, no ValidatingPolicy, no object
 * judged, or a reports folder or file inside what is read (violations are in the result)
 */
export function checkFolder(options: FolderCheckOptions): FolderCheck {
  refuseOutputsInsideInputs(options);
  const evaluationTime = options.evaluationTime ?? new Date().toISOString();
  const reader = new ManifestReader();
  const platform = options.platformManifests
    ? {
        manifests: options.platformManifests.flatMap((p) => reader.read(p).manifests),
        exceptionNamespace: undefined,
      }
    : platformObjects(options.platform);
  const from = options.platformManifests
    ? `--policies ${options.platformManifests.join(', ')}`
    : `the platform file ${options.platform?.configFile}`;
  if (!platform.manifests.some(isValidatingPolicy))
    throw new PlatformError(
      `${from} holds no ValidatingPolicy (policies.kyverno.io): there is nothing to judge the manifests against. Pass the platform's synthesized output (dist/).`,
    );
  const exceptionNamespace = options.exceptionNamespace ?? platform.exceptionNamespace;
  const exceptions = platform.manifests.filter(isPolicyException);
  if (exceptions.length > 0 && exceptionNamespace === undefined)
    throw new PlatformError(
      `${from} holds PolicyExceptions (${exceptions.map(exceptionId).join(', ')}), and Kyverno honours them only in the namespace it is configured for: give it (--exception-namespace, the platform's kyverno.exceptionNamespace)`,
    );
  const ignoredExceptions = exceptions
    .filter((e) => e.metadata?.namespace !== exceptionNamespace)
    .map(exceptionId);

  const target = reader.read(options.target);
  const preflight = new Preflight({
    policies: platform.manifests,
    objects: target.manifests,
    namespaces: platform.manifests.filter((m) => m.kind === 'Namespace'),
    sources: target.sources,
    origins: target.origins,
    defaultNamespace: options.defaultNamespace,
    exceptionNamespace,
    evaluationTime,
  });
  if (preflight.policies.length === 0)
    throw new PlatformError(`${from}: none of its ValidatingPolicies judges objects at admission`);
  const result = preflight.evaluate();
  if (target.manifests.length === result.notJudged.length)
    throw new PlatformError(nothingJudged(options.target, target.skipped, result.notJudged));
  const reportsDir = options.reportsDir;
  const reportFiles = reportsDir
    ? writeOutputFolders(
        'folder check',
        [{ dir: reportsDir, setting: '--reports', isOutput: (rel) => rel === POLICY_REPORTS_FILE }],
        (output) => {
          const [file] = writePolicyReports(output.stagingDir(reportsDir), result.toPolicyReports());
          return [path.join(reportsDir, path.basename(file))];
        },
      )
    : [];
  const policies = preflight.describePolicies();
  const input = {
    results: result.results,
    policies,
    notJudged: result.notJudged,
    skipped: target.skipped,
    ignoredExceptions,
    summary: result.summary,
    objectCount: target.manifests.length,
    evaluationTime,
    sourceRoot: options.sourceRoot ?? process.cwd(),
  };
  const formatFiles = writeOutputFiles(
    'folder check',
    (options.reports ?? []).map((r) => ({
      file: r.file,
      setting: `--format ${r.format}=${r.file}`,
      content: renderReport(r.format, input),
    })),
  );
  return {
    result,
    policyCount: preflight.policies.length,
    policies,
    objectCount: target.manifests.length,
    skipped: target.skipped,
    ignoredExceptions,
    reportFiles,
    formatFiles,
    unrendered: target.skipped.filter((s) => s.renderWith !== undefined),
    evaluationTime,
  };
}

function exceptionId(m: Manifest): string {
  const ns = m.metadata?.namespace;
  return ns ? `${ns}/${m.metadata?.name}` : String(m.metadata?.name);
}

function nothingJudged(target: string, skipped: SkippedDocument[], notJudged: NotJudged[]): string {
  const lines = [
    ...skipped.map((s) => `  - ${formatSkipped(s)}`),
    ...notJudged.map((n) => `  - ${formatNotJudged(n)}`),
  ];
  const what = lines.length === 0 ? ': it holds no YAML or JSON manifest' : ':';
  return [
    `no object of ${target} was judged${what}`,
    ...lines,
    'A check that judges nothing would let anything through: point it at the manifests to apply.',
  ].join('\n');
}

/** The real path `p` has or would have once created (its longest existing parent resolved). */
function realPath(p: string): string {
  const rest: string[] = [];
  let at = path.resolve(p);
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return path.resolve(p);
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

// Reports inside the checked folder would be read back as manifests on the next run; inside the
// platform's output they would be applied with it.
function refuseOutputsInsideInputs(options: FolderCheckOptions): void {
  const inputs = [
    ...(options.target === STANDARD_INPUT ? [] : [{ path: options.target, what: 'the checked folder' }]),
    ...(options.platformManifests ?? []).map((p) => ({
      path: p,
      what: "the platform's output (--policies)",
    })),
  ];
  const outputs = [
    ...(options.reportsDir === undefined
      ? []
      : [
          {
            real: realPath(options.reportsDir),
            file: POLICY_REPORTS_FILE,
            what: `the reports folder ${options.reportsDir}`,
          },
        ]),
    ...(options.reports ?? []).map((r) => ({
      real: realPath(r.file),
      file: undefined,
      what: `the ${r.format} report ${r.file}`,
    })),
  ];
  for (const output of outputs)
    for (const input of inputs) {
      const real = realPath(input.path);
      if (isInside(output.real, real) || (output.file && path.join(output.real, output.file) === real))
        throw new PlatformError(
          `${output.what} is inside ${input.what} ${input.path}: the reports would be read as manifests next time; write them elsewhere`,
        );
    }
}

function platformObjects(inputs: PlatformInputs | undefined): {
  manifests: Manifest[];
  exceptionNamespace?: string;
} {
  if (!inputs)
    throw new PlatformError(
      'the folder check needs the platform: its synthesized output or its platform file',
    );
  const spec = loadPlatformFile(inputs.configFile);
  const app = new App({ outdir: '.preflight-unused' });
  const exceptionNamespace = spec.kyverno.exceptionNamespace;
  if (inputs.outputsFile) {
    const ids = resolvePlatformOutputs(spec, readOutputsFile(inputs.outputsFile), inputs.outputsFile);
    const charts = addKubernetesPlatform(app, spec, ids.groupObjectIds, ids.workloadIdentities);
    return { manifests: [charts.policies, charts.tenants].flatMap((c) => c.toJson()), exceptionNamespace };
  }
  const policies = new Chart(app, 'kyverno-policies');
  kyvernoPoliciesFromSpec(policies, spec);
  return { manifests: policies.toJson(), exceptionNamespace };
}
