import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SkippedDocument } from '../manifests';
import {
  ValidationAction,
  type NotJudged,
  type PolicyDescription,
  type PolicyResult,
  type PolicyResultSummary,
} from '../result';

/** A report format of the folder check, besides the printed text and the PolicyReports. */
export enum ReportFormat {
  /** SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. */
  SARIF = 'sarif',
  /** JUnit XML (the Ant schema), for the test tabs of Azure DevOps, GitLab and Jenkins. */
  JUNIT = 'junit',
  /** Markdown, for `$GITHUB_STEP_SUMMARY` and merge-request notes. */
  MARKDOWN = 'markdown',
}

/** A report format and the file to write it to. */
export interface ReportOutput {
  readonly format: ReportFormat;
  readonly file: string;
}

/** What every format renders: one folder check, and where it ran. */
export interface ReportInput {
  readonly results: readonly PolicyResult[];
  readonly policies: readonly PolicyDescription[];
  readonly notJudged: readonly NotJudged[];
  readonly skipped: readonly SkippedDocument[];
  readonly ignoredExceptions: readonly string[];
  readonly summary: PolicyResultSummary;
  readonly objectCount: number;
  /** The time the check judged at (RFC 3339): PolicyExceptions expire against it. */
  readonly evaluationTime: string;
  /** The folder SARIF URIs are relative to (the repository root, for code scanning). */
  readonly sourceRoot: string;
}

/** The tag the printed text gives a result: what the cluster would do. */
export function verdictOf(r: PolicyResult): 'DENY' | 'AUDIT' | 'WARN' | 'INFO' {
  if (r.blocking) return 'DENY';
  if (r.actions.includes(ValidationAction.AUDIT)) return 'AUDIT';
  return r.actions.includes(ValidationAction.WARN) ? 'WARN' : 'INFO';
}

/** Results a format reports as problems: failed, warned or errored validations. */
export function isProblem(r: PolicyResult): boolean {
  return r.result === 'fail' || r.result === 'warn' || r.result === 'error';
}

let version: string | undefined;

/** The version of this package (from its package.json), for the tool sections of reports. */
export function packageVersion(): string {
  if (version !== undefined) return version;
  version = '0.0.0';
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'cdk-aks-platform' && typeof pkg.version === 'string') {
        version = pkg.version as string;
        break;
      }
    } catch {
      // not here: look one folder up
    }
  }
  return version;
}

/** The name reports give the tool: the package's command. */
export const TOOL_NAME = 'cdk-aks-preflight';
