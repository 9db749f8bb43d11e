import { PlatformError } from '../../platform-file/errors';
import { ReportFormat, type ReportInput, type ReportOutput } from './format';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderSarif } from './sarif';

export { ReportFormat, type ReportInput, type ReportOutput } from './format';
export { renderJunit } from './junit';
export { renderMarkdown, MARKDOWN_MAX_ROWS } from './markdown';
export { renderSarif, SARIF_SCHEMA_URI, SOURCE_ROOT_ID } from './sarif';
export { formatFolderCheck, formatNotJudged, formatSkipped } from './text';

/** The report of one folder check in `format`. */
export function renderReport(format: ReportFormat, input: ReportInput): string {
  switch (format) {
    case ReportFormat.SARIF:
      return renderSarif(input);
    case ReportFormat.JUNIT:
      return renderJunit(input);
    case ReportFormat.MARKDOWN:
      return renderMarkdown(input);
  }
}

const FORMATS = Object.values(ReportFormat) as string[];

/**
 * Reads the value of `--format`: `<format>=<file>`, e.g. `sarif=preflight.sarif`.
 * @throws PlatformError naming the value when the format is unknown or the file missing
 */
export function parseReportOutput(value: string): ReportOutput {
  const at = value.indexOf('=');
  const format = at < 0 ? value : value.slice(0, at);
  const file = at < 0 ? '' : value.slice(at + 1);
  if (!FORMATS.includes(format))
    throw new PlatformError(
      `--format ${JSON.stringify(value)}: ${JSON.stringify(format)} is not a format; expected <format>=<file> with a format among ${FORMATS.join(', ')} (e.g. --format sarif=preflight.sarif)`,
    );
  if (file === '')
    throw new PlatformError(
      `--format ${JSON.stringify(value)}: no file to write the ${format} report to; expected ${format}=<file>`,
    );
  return { format: format as ReportFormat, file };
}
