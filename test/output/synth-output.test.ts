import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lockFileOf } from '../../lib/output/lock';
import { EntryKind, SynthOutput, writeOutputFolders } from '../../lib/output/synth-output';
import { PlatformError } from '../../lib/platform-file/errors';
import { leftovers, readTree } from './child';

/** Output of the tests: `*.out` files at the top of the folder. */
const isOutput = (rel: string, kind: EntryKind) =>
  kind === EntryKind.FILE && !rel.includes('/') && rel.endsWith('.out');

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'synth-output-'));
}

function write(dir: string, files: Record<string, string>): void {
  writeOutputFolders('test', [{ dir, setting: 'outdir', isOutput }], (output) => {
    const staging = output.stagingDir(dir);
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(staging, name)), { recursive: true });
      fs.writeFileSync(path.join(staging, name), text);
    }
  });
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
}

describe('replacing an output folder', () => {
  test('GIVEN an earlier output and files of the user THEN the output is replaced and the rest carried over', () => {
    const dir = path.join(tmp(), 'dist');
    write(dir, { 'a.out': 'v1 a', 'b.out': 'v1 b' });
    fs.writeFileSync(path.join(dir, 'README.txt'), 'mine');
    fs.mkdirSync(path.join(dir, 'notes'));
    fs.writeFileSync(path.join(dir, 'notes', 'x.out'), 'nested: not output');
    fs.symlinkSync('README.txt', path.join(dir, 'link'));

    write(dir, { 'a.out': 'v2 a' });

    expect(readTree(dir)).toEqual({
      'a.out': 'v2 a',
      'README.txt': 'mine',
      'notes/x.out': 'nested: not output',
      link: 'mine',
    });
    expect(fs.readlinkSync(path.join(dir, 'link'))).toBe('README.txt');
    expect(leftovers(dir)).toEqual([]);
  });

  test('a folder that does not exist yet is created, with its parents', () => {
    const dir = path.join(tmp(), 'deep', 'er', 'dist');
    write(dir, { 'a.out': 'v1' });
    expect(readTree(dir)).toEqual({ 'a.out': 'v1' });
  });

  test('a folder reached through a symbolic link is replaced where it really is; the link stays', () => {
    const root = tmp();
    const real = path.join(root, 'real-dist');
    write(real, { 'a.out': 'v1' });
    fs.symlinkSync(real, path.join(root, 'dist'));
    write(path.join(root, 'dist'), { 'a.out': 'v2' });
    expect(fs.lstatSync(path.join(root, 'dist')).isSymbolicLink()).toBe(true);
    expect(readTree(real)).toEqual({ 'a.out': 'v2' });
  });

  test('GIVEN a folder of the user named like an output file WHEN the synth writes that file THEN one line, and nothing changes', () => {
    const dir = path.join(tmp(), 'dist');
    write(dir, { 'a.out': 'v1' });
    fs.mkdirSync(path.join(dir, 'zz.out'));
    const e = errorOf(() => write(dir, { 'a.out': 'v2', 'zz.out': 'v2' }));
    expect(e).toBeInstanceOf(PlatformError);
    expect(e.message).toBe(
      `${path.join(dir, 'zz.out')} is a directory the synth did not write, where it now writes a file: move it out of outdir ${dir}`,
    );
    expect(readTree(dir)).toEqual({ 'a.out': 'v1' });
    expect(fs.statSync(path.join(dir, 'zz.out')).isDirectory()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });

  test('GIVEN a folder of the user named like an output file THEN it is kept when the synth does not write that name', () => {
    const dir = path.join(tmp(), 'dist');
    write(dir, { 'a.out': 'v1' });
    fs.mkdirSync(path.join(dir, 'zz.out'));
    write(dir, { 'a.out': 'v2' });
    expect(fs.statSync(path.join(dir, 'zz.out')).isDirectory()).toBe(true);
    expect(readTree(dir)).toEqual({ 'a.out': 'v2' });
  });

  test('GIVEN a failure while writing THEN the previous output is intact and nothing is left behind', () => {
    const dir = path.join(tmp(), 'dist');
    write(dir, { 'a.out': 'v1' });
    expect(() =>
      writeOutputFolders('test', [{ dir, setting: 'outdir', isOutput }], (output) => {
        fs.writeFileSync(path.join(output.stagingDir(dir), 'a.out'), 'half');
        throw new PlatformError('boom');
      }),
    ).toThrow('boom');
    expect(readTree(dir)).toEqual({ 'a.out': 'v1' });
    expect(leftovers(dir)).toEqual([]);
  });

  test('a folder never staged is left alone', () => {
    const root = tmp();
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    write(b, { 'x.out': 'v1' });
    writeOutputFolders(
      'test',
      [
        { dir: a, setting: 'a', isOutput },
        { dir: b, setting: 'b', isOutput },
      ],
      (output) => {
        fs.writeFileSync(path.join(output.stagingDir(a), 'y.out'), 'v1');
      },
    );
    expect(readTree(a)).toEqual({ 'y.out': 'v1' });
    expect(readTree(b)).toEqual({ 'x.out': 'v1' });
  });
});

describe('output folders the synth refuses, in one line', () => {
  test.each([
    [
      'a regular file',
      (root: string) => fs.writeFileSync(path.join(root, 'dist'), 'x'),
      'dist',
      'is a file, not a folder',
    ],
    [
      'inside a regular file',
      (root: string) => fs.writeFileSync(path.join(root, 'f'), 'x'),
      'f/dist',
      'a part of',
    ],
    [
      'a link to nothing',
      (root: string) => fs.symlinkSync(path.join(root, 'none'), path.join(root, 'dist')),
      'dist',
      'is a link to nothing',
    ],
  ])('%s', (_what, given, rel, message) => {
    const root = tmp();
    given(root);
    const dir = path.join(root, rel);
    const e = errorOf(() => write(dir, { 'a.out': 'v1' }));
    expect(e).toBeInstanceOf(PlatformError);
    expect(e.message.startsWith(`outdir ${dir}`)).toBe(true);
    expect(e.message).toContain(message);
    expect(e.message).not.toContain('\n');
  });

  test('the working directory or a folder holding it', () => {
    const e = errorOf(() => write('.', { 'a.out': 'v1' }));
    expect(e.message).toMatch(/^outdir \. holds the working directory/);
    expect(errorOf(() => write('..', {})).message).toMatch(/holds the working directory/);
  });

  test('one output folder inside another', () => {
    const root = tmp();
    const e = errorOf(() =>
      SynthOutput.open('test', [
        { dir: path.join(root, 'out'), setting: 'outdir', isOutput },
        { dir: path.join(root, 'out', 'reports'), setting: 'reportsDir', isOutput },
      ]),
    );
    expect(e.message).toBe(
      `reportsDir ${path.join(root, 'out', 'reports')} must be outside outdir ${path.join(root, 'out')}`,
    );
  });

  test('a filesystem failure is one line naming the path', () => {
    const dir = path.join(tmp(), 'dist');
    const e = errorOf(() =>
      writeOutputFolders('test', [{ dir, setting: 'outdir', isOutput }], (output) => {
        fs.readFileSync(path.join(output.stagingDir(dir), 'missing'));
      }),
    );
    expect(e).toBeInstanceOf(PlatformError);
    expect(e.message).toMatch(
      /^cannot write the output: ENOENT: no such file or directory, open '.*missing'$/,
    );
  });
});

describe('recovery of an interrupted synth', () => {
  test('GIVEN a synth died between its two renames THEN the next one puts the previous folder back first', () => {
    const root = tmp();
    const dir = path.join(root, 'dist');
    fs.mkdirSync(path.join(root, '.dist.synth-old.999-aa'));
    fs.writeFileSync(path.join(root, '.dist.synth-old.999-aa', 'a.out'), 'previous');
    fs.mkdirSync(path.join(root, '.dist.synth-new.999-bb'));
    fs.writeFileSync(path.join(root, '.dist.synth-new.999-bb', 'a.out'), 'half');

    const output = SynthOutput.open('test', [{ dir, setting: 'outdir', isOutput }]);
    output.close();

    expect(output.recovered).toEqual([dir]);
    expect(readTree(dir)).toEqual({ 'a.out': 'previous' });
    expect(leftovers(dir)).toEqual([]);
  });

  test('GIVEN a synth died after its swap THEN the aside copy is removed and the new folder stays', () => {
    const root = tmp();
    const dir = path.join(root, 'dist');
    write(dir, { 'a.out': 'new' });
    fs.mkdirSync(path.join(root, '.dist.synth-old.999-aa'));
    const output = SynthOutput.open('test', [{ dir, setting: 'outdir', isOutput }]);
    output.close();
    expect(output.recovered).toEqual([]);
    expect(readTree(dir)).toEqual({ 'a.out': 'new' });
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('the lock of an output folder', () => {
  function lockWith(dir: string, owner: object | string): string {
    const file = lockFileOf(dir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof owner === 'string' ? owner : JSON.stringify(owner));
    return file;
  }

  test('GIVEN a live synth holds it THEN one line names it (command, pid, host, start) and the lock file', () => {
    const dir = path.join(tmp(), 'dist');
    const file = lockWith(dir, {
      pid: process.pid,
      host: os.hostname(),
      started: '2026-01-02T03:04:05.000Z',
      command: 'kubernetes app',
      token: 'other',
    });
    const e = errorOf(() => write(dir, { 'a.out': 'v1' }));
    expect(e).toBeInstanceOf(PlatformError);
    expect(e.message).toBe(
      `outdir ${dir} is being written by another synth (kubernetes app, pid ${process.pid} on ${os.hostname()}, started 2026-01-02T03:04:05.000Z): wait for it to finish, or delete ${file} if that process is gone`,
    );
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('GIVEN the synth that held it is gone THEN it is taken over, and released after', () => {
    const dir = path.join(tmp(), 'dist');
    const file = lockWith(dir, {
      pid: 2 ** 22 + 7,
      host: os.hostname(),
      started: '',
      command: 'x',
      token: 't',
    });
    write(dir, { 'a.out': 'v1' });
    expect(readTree(dir)).toEqual({ 'a.out': 'v1' });
    expect(fs.existsSync(file)).toBe(false);
  });

  test('GIVEN a lock of another host THEN it is not taken over (its pid cannot be checked from here)', () => {
    const dir = path.join(tmp(), 'dist');
    lockWith(dir, { pid: 2 ** 22 + 7, host: 'elsewhere', started: 's', command: 'azure app', token: 't' });
    expect(errorOf(() => write(dir, {})).message).toContain(
      '(azure app, pid 4194311 on elsewhere, started s)',
    );
  });

  test('GIVEN an unreadable lock THEN it is busy while fresh, taken over once old', () => {
    const dir = path.join(tmp(), 'dist');
    const file = lockWith(dir, '');
    expect(errorOf(() => write(dir, {})).message).toMatch(/is being written by another synth: wait/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    write(dir, { 'a.out': 'v1' });
    expect(readTree(dir)).toEqual({ 'a.out': 'v1' });
  });

  test('every folder is locked: the second synth of any of them fails and leaves the first one its lock', () => {
    const root = tmp();
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    const first = SynthOutput.open('first', [
      { dir: a, setting: 'a', isOutput },
      { dir: b, setting: 'b', isOutput },
    ]);
    try {
      expect(() => SynthOutput.open('second', [{ dir: b, setting: 'b', isOutput }])).toThrow(
        /^b \S+ is being written by another synth \(first, pid/,
      );
      expect(fs.existsSync(lockFileOf(b))).toBe(true);
    } finally {
      first.close();
    }
    expect(fs.existsSync(lockFileOf(a))).toBe(false);
    expect(fs.existsSync(lockFileOf(b))).toBe(false);
  });
});
