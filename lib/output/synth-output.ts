import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlatformError } from '../platform-file/errors';
import { OutputLock } from './lock';
import { isInside } from './paths';

/** What an entry of an output folder is. */
export enum EntryKind {
  FILE = 'file',
  DIRECTORY = 'directory',
  LINK = 'link',
  OTHER = 'other',
}

/** One folder a synth replaces. */
export interface OutputFolderOptions {
  /** The folder, as the user named it (relative to the working directory or absolute). */
  readonly dir: string;
  /** The option that names the folder, for messages (`outdir dist is a file, not a folder`). */
  readonly setting: string;
  /**
   * Whether an entry of the previous folder is output of an earlier synth, which this synth
   * replaces. Every other entry (a README, `.terraform/` of a stack) is carried over into the new
   * folder. `relativePath` uses `/`.
   */
  readonly isOutput: (relativePath: string, kind: EntryKind) => boolean;
}

/**
 * Test hook: `CDK_AKS_PLATFORM_TEST_PAUSE=<step>[:<ms>]` makes a synth print `paused at <step>` on
 * stderr and stop there (60 s unless told), so that a test can kill it at that exact point.
 */
export const TEST_PAUSE_VARIABLE = 'CDK_AKS_PLATFORM_TEST_PAUSE';

/** The named points of a synth where a test may pause it, in order. */
export enum SynthStep {
  /** The locks are held and an interrupted synth is recovered; nothing of this run is written. */
  LOCKED = 'locked',
  /** Part of the new output is written to its staging folder. */
  WRITING = 'writing',
  /** The new output is complete in its staging folders, carried-over entries included. */
  STAGED = 'staged',
  /** A previous folder is moved aside; the new one is not in place yet. */
  ASIDE = 'aside',
  /** A new folder is in place; the previous one is not removed yet. */
  SWAPPED = 'swapped',
}

