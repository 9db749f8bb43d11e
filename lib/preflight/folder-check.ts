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
} from '../spec';
import type { Manifest } from './autogen';
import { isPolicyException } from './exception';
import { ManifestReader, type SkippedDocument } from './manifests';
import { isValidatingPolicy } from './policy';
import { Preflight, PreflightResult } from './preflight';
import { POLICY_REPORTS_FILE, writePolicyReports } from './report';
import {
  describeResource,
  formatResult,
  ValidationAction,
  type NotJudged,
  type PolicyResult,
} from './result';

/** What the folder check reads and writes. */
export interface FolderCheckOptions {
  /** A folder (or one file) of manifests to check, e.g. an application team's `k8s/` folder. */
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
}

/** The outcome of a folder check. */
export interface FolderCheck {
  readonly result: PreflightResult;
  /** Number of ValidatingPolicies used. */
  readonly policyCount: number;
  /** Number of objects read from the target. */
  readonly objectCount: number;
  /** Documents and files of the target that hold no Kubernetes object, with the reason. */
  readonly skipped: SkippedDocument[];
  /** PolicyExceptions of the platform that Kyverno would ignore: outside the exception namespace. */
  readonly ignoredExceptions: string[];
  /** PolicyReport files written. */
  readonly reportFiles: string[];
}

/**
 * Checks any folder of manifests against the platform's policies, the way the cluster's Kyverno
 * would at admission. A check that cannot judge fails: no policy, or no object judged.
 * @throws PlatformError on unreadable input, a malformed policy, no ValidatingPolicy, no object
 * judged, or a reports folder inside what is read (violations are in the result)
 */
export function checkFolder(options: FolderCheckOptions): FolderCheck {
  refuseReportsInsideInputs(options);
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
    defaultNamespace: options.defaultNamespace,
    exceptionNamespace,
  });
  if (preflight.policies.length === 0)
    throw new PlatformError(`${from}: none of its ValidatingPolicies judges objects at admission`);
  const result = preflight.evaluate();
  if (target.manifests.length === result.notJudged.length)
    throw new PlatformError(nothingJudged(options.target, target.skipped, result.notJudged));
  const reportFiles = options.reportsDir
    ? writePolicyReports(options.reportsDir, result.toPolicyReports())
    : [];
  return {
    result,
    policyCount: preflight.policies.length,
    objectCount: target.manifests.length,
    skipped: target.skipped,
    ignoredExceptions,
    reportFiles,
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

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

// Reports inside the checked folder would be read back as manifests on the next run; inside the
// platform's output they would be applied with it.
function refuseReportsInsideInputs(options: FolderCheckOptions): void {
  if (options.reportsDir === undefined) return;
  const reports = realPath(options.reportsDir);
  const inputs = [
    { path: options.target, what: 'the checked folder' },
    ...(options.platformManifests ?? []).map((p) => ({
      path: p,
      what: "the platform's output (--policies)",
    })),
  ];
  for (const input of inputs) {
    const real = realPath(input.path);
    if (isInside(reports, real) || path.join(reports, POLICY_REPORTS_FILE) === real)
      throw new PlatformError(
        `the reports folder ${options.reportsDir} is inside ${input.what} ${input.path}: the reports would be read as manifests next time; write them elsewhere`,
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

/** `k8s/list.yaml (document 2): a YAML list, not a Kubernetes object`. */
export function formatSkipped(s: SkippedDocument): string {
  return `${s.file}${s.document === undefined ? '' : ` (document ${s.document})`}: ${s.reason}`;
}

/** `Deployment/kube-system/x (k8s/x.yaml): not judged: namespace kube-system is excluded ...`. */
export function formatNotJudged(n: NotJudged): string {
  return `${describeResource(n.resource)}${n.source ? ` (${n.source})` : ''}: not judged: ${n.reason}`;
}

/**
 * The report as printed: each result that is not a pass, tagged with what the cluster would do,
 * then the counts. Blocking results are tagged DENY.
 */
export function formatFolderCheck(check: FolderCheck): string {
  const lines: string[] = [];
  for (const s of check.skipped) lines.push(`SKIP  ${formatSkipped(s)}`);
  for (const n of check.result.notJudged) lines.push(`SKIP  ${formatNotJudged(n)}`);
  for (const e of check.ignoredExceptions)
    lines.push(`SKIP  PolicyException ${e}: outside the exception namespace, Kyverno ignores it`);
  for (const r of check.result.results) if (r.result !== 'pass') lines.push(`${tag(r)} ${formatResult(r)}`);
  const s = check.result.summary;
  const denied = check.result.violations.length;
  const notJudged = check.result.notJudged.length;
  const counts = [
    `${check.policyCount} policies`,
    `${check.objectCount} objects`,
    ...(notJudged ? [`${notJudged} not judged`] : []),
    ...(check.skipped.length ? [`${check.skipped.length} skipped`] : []),
  ];
  lines.push(
    `${counts.join(', ')}: pass ${s.pass}, fail ${s.fail}, warn ${s.warn}, error ${s.error}, skip ${s.skip}; ` +
      (denied ? `${denied} would be denied` : 'nothing would be denied'),
  );
  return lines.join('\n');
}

function tag(r: PolicyResult): string {
  if (r.blocking) return 'DENY ';
  if (r.actions.includes(ValidationAction.AUDIT)) return 'AUDIT';
  return r.actions.includes(ValidationAction.WARN) ? 'WARN ' : 'INFO ';
}
