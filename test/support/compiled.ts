import * as path from 'node:path';

// The JavaScript of the sources that tests run as child processes, written by the global setup.
// Inside the repository's node_modules, so that the compiled files resolve its packages.
const ROOT = path.resolve(__dirname, '..', '..');

/** Where the compiled files are. */
export const COMPILED_DIR = path.join(ROOT, 'node_modules', '.cache', 'cdk-aks-platform', 'test-build');

/** The folders compiled: what the children load. */
export const COMPILED_ROOTS: readonly string[] = ['lib', 'apps', 'test/output'];

/** The compiled file of a source of the repository: `apps/kubernetes.ts` to `<COMPILED_DIR>/apps/kubernetes.js`. */
export function compiled(source: string): string {
  return path.join(COMPILED_DIR, path.relative(ROOT, path.resolve(ROOT, source)).replace(/\.ts$/, '.js'));
}
