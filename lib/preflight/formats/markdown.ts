import { describeResource, formatWhere, type PolicyResult } from '../result';
import { isProblem, verdictOf, type ReportInput } from './format';
import { formatNotJudged, formatSkipped } from './text';

/**
 * Rows of the failures table. GitHub keeps at most 1 MiB of a step's summary and merge-request
 * notes have limits of their own: past this many, the rest is counted, not listed.
 */
export const MARKDOWN_MAX_ROWS = 200;

/** Text that Markdown shows as written: no markup, no HTML, one line, no table break. */
export function markdownText(s: string): string {
  return s
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|~<>&]/g, (c) =>
      c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
    );
}

/** A code span holding `s` as written (backticks inside are fenced by a longer run). */
function code(s: string): string {
  const one = s.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const runs = one.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  return one.includes('`') ? `${fence} ${one} ${fence}` : `${fence}${one}${fence}`;
}

const ORDER = { DENY: 0, AUDIT: 1, WARN: 2, INFO: 3 };

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * A Markdown summary of one folder check: a headline (what the cluster would deny), the counts,
 * a table per policy, the failures (Deny first, at most MARKDOWN_MAX_ROWS rows) with where each
 * is written, and what was not checked.
 */
export function renderMarkdown(input: ReportInput): string {
  const problems = input.results.filter(isProblem);
  const denied = problems.filter((r) => r.blocking).length;
  const unrendered = input.skipped.filter((s) => s.renderWith !== undefined);
  const out: string[] = [];
  const headline =
    denied > 0
      ? `${plural(denied, 'violation')} the cluster would deny`
      : unrendered.length > 0
        ? `${plural(unrendered.length, 'source')} to render before it can be checked`
        : 'nothing the cluster would deny';
  out.push(`### Preflight: ${headline}`, '');
  const s = input.summary;
  out.push(
    `${plural(input.policies.length, 'policy', 'policies')}, ${plural(input.objectCount, 'object')}: ` +
      `${s.pass} passed, ${s.fail} failed, ${s.warn} warned, ${s.error} errors, ${s.skip} excepted` +
      (input.notJudged.length > 0 ? `; ${input.notJudged.length} not judged` : '') +
      (input.skipped.length > 0 ? `; ${input.skipped.length} skipped` : '') +
      '.',
    '',
  );

  const counts = new Map<string, { pass: number; problems: number }>();
  for (const r of input.results) {
    const c = counts.get(r.policy) ?? { pass: 0, problems: 0 };
    if (r.result === 'pass') c.pass++;
    else if (isProblem(r)) c.problems++;
    counts.set(r.policy, c);
  }
  const judged = input.policies.filter((p) => counts.has(p.name));
  if (judged.length > 0) {
    out.push('| Policy | Action | Severity | Passed | Failed |', '|---|---|---|--:|--:|');
    for (const p of judged) {
      const c = counts.get(p.name)!;
      out.push(
        `| ${code(p.name)} | ${p.actions.join(', ')} | ${p.severity ?? ''} | ${c.pass} | ${c.problems > 0 ? `**${c.problems}**` : '0'} |`,
      );
    }
    out.push('');
  }

  if (problems.length > 0) {
    const sorted = problems
      .map((r, i) => ({ r, i }))
      .sort((a, b) => ORDER[verdictOf(a.r)] - ORDER[verdictOf(b.r)] || a.i - b.i)
      .map(({ r }) => r);
    out.push('#### Failures', '', '| | Policy | Object | Where | Message |', '|---|---|---|---|---|');
    for (const r of sorted.slice(0, MARKDOWN_MAX_ROWS)) out.push(row(r));
    if (sorted.length > MARKDOWN_MAX_ROWS)
      out.push(
        '',
        `… and ${plural(sorted.length - MARKDOWN_MAX_ROWS, 'more failure')}: see the SARIF or JUnit report, or the job's log.`,
      );
    out.push('');
  }

  const notChecked = [
    ...unrendered.map((x) => `**render first**: ${markdownText(formatSkipped(x))}`),
    ...input.skipped.filter((x) => x.renderWith === undefined).map((x) => markdownText(formatSkipped(x))),
    ...input.notJudged.map((n) => markdownText(formatNotJudged(n))),
    ...input.ignoredExceptions.map((e) =>
      markdownText(`PolicyException ${e}: outside the exception namespace, Kyverno ignores it`),
    ),
  ];
  if (notChecked.length > 0) {
    out.push('#### Not checked', '');
    for (const line of notChecked.slice(0, MARKDOWN_MAX_ROWS)) out.push(`- ${line}`);
    if (notChecked.length > MARKDOWN_MAX_ROWS)
      out.push(`- … and ${plural(notChecked.length - MARKDOWN_MAX_ROWS, 'more')}: see the job's log.`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function row(r: PolicyResult): string {
  const where = formatWhere(r);
  return `| ${verdictOf(r)} | ${code(r.policy)} | ${code(describeResource(r.resource))} | ${where ? code(where) : ''} | ${markdownText(r.message)} |`;
}
