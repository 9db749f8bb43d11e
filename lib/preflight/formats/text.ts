import type { FolderCheck } from '../folder-check';
import type { SkippedDocument } from '../manifests';
import { describeResource, formatResult, formatWhere, type NotJudged, type PolicyResult } from '../result';
import { verdictOf } from './format';

/** `k8s/list.yaml (document 2): a YAML list, not a Kubernetes object`. */
export function formatSkipped(s: SkippedDocument): string {
  return `${s.file}${s.document === undefined ? '' : ` (document ${s.document})`}: ${s.reason}`;
}

/** `Deployment/kube-system/x (k8s/x.yaml): not judged: namespace kube-system is excluded ...`. */
export function formatNotJudged(n: NotJudged): string {
  const where = formatWhere(n);
  return `${describeResource(n.resource)}${where ? ` (${where})` : ''}: not judged: ${n.reason}`;
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
  return verdictOf(r).padEnd(5);
}
