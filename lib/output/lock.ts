import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlatformError } from '../platform-file/errors';

/** What a lock file holds: enough to name the synth that holds it, and to tell it is gone. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO time the synth took the lock. */
  readonly started: string;
  /** The app or command that holds it, e.g. `kubernetes app`. */
  readonly command: string;
  /** Tells this lock from a later one of the same pid (pids are reused). */
  readonly token: string;
}

/** A lock younger than this without readable content is being written by its owner right now. */
const UNREADABLE_LOCK_GRACE_MS = 5_000;

/**
 * The lock file of an output folder: `.<name>.synth.lock` beside it, on the same filesystem, so
 * that every synth writing that folder (whatever its working directory) finds the same file.
 */
export function lockFileOf(realDir: string): string {
  return path.join(path.dirname(realDir), `.${path.basename(realDir)}.synth.lock`);
}

/**
 * An exclusive lock on one output folder, held for a whole synth. Created with O_EXCL, so two
 * synths cannot both take it; a lock whose process is gone (same host, no such pid) is taken
 * over. A lock of another host cannot be judged and is never taken over.
 */
export class OutputLock {
  /**
   * Takes the lock of `realDir`, or fails naming the synth that holds it.
   * @param label how messages name the folder, e.g. `outdir dist`
   * @throws PlatformError when another live synth holds it
   */
  public static acquire(realDir: string, label: string, command: string): OutputLock {
    const file = lockFileOf(realDir);
    const owner: LockOwner = {
      pid: process.pid,
      host: os.hostname(),
      started: new Date().toISOString(),
      command,
      token: crypto.randomBytes(8).toString('hex'),
    };
    // Two rounds: the second follows the removal of a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (tryCreate(file, owner)) return new OutputLock(file, owner);
      const held = readLock(file);
      if (held === 'gone') continue;
      if (!isStale(file, held)) throw new PlatformError(busyMessage(label, file, held));
      removeStale(file, held);
    }
    throw new PlatformError(
      `${label}: another synth took the lock ${file} at the same time; run again once it has finished`,
    );
  }

  private released = false;

  private constructor(
    public readonly file: string,
    public readonly owner: LockOwner,
  ) {}

  /** Removes the lock file, if it is still this lock's (never another synth's). */
  public release(): void {
    if (this.released) return;
    this.released = true;
    const held = readLock(this.file);
    if (held !== 'gone' && held !== 'unreadable' && held.token === this.owner.token)
      fs.rmSync(this.file, { force: true });
  }
}

function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readLock(file: string): LockOwner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    if (Number.isInteger(o.pid) && typeof o.host === 'string' && typeof o.token === 'string') return o;
  } catch {
    // written by nothing we know, or cut short by a crash between create and write
  }
  return 'unreadable';
}

function isStale(file: string, held: LockOwner | 'unreadable'): boolean {
  if (held === 'unreadable') {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_LOCK_GRACE_MS;
    } catch {
      return true;
    }
  }
  return held.host === os.hostname() && !isAlive(held.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock without removing a fresh one that another synth created in between: the
 * file is first renamed to a name of this process alone, then checked to be the stale one; if it
 * is not, it is put back.
 */
function removeStale(file: string, stale: LockOwner | 'unreadable'): void {
  const aside = `${file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readLock(aside);
  const same =
    moved === stale ||
    (moved !== 'gone' && moved !== 'unreadable' && stale !== 'unreadable' && moved.token === stale.token);
  if (!same) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a third synth has created a lock since: it holds the folder, and acquire() will say so
    }
  }
  fs.rmSync(aside, { force: true });
}

function busyMessage(label: string, file: string, held: LockOwner | 'unreadable'): string {
  const who =
    held === 'unreadable'
      ? 'another synth'
      : `another synth (${held.command}, pid ${held.pid} on ${held.host}, started ${held.started})`;
  return `${label} is being written by ${who}: wait for it to finish, or delete ${file} if that process is gone`;
}
