import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { preflightCommand } from '../../apps/preflight';
import { runMain } from '../../lib/cli';
import { compiled } from './compiled';

/** What an app printed and its exit code. */
export interface AppRun {
  readonly out: string;
  readonly err: string;
  readonly code: number;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** A line of a JavaScript stack trace: what a user must never see for a mistake of theirs. */
export const STACK_FRAME = /^\s+at /m;

/**
 * Runs `main` the way an app does (`runMain`), capturing stdout, stderr and the exit code. An
 * error that `runMain` does not turn into a message (a defect, which would print a stack trace)
 * is thrown to the test.
 */
export function runCaptured(name: string, main: () => void): AppRun {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = 0;
  try {
    runMain(name, main);
    return { out, err, code: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = 0;
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** The folder check command (`apps/preflight.ts`) in this process. */
export function runPreflight(args: string[], env: Record<string, string> = {}): AppRun {
  return runCaptured('preflight', () => preflightCommand(args, { ...process.env, ...env }));
}

/** Options of spawnApp. */
export interface SpawnOptions {
  readonly env?: Record<string, string>;
  /** Run as this uid and gid (through setpriv), e.g. 65534 for nobody. @default - the current user */
  readonly uid?: number;
  /** @default 60000 */
  readonly timeoutMs?: number;
  /** Standard input. @default - none (an empty pipe) */
  readonly input?: string;
}

/**
 * Runs `apps/<app>.ts` as a separate process (its JavaScript, compiled by the global setup): for
 * inputs that could hang the process (a FIFO) or that need another user. A run past the timeout
 * is reported as code -1.
 */
export function spawnApp(app: string, args: string[], options: SpawnOptions = {}): AppRun {
  const node = [process.execPath, compiled(`apps/${app}.ts`), ...args];
  const [cmd, ...rest] =
    options.uid === undefined
      ? node
      : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', ...node];
  const r = spawnSync(cmd, rest, {
    cwd: ROOT,
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', CHECKPOINT_DISABLE: '1', ...options.env },
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 60000,
  });
  return { out: r.stdout ?? '', err: r.stderr ?? '', code: r.status ?? -1 };
}

/**
 * A FIFO at `file`, with a writer process holding it open for `seconds`: code that wrongly opens
 * it for a blocking read gets past the open and then reads an end of file once the writer is
 * gone, so the test fails on its assertions instead of hanging. Call the returned function to
 * stop the writer.
 */
export function fifoWithWriter(file: string, seconds = 20): () => void {
  execFileSync('mkfifo', [file]);
  const writer = spawn('sh', ['-c', 'exec 3>"$1"; sleep "$2"', 'fifo-writer', file, String(seconds)], {
    stdio: 'ignore',
  });
  return () => writer.kill();
}
