import { PlatformError } from './spec/errors';

/**
 * Runs an app's main function: a user mistake prints its message and exits 1 without a stack
 * trace; anything else is a defect and keeps its stack.
 */
export function runMain(name: string, main: () => void): void {
  try {
    main();
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    process.stderr.write(`${name}: ${e.message}\n`);
    process.exitCode = 1;
  }
}
