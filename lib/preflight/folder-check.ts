import { App, Chart } from 'cdk8s';
import { addKubernetesPlatform } from '../kubernetes/platform';
import { kyvernoPoliciesFromSpec } from '../kubernetes/kyverno/from-spec';
import {
  groupKeysNeededByKubernetes,
  loadPlatformFile,
  readOutputsFile,
  resolveGroupObjectIds,
  type PlatformInputs,
} from '../spec';
import type { Manifest } from './autogen';
import { readManifests } from './manifests';
import { Preflight, PreflightResult } from './preflight';
import { writePolicyReports } from './report';
import { formatResult, ValidationAction, type PolicyResult } from './result';

/** What the folder check reads and writes. */
export interface FolderCheckOptions {
  /** A folder (or one file) of manifests to check, e.g. an application team's `k8s/` folder. */
  readonly target: string;
  /**
   * Files or folders of the platform's synthesized YAML (e.g. `dist`): their ValidatingPolicies
   * are the policies, their Namespaces give the namespace labels.
   * @default - the policies (and, with an outputs file, the namespaces) built from `platform`
   */
  readonly platformManifests?: string[];
  /**
   * The platform file (and outputs file) to build the policies from when `platformManifests` is not given.
   * @default - none; then `platformManifests` is required
   */
  readonly platform?: PlatformInputs;
  /** Folder to write the PolicyReports into. @default - none written */
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
  /** PolicyReport files written. */
  readonly reportFiles: string[];
}

/**
 * Checks any folder of manifests against the platform's policies, the way the cluster's Kyverno
 * would at admission.
 * @throws PlatformError on unreadable input or a malformed policy (violations are in the result)
 */
export function checkFolder(options: FolderCheckOptions): FolderCheck {
  const platform = options.platformManifests
    ? options.platformManifests.flatMap((p) => readManifests(p).manifests)
    : platformObjects(options.platform);
  const { manifests, sources } = readManifests(options.target);
  const preflight = new Preflight({
    policies: platform,
    objects: manifests,
    namespaces: platform.filter((m) => m.kind === 'Namespace'),
    sources,
    defaultNamespace: options.defaultNamespace,
  });
  const result = preflight.evaluate();
  const reportFiles = options.reportsDir
    ? writePolicyReports(options.reportsDir, result.toPolicyReports())
    : [];
  return { result, policyCount: preflight.policies.length, objectCount: manifests.length, reportFiles };
}

function platformObjects(inputs: PlatformInputs | undefined): Manifest[] {
  if (!inputs) return [];
  const spec = loadPlatformFile(inputs.configFile);
  const app = new App({ outdir: '.preflight-unused' });
  if (inputs.outputsFile) {
    const ids = resolveGroupObjectIds(
      spec,
      groupKeysNeededByKubernetes(spec),
      readOutputsFile(inputs.outputsFile),
      inputs.outputsFile,
    );
    const charts = addKubernetesPlatform(app, spec, ids);
    return [charts.policies, charts.tenants].flatMap((c) => c.toJson());
  }
  const policies = new Chart(app, 'kyverno-policies');
  kyvernoPoliciesFromSpec(policies, spec);
  return policies.toJson();
}

/**
 * The report as printed: each result that is not a pass, tagged with what the cluster would do,
 * then the counts. Blocking results are tagged DENY.
 */
export function formatFolderCheck(check: FolderCheck): string {
  const lines: string[] = [];
  for (const r of check.result.results) if (r.result !== 'pass') lines.push(`${tag(r)} ${formatResult(r)}`);
  const s = check.result.summary;
  const denied = check.result.violations.length;
  lines.push(
    `${check.policyCount} policies, ${check.objectCount} objects: pass ${s.pass}, fail ${s.fail}, warn ${s.warn}, error ${s.error}, skip ${s.skip}; ` +
      (denied ? `${denied} would be denied` : 'nothing would be denied'),
  );
  return lines.join('\n');
}

function tag(r: PolicyResult): string {
  if (r.blocking) return 'DENY ';
  if (r.actions.includes(ValidationAction.AUDIT)) return 'AUDIT';
  return r.actions.includes(ValidationAction.WARN) ? 'WARN ' : 'INFO ';
}
