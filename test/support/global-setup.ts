import * as path from 'node:path';
import { COMPILED_DIR, COMPILED_ROOTS } from './compiled';

interface TranspileOptions {
  readonly root: string;
  readonly roots: readonly string[];
  readonly outDir: string;
}

// Plain JavaScript (it runs before anything is compiled), hence required with its type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { transpile } = require('../../scripts/transpile') as {
  transpile(options: TranspileOptions): string[];
};

/**
 * Before any test file: the sources that tests run as child processes (the apps, the synth
 * driver) are transpiled once, and only those changed since the last run. The children start as
 * `node <file>.js`, the way a pipeline runs the apps, instead of each transpiling what it loads.
 */
export default function globalSetup(): void {
  transpile({ root: path.resolve(__dirname, '..', '..'), roots: COMPILED_ROOTS, outDir: COMPILED_DIR });
}
