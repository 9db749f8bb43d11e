import { PlatformError } from './platform-file/errors';
import type { PlatformInputs } from './platform-file/environment';

/**
 * Runs an app's main function: a user mistake prints its message and exits 1 without a stack
 * trace; anything else is a defect and keeps its stack.
 */
export function runMain(name: string, main: () => void): void {
  // What the apps print comes after their output is written: a reader that stopped early
  // (`npm run synth | head`) is no failure of theirs.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  try {
    main();
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    process.stderr.write(`${name}: ${e.message}\n`);
    process.exitCode = 1;
  }
}

/** One line of what an app did: what (a file written, a file read) and its details. */
export interface SummaryRow {
  readonly what: string;
  readonly detail: string;
}

/**
 * What an app prints on success. The first line names the platform file, and says when it is
 * the reference platform taken by default: a pipeline whose PLATFORM_CONFIG went missing must
 * not build the demo platform unnoticed.
 */
export function formatSummary(
  name: string,
  inputs: PlatformInputs,
  rows: readonly SummaryRow[],
  recovered: readonly string[],
): string {
  const first = inputs.referenceDefault
    ? `${name}: platform file ${inputs.configFile} (the reference platform: PLATFORM_CONFIG is not set)`
    : `${name}: platform file ${inputs.configFile}`;
  const all = [
    ...recovered.map((dir) => ({ what: `recovered ${dir}`, detail: 'put back from an interrupted synth' })),
    ...rows,
  ];
  const width = Math.max(0, ...all.map((r) => r.what.length));
  return [first, ...all.map((r) => `  ${r.what.padEnd(width)}  ${r.detail}`)].join('\n') + '\n';
}

/** `1 object`, `2 objects`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