export function pauseForTest(step: SynthStep): void {
  const want = process.env[TEST_PAUSE_VARIABLE];
  if (!want) return;
  const [name, ms] = want.split(':');
  if (name !== step) return;
  fs.writeSync(2, `paused at ${step}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms ?? 60_000));
}

interface Folder extends OutputFolderOptions {
  /** The real path (symbolic links resolved) of the folder; it may not exist yet. */
  readonly real: string;
  staging?: string;
}

const NEW_MARK = 'synth-new';
const OLD_MARK = 'synth-old';

/**
 * The output folders of one synth, replaced as wholes. The new content of each folder is
 * written into a staging folder beside it (`.<name>.synth-new.<id>`, same parent, hence same
 * filesystem), then swapped in with two renames: the previous folder is moved aside
 * (`.<name>.synth-old.<id>`) and the staging folder takes its name; the aside copy is removed
 * last. A synth that dies at any point leaves the folder with its previous or its new complete
 * content, except between the two renames, where the folder is missing and the aside copy
 * holds the previous content: the next synth of that folder puts it back before anything else
 * (and removes staging leftovers). Each folder is locked for the whole synth (see OutputLock).
 */
export class SynthOutput {
  /**
   * Checks the folders, takes their locks and recovers what an interrupted synth left.
   * @param command what the lock names as owner, e.g. `kubernetes app`
   * @throws PlatformError when a folder is a file, holds the working directory, holds another
   *   output folder, or is locked by a running synth
   */
  public static open(command: string, folders: readonly OutputFolderOptions[]): SynthOutput {
    const resolved: Folder[] = folders.map((f) => ({ ...f, real: realTarget(f) }));
    for (const a of resolved)
      for (const b of resolved)
        if (a !== b && isInside(b.real, a.real))
          throw new PlatformError(`${label(b)} must be outside ${label(a)}`);
    const locks: OutputLock[] = [];
    try {
      // One order for every synth, so that two synths never wait on each other's second lock.
      for (const f of [...resolved].sort((a, b) => (a.real < b.real ? -1 : 1)))
        locks.push(OutputLock.acquire(f.real, label(f), command));
      const recovered = resolved.filter((f) => recover(f.real)).map((f) => f.dir);
      const output = new SynthOutput(resolved, locks, recovered);
      pauseForTest(SynthStep.LOCKED);
      return output;
    } catch (e) {
      for (const lock of locks) lock.release();
      throw e;
    }
  }

  private committed = false;

  private constructor(
    private readonly folders: Folder[],
    private readonly locks: OutputLock[],
    /** Folders put back from the aside copy of an interrupted synth. */
    public readonly recovered: string[],
  ) {}

  /** The staging folder of `dir` (one of the folders given to open()), created on first use. */
  public stagingDir(dir: string): string {
    const folder = this.folders.find((f) => f.dir === dir);
    if (!folder) throw new Error(`${dir} is not an output folder of this synth`);
    if (!folder.staging) {
      folder.staging = siblingName(folder.real, NEW_MARK);
      fs.mkdirSync(folder.staging);
    }
    return folder.staging;
  }

  /**
   * Makes the staged content durable, carries over the entries of each previous folder that are
   * not output, and swaps every staged folder into place. Folders never staged are left alone.
   * @throws PlatformError when a carried-over entry stands where the new output writes
   */
  public commit(): void {
    const staged = this.folders.filter((f): f is Folder & { staging: string } => f.staging !== undefined);
    for (const f of staged) {
      syncTree(f.staging);
      if (fs.existsSync(f.real)) carryOver(f, f.staging, '');
    }
    pauseForTest(SynthStep.STAGED);
    for (const f of staged) swap(f.real, f.staging);
    this.committed = true;
  }

  /** Removes what was staged but not committed, and releases the locks. */
  public close(): void {
    if (!this.committed)
      for (const f of this.folders) if (f.staging) fs.rmSync(f.staging, { recursive: true, force: true });
    for (const lock of this.locks) lock.release();
  }
}

/**
 * Runs `write` with the folders open, commits what it staged, and always closes. A failure of
 * the filesystem (permissions, space, a read-only mount) becomes one line naming the path.
 */
export function writeOutputFolders<T>(
  command: string,
  folders: readonly OutputFolderOptions[],
  write: (output: SynthOutput) => T,
): T {
  try {
    const output = SynthOutput.open(command, folders);
    try {
      const result = write(output);
      output.commit();
      return result;
    } finally {
      output.close();
    }
  } catch (e) {
    if (isSystemError(e)) throw new PlatformError(`cannot write the output: ${e.message}`);
    throw e;
  }
}

/** An error of a system call (not `instanceof Error` across vm contexts, hence duck-typed). */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  if (typeof e !== 'object' || e === null) return false;
  const { code, syscall, message } = e as NodeJS.ErrnoException;
  return typeof code === 'string' && typeof syscall === 'string' && typeof message === 'string';
}

/** `outdir dist`: the option and the folder it names. */
function label(folder: OutputFolderOptions): string {
  return `${folder.setting} ${folder.dir}`;
}

function realTarget(folder: OutputFolderOptions): string {
  const { dir, setting } = folder;
  if (dir.trim() === '') throw new PlatformError(`${setting}: an empty path is not a folder`);
  const abs = path.resolve(dir);
  let real: string;
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR')
      throw new PlatformError(`${label(folder)}: a part of the path is a file, not a folder`);
    if (code !== 'ENOENT') throw e;
  }
  if (stat) {
    if (!stat.isDirectory()) throw new PlatformError(`${label(folder)} is a file, not a folder`);
    real = fs.realpathSync(abs);
  } else {
    if (isBrokenLink(abs)) throw new PlatformError(`${label(folder)} is a link to nothing`);
    const parent = path.dirname(abs);
    try {
      fs.mkdirSync(parent, { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR' || code === 'EEXIST')
        throw new PlatformError(`${label(folder)}: a part of the path is a file, not a folder`);
      throw e;
    }
    real = path.join(fs.realpathSync(parent), path.basename(abs));
  }
  if (isInside(fs.realpathSync(process.cwd()), real))
    throw new PlatformError(
      `${label(folder)} holds the working directory; the synth replaces the whole folder, name one of its own`,
    );
  return real;
}

function isBrokenLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function siblingName(real: string, mark: string): string {
  const id = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  return path.join(path.dirname(real), `.${path.basename(real)}.${mark}.${id}`);
}

/**
 * Puts back the previous folder when a synth died between its two renames, and removes the
 * staging and aside folders that dead synths left (the caller holds the lock: no live synth
 * owns them).
 * @returns whether the folder was put back
 */
function recover(real: string): boolean {
  const parent = path.dirname(real);
  const prefix = `.${path.basename(real)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return false;
  }
  const ours = (mark: string) =>
    names.filter((n) => n.startsWith(`${prefix}${mark}.`)).map((n) => path.join(parent, n));
  for (const staging of ours(NEW_MARK)) fs.rmSync(staging, { recursive: true, force: true });
  const asides = ours(OLD_MARK).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  let restored = false;
  if (asides.length > 0 && !fs.existsSync(real)) {
    fs.renameSync(asides.shift()!, real);
    restored = true;
  }
  for (const aside of asides) fs.rmSync(aside, { recursive: true, force: true });
  return restored;
}

function swap(real: string, staging: string): void {
  let aside: string | undefined;
  if (fs.existsSync(real)) {
    aside = siblingName(real, OLD_MARK);
    fs.renameSync(real, aside);
    pauseForTest(SynthStep.ASIDE);
  }
  try {
    fs.renameSync(staging, real);
  } catch (e) {
    if (aside) fs.renameSync(aside, real);
    throw e;
  }
  pauseForTest(SynthStep.SWAPPED);
  syncDir(path.dirname(real));
  if (aside) fs.rmSync(aside, { recursive: true, force: true });
}

function kindOf(entry: fs.Dirent | fs.Stats): EntryKind {
  if (entry.isSymbolicLink()) return EntryKind.LINK;
  if (entry.isDirectory()) return EntryKind.DIRECTORY;
  return entry.isFile() ? EntryKind.FILE : EntryKind.OTHER;
}

/** Copies into `staging` every entry of the previous folder that is not output of the synth. */
function carryOver(folder: Folder, staging: string, rel: string): void {
  for (const entry of fs.readdirSync(path.join(folder.real, rel), { withFileTypes: true })) {
    const relative = rel ? `${rel}/${entry.name}` : entry.name;
    const kind = kindOf(entry);
    if (folder.isOutput(relative, kind)) continue;
    const from = path.join(folder.real, relative);
    const to = path.join(staging, relative);
    const existing = lstatOrUndefined(to);
    if (kind === EntryKind.DIRECTORY && existing?.isDirectory()) {
      carryOver(folder, staging, relative);
      continue;
    }
    if (existing)
      throw new PlatformError(
        `${path.join(folder.dir, relative)} is a ${kind} the synth did not write, where it now writes a ${kindOf(existing)}: move it out of ${label(folder)}`,
      );
    linkEntry(from, to, kind, folder);
  }
}

/**
 * Carries an entry over by hard link (no data copied, same filesystem), copying only where links
 * are not supported. The previous folder is removed after the swap, so nothing else shares them.
 */
function linkEntry(from: string, to: string, kind: EntryKind, folder: Folder): void {
  switch (kind) {
    case EntryKind.DIRECTORY:
      fs.mkdirSync(to, { mode: fs.statSync(from).mode & 0o7777 });
      for (const e of fs.readdirSync(from, { withFileTypes: true }))
        linkEntry(path.join(from, e.name), path.join(to, e.name), kindOf(e), folder);
      return;
    case EntryKind.LINK:
      fs.symlinkSync(fs.readlinkSync(from), to);
      return;
    case EntryKind.FILE:
      try {
        fs.linkSync(from, to);
      } catch (e) {
        if (
          !['EPERM', 'EXDEV', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(
            String((e as NodeJS.ErrnoException).code),
          )
        )
          throw e;
        fs.copyFileSync(from, to);
        fs.chmodSync(to, fs.statSync(from).mode & 0o7777);
      }
      return;
    default:
      throw new PlatformError(
        `${from} is not a file, folder or link and cannot be kept: move it out of ${label(folder)}`,
      );
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/** fsync of every file and folder written, so that a rename never publishes unwritten data. */
function syncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) syncTree(p);
    else if (entry.isFile()) {
      const fd = fs.openSync(p, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  syncDir(dir);
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a folder; the file data is synced already.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
