import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from './autogen';
import { reportToYaml } from './report-yaml';
import { summarize, type PolicyResult } from './result';

/**
 * The `source` of every result: the value Kyverno itself writes for ValidatingPolicy results, so
 * that Policy Reporter and `kubectl` filters treat preflight results like in-cluster ones.
 */
export const POLICY_REPORT_SOURCE = 'KyvernoValidatingPolicy';

/** metadata.name of every report the preflight writes. */
export const POLICY_REPORT_NAME = 'preflight';

const API_VERSION = 'wgpolicyk8s.io/v1alpha2';
const LABELS = { 'app.kubernetes.io/managed-by': 'cdk-aks-platform' };
/** The file, in the reports folder, that holds every report of a run. */
export const POLICY_REPORTS_FILE = 'policy-reports.yaml';

/**
 * The results as Kyverno lays them out: one PolicyReport per namespace and one ClusterPolicyReport
 * for cluster-scoped objects (always present, so an empty run still says it ran). Results carry no
 * `timestamp` (optional in the CRD): a timestamp would make two identical runs differ.
 */
export function policyReports(results: readonly PolicyResult[]): Manifest[] {
  const byNamespace = new Map<string, PolicyResult[]>();
  const cluster: PolicyResult[] = [];
  for (const r of results) {
    const ns = r.resource.namespace;
    if (ns === undefined) cluster.push(r);
    else {
      const list = byNamespace.get(ns);
      if (list) list.push(r);
      else byNamespace.set(ns, [r]);
    }
  }
  const reports: Manifest[] = [report('ClusterPolicyReport', undefined, cluster)];
  for (const ns of [...byNamespace.keys()].sort())
    reports.push(report('PolicyReport', ns, byNamespace.get(ns)!));
  return reports;
}

/**
 * Writes `reports` into `dir` as one multi-document file, replacing the file of an earlier run (a
 * namespace that went away must not keep its report). One file, not one per namespace: at a
 * thousand namespaces, creating and removing files costs more than writing the reports.
 * @returns the path written
 */
export function writePolicyReports(dir: string, reports: readonly Manifest[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, POLICY_REPORTS_FILE);
  fs.writeFileSync(file, reports.map((r) => reportToYaml(r)).join('---\n'));
  return [file];
}

function report(kind: string, namespace: string | undefined, results: PolicyResult[]): Manifest {
  const metadata: Manifest = { name: POLICY_REPORT_NAME };
  if (namespace !== undefined) metadata.namespace = namespace;
  metadata.labels = { ...LABELS };
  const sorted = [...results].sort(compareResults);
  return {
    apiVersion: API_VERSION,
    kind,
    metadata,
    results: sorted.map(entry),
    summary: summarize(sorted),
  };
}

function entry(r: PolicyResult): Manifest {
  const resource: Manifest = {
    apiVersion: r.resource.apiVersion,
    kind: r.resource.kind,
    name: r.resource.name,
  };
  if (r.resource.namespace !== undefined) resource.namespace = r.resource.namespace;
  const properties: Record<string, string> = { validationActions: r.actions.join(',') };
  if (r.source) properties.file = r.source;
  const out: Manifest = {
    policy: r.policy,
    rule: r.rule,
    result: r.result,
    scored: true,
    source: POLICY_REPORT_SOURCE,
  };
  if (r.message) out.message = r.message;
  if (r.severity) out.severity = r.severity;
  if (r.category) out.category = r.category;
  out.resources = [resource];
  out.properties = properties;
  return out;
}

function compareResults(a: PolicyResult, b: PolicyResult): number {
  const key = (r: PolicyResult): string[] => [
    r.policy,
    r.resource.kind,
    r.resource.name,
    r.resource.apiVersion,
    r.rule,
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}
