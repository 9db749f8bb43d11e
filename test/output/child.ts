import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEST_PAUSE_VARIABLE } from '../../lib/output/synth-output';
import { compiled } from '../support/compiled';

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildOptions {
  /** Working directory. */
  readonly cwd: string;
  /** Added to a clean environment (no PLATFORM_* or *_OUTDIR of the machine running the tests). */
  readonly env?: Record<string, string>;
  /** Pause the child at this step (see SynthStep). */
  readonly pauseAt?: string;
}

/**
 * A TypeScript file of the repository (e.g. `apps/kubernetes.ts`) as a child process: its
 * JavaScript, compiled by the global setup.
 */
export function start(script: string, args: readonly string[], options: ChildOptions): ChildProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    CDK8S_CHECK_UPGRADE: 'false',
    CHECKPOINT_DISABLE: '1',
  };
  Object.assign(env, options.env);
  if (options.pauseAt) env[TEST_PAUSE_VARIABLE] = options.pauseAt;
  return spawn(process.execPath, [compiled(script), ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for a child to end. */
export function finished(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function run(script: string, args: readonly string[], options: ChildOptions): Promise<Run> {
  return finished(start(script, args, options));
}

/**
 * Starts a child paused at `step` and resolves once it is there (its stderr says so).
 * @returns the child and a promise of its end
 */
export async function startPaused(
  script: string,
  args: readonly string[],
  options: ChildOptions & { readonly pauseAt: string },
): Promise<{ child: ChildProcess; done: Promise<Run> }> {
  const child = start(script, args, options);
  const done = finished(child);
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (d) => {
      seen += d;
      if (seen.includes(`paused at ${options.pauseAt.split(':')[0]}`)) resolve();
    });
    done.then((r) => reject(new Error(`${script} ended before ${options.pauseAt}: ${r.code} ${r.stderr}`)));
  });
  return { child, done };
}

/** Every file under `dir` with its content; undefined when `dir` does not exist. */
export function readTree(dir: string): Record<string, string> | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The hidden siblings of an output folder: its lock, staging and aside folders. */
export function leftovers(dir: string): string[] {
  const prefix = `.${path.basename(dir)}.`;
  return fs
    .readdirSync(path.dirname(dir))
    .filter((n) => n.startsWith(prefix))
    .sort();
}
