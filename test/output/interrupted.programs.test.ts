import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SynthStep } from '../../lib/output/synth-output';
import { leftovers, readTree, run, startPaused } from './child';

// Synths killed at every named step, in child processes: each folder must hold its previous or
// its new complete content, or (killed between the two renames) be put back by the next synth.
jest.setTimeout(60_000);

const DRIVER = 'test/output/driver.ts';

function contents(version: string): Record<string, string> {
  const files: Record<string, string> = { 'keep.txt': 'a file of the user' };
  for (let i = 0; i < 5; i++) files[`${i}.out`] = `${version} ${i}\n`;
  return files;
}

/** Two folders holding a complete v1, plus a file of the user in each. */
async function previous(): Promise<{ root: string; dirs: string[] }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'interrupted-'));
  const dirs = ['dist', 'reports'];
  const r = await run(DRIVER, ['v1', ...dirs], { cwd: root });
  expect(r.code).toBe(0);
  for (const d of dirs) fs.writeFileSync(path.join(root, d, 'keep.txt'), 'a file of the user');
  return { root, dirs };
}

const KILLS: Array<[SynthStep, NodeJS.Signals]> = [
  [SynthStep.LOCKED, 'SIGTERM'],
  [SynthStep.WRITING, 'SIGTERM'],
  [SynthStep.WRITING, 'SIGKILL'],
  [SynthStep.STAGED, 'SIGKILL'],
  [SynthStep.ASIDE, 'SIGTERM'],
  [SynthStep.ASIDE, 'SIGKILL'],
  [SynthStep.SWAPPED, 'SIGKILL'],
];

test.each(KILLS)('killed at %s with %s: previous or new, complete, in each folder', async (step, signal) => {
  const { root, dirs } = await previous();
  const { child, done } = await startPaused(DRIVER, ['v2', ...dirs], { cwd: root, pauseAt: step });
  child.kill(signal);
  expect((await done).signal).toBe(signal);

  const states = dirs.map((d) => readTree(path.join(root, d)));
  for (const s of states) {
    if (s === undefined) continue; // between the two renames: the aside copy is checked below
    expect([contents('v1'), contents('v2')]).toContainEqual(s);
  }
  // Only a kill between the two renames leaves a folder missing, and only the first one.
  expect(states.map((s) => s === undefined)).toEqual([step === SynthStep.ASIDE, false]);

  // The next synth, even a failing one, recovers first: nothing half-done remains.
  const next = await run(DRIVER, ['fail', ...dirs], { cwd: root });
  expect(next.stderr).toBe('driver: failed on purpose\n');
  for (const d of dirs) {
    const s = readTree(path.join(root, d));
    expect([contents('v1'), contents('v2')]).toContainEqual(s);
    expect(leftovers(path.join(root, d))).toEqual([]);
  }
  if (step === SynthStep.ASIDE) expect(readTree(path.join(root, 'dist'))).toEqual(contents('v1'));
});

test('a second synth of the same folders fails naming the first; a killed first one does not block the next', async () => {
  const { root, dirs } = await previous();
  const first = await startPaused(DRIVER, ['v2', ...dirs], { cwd: root, pauseAt: SynthStep.LOCKED });
  const second = await run(DRIVER, ['v3', 'reports'], { cwd: root });
  expect(second.code).toBe(1);
  expect(second.stderr).toMatch(
    new RegExp(
      `^driver: outdir reports is being written by another synth \\(driver, pid ${first.child.pid} on ${os.hostname()}, started \\d{4}-\\d\\d-\\d\\dT[^)]+\\): wait for it to finish, or delete .*\\.reports\\.synth\\.lock if that process is gone\\n$`,
    ),
  );
  expect(readTree(path.join(root, 'reports'))).toEqual(contents('v1'));

  first.child.kill('SIGKILL');
  await first.done;
  const third = await run(DRIVER, ['v3', ...dirs], { cwd: root });
  expect(third.code).toBe(0);
  for (const d of dirs) expect(readTree(path.join(root, d))).toEqual(contents('v3'));
  for (const d of dirs) expect(leftovers(path.join(root, d))).toEqual([]);
});
