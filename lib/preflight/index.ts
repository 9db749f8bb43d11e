// The preflight: the platform's Kyverno policies evaluated at synth time, no cluster needed.
export * from './result';
export * from './preflight';
export * from './errors';
export { isValidatingPolicy, VALIDATING_POLICY_API_VERSIONS } from './policy';
export { isPolicyException } from './exception';
export {
  policyReports,
  writePolicyReports,
  POLICY_REPORT_NAME,
  POLICY_REPORT_SOURCE,
  POLICY_REPORTS_FILE,
} from './report';
export { readManifests, ManifestReader, type ManifestSet, type SkippedDocument } from './manifests';
export { ManifestOrigin, STANDARD_INPUT, type PathKey } from './origin';
export {
  ReportFormat,
  parseReportOutput,
  renderReport,
  renderSarif,
  renderJunit,
  renderMarkdown,
  MARKDOWN_MAX_ROWS,
  SARIF_SCHEMA_URI,
  SOURCE_ROOT_ID,
  type ReportInput,
  type ReportOutput,
} from './formats';
export {
  checkFolder,
  formatFolderCheck,
  formatNotJudged,
  formatSkipped,
  type FolderCheck,
  type FolderCheckOptions,
} from './folder-check';
