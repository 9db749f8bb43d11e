import { PlatformError } from './spec/errors';

/**
 * Runs an app's main function: a user mistake prints its message and exits 1 without a stack
 * trace; anything else is a defect and keeps its stack.
 */
export function runMain(name: string, main: () => void | Promise<void>): void {
  const fail = (e: unknown): void => {
    if (e instanceof PlatformError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  };
  try {
    const result = main();
    if (result instanceof Promise)
      result.catch((e) => {
        try {
          fail(e);
        } catch (defect) {
          process.stderr.write(`${name}: internal error\n${(defect as Error).stack ?? String(defect)}\n`);
          process.exitCode = 2;
        }
      });
  } catch (e) {
    fail(e);
  }
}
