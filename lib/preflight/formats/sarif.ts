import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatSkipped } from './text';
import {
  describeResource,
  ValidationAction,
  type ObjectLocation,
  type PolicyDescription,
  type PolicyResult,
} from '../result';
import { STANDARD_INPUT } from '../origin';
import { isProblem, packageVersion, TOOL_NAME, type ReportInput } from './format';

/** The schema SARIF files name: the one OASIS publishes for SARIF 2.1.0 (errata 01). */
export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * The base URI id of every file location: GitHub code scanning and SARIF viewers resolve it to
 * the checkout of the repository; `originalUriBaseIds` gives it for this run.
 */
export const SOURCE_ROOT_ID = '%SRCROOT%';

type Json = Record<string, unknown>;

// GitHub maps security-severity to its levels: over 9.0 critical, 7.0 high, 4.0 medium, else low.
const SECURITY_SEVERITY: Record<string, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** The SARIF level of a policy's failures: Deny rejects, Audit reports, Warn warns. */
function levelOfActions(actions: readonly ValidationAction[]): 'error' | 'warning' | 'note' {
  if (actions.includes(ValidationAction.DENY)) return 'error';
  return actions.includes(ValidationAction.AUDIT) ? 'warning' : 'note';
}

function levelOf(r: PolicyResult): 'error' | 'warning' | 'note' {
  if (r.blocking) return 'error';
  if (r.result === 'error') return 'warning';
  return levelOfActions(r.actions.filter((a) => a !== ValidationAction.DENY));
}

function actionText(actions: readonly ValidationAction[]): string {
  if (actions.includes(ValidationAction.DENY)) return 'Deny: the cluster rejects an object that fails it.';
  if (actions.includes(ValidationAction.AUDIT))
    return 'Audit: the cluster accepts an object that fails it and records the failure in its policy reports.';
  return 'Warn: the cluster accepts an object that fails it and warns the client.';
}

function rule(p: PolicyDescription): Json {
  const title = p.title ?? p.name;
  const description = p.description ?? title;
  const messages = p.messages.map((m) => `- ${m}`).join('\n');
  const severity = p.severity ? SECURITY_SEVERITY[p.severity] : undefined;
  return {
    id: p.name,
    shortDescription: { text: title },
    fullDescription: { text: description },
    help: {
      text: `${description}\n\nAn object fails when:\n${messages}\n\n${actionText(p.actions)}`,
      markdown: `**${title}**\n\n${description}\n\nAn object fails when:\n${messages}\n\n${actionText(p.actions)}`,
    },
    defaultConfiguration: { level: levelOfActions(p.actions) },
    properties: {
      tags: ['kubernetes', 'kyverno', 'security', ...(p.category ? [p.category] : [])],
      precision: 'very-high',
      ...(severity ? { 'security-severity': severity } : {}),
      validationActions: p.actions.join(','),
    },
  };
}

/**
 * The URI of a file: relative to the source root (with its base id) when inside it, else an
 * absolute file URI. Standard input has none.
 */
function artifactLocation(file: string, root: string): Json | undefined {
  if (file === STANDARD_INPUT) return undefined;
  const abs = path.resolve(file);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT_ID };
}

function physical(file: string, root: string, at?: { line: number; column: number }): Json | undefined {
  const artifact = artifactLocation(file, root);
  if (!artifact) return undefined;
  return {
    artifactLocation: artifact,
    ...(at ? { region: { startLine: at.line, startColumn: at.column } } : {}),
  };
}

function objectText(r: PolicyResult): string {
  const l = r.location;
  const where = l ? ` (document ${l.document}${l.item ? ` ${l.item}` : ''})` : '';
  return `${describeResource(r.resource)}${where}`;
}

// Stable across edits of other lines: an alert follows its object and policy, not its line number.
function fingerprint(r: PolicyResult): string {
  const { apiVersion, kind, namespace, name } = r.resource;
  const key = [r.policy, r.location?.file ?? r.source ?? '', apiVersion, kind, namespace ?? '', name].join(
    '\0',
  );
  return crypto.createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function result(r: PolicyResult, ruleIndex: number, root: string): Json {
  const file = r.location?.file ?? r.source;
  const primary = file === undefined ? undefined : physical(file, root, r.field ?? r.location);
  const logical = [{ fullyQualifiedName: describeResource(r.resource), kind: 'resource' }];
  const related =
    r.field && r.location && file !== undefined
      ? [{ id: 1, physicalLocation: physical(file, root, r.location), message: { text: objectText(r) } }]
      : [];
  return {
    ruleId: r.policy,
    ruleIndex,
    kind: 'fail',
    level: levelOf(r),
    message: { text: `${describeResource(r.resource)}: ${r.message}` },
    locations: [{ ...(primary ? { physicalLocation: primary } : {}), logicalLocations: logical }],
    ...(related.length > 0 && related[0].physicalLocation ? { relatedLocations: related } : {}),
    partialFingerprints: { 'preflightObjectPolicy/v1': fingerprint(r) },
    properties: {
      result: r.result,
      validationActions: r.actions.join(','),
      blocking: r.blocking,
      ...(r.field ? { field: r.field.path } : {}),
      ...(r.location ? { document: r.location.document } : {}),
    },
  };
}

function notification(
  text: string,
  level: 'error' | 'warning' | 'note',
  root: string,
  file?: string,
  at?: ObjectLocation,
): Json {
  const where = file === undefined ? undefined : physical(file, root, at);
  return { message: { text }, level, ...(where ? { locations: [{ physicalLocation: where }] } : {}) };
}

/**
 * A SARIF 2.1.0 log of one folder check: one rule per policy, one result per failed, warned or
 * errored validation, located at the field it points at (else the object), relative to the
 * source root. What was not judged (sources to render first, documents that are not objects,
 * excluded namespaces) is in the invocation's notifications; the run is not successful when a
 * source had to be rendered first.
 */
export function renderSarif(input: ReportInput): string {
  const root = path.resolve(input.sourceRoot);
  const ruleIndex = new Map(input.policies.map((p, i) => [p.name, i]));
  const unrendered = input.skipped.filter((s) => s.renderWith !== undefined);
  const notifications = [
    ...input.skipped.map((s) =>
      notification(formatSkipped(s), s.renderWith ? 'error' : 'note', root, s.file),
    ),
    ...input.notJudged.map((n) =>
      notification(
        `${describeResource(n.resource)}: not judged: ${n.reason}`,
        'note',
        root,
        n.location?.file ?? n.source,
        n.location,
      ),
    ),
    ...input.ignoredExceptions.map((e) =>
      notification(`PolicyException ${e}: outside the exception namespace, Kyverno ignores it`, 'note', root),
    ),
  ];
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            semanticVersion: packageVersion(),
            rules: input.policies.map(rule),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT_ID]: { uri: pathToFileURL(root + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: unrendered.length === 0,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results: input.results.filter(isProblem).map((r) => result(r, ruleIndex.get(r.policy) ?? -1, root)),
        properties: {
          summary: input.summary,
          objects: input.objectCount,
          evaluationTime: input.evaluationTime,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
