import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlatformError } from '../platform-file/errors';
import { OutputLock } from './lock';

/** One file a command writes whole. */
export interface OutputFileOptions {
  /** The file, as the user named it. */
  readonly file: string;
  /** The option that names it, for messages (`--format sarif=out.sarif`). */
  readonly setting: string;
  readonly content: string;
}

/**
 * Writes files whole, each replaced in one rename: the new content goes to a file beside it
 * (`.<name>.out-new.<id>`, same folder, hence same filesystem), is synced, then renamed over the
 * file. A reader (a CI upload step, another run) sees the previous file or the new one, never
 * half of one. Each file is locked (see OutputLock) while it is written, so two runs writing the
 * same file one after the other leave the content of one of them. A link is followed: its target
 * is replaced.
 * @throws PlatformError when a path is a folder or not a regular file, two settings name one
 *   file, another run holds its lock, or the filesystem refuses the write
 */
export function writeOutputFiles(command: string, files: readonly OutputFileOptions[]): string[] {
  const targets = files.map((f) => ({ ...f, real: realTarget(f) }));
  for (let i = 0; i < targets.length; i++)
    for (let j = 0; j < i; j++)
      if (targets[i].real === targets[j].real)
        throw new PlatformError(`${targets[j].setting} and ${targets[i].setting} name the same file`);
  const locks: OutputLock[] = [];
  try {
    for (const t of [...targets].sort((a, b) => (a.real < b.real ? -1 : 1)))
      locks.push(OutputLock.acquire(t.real, t.setting, command));
    for (const t of targets) replaceFile(t.real, t.content, t.setting);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!(e instanceof PlatformError) && typeof err?.code === 'string')
      throw new PlatformError(`cannot write the output: ${err.message}`);
    throw e;
  } finally {
    for (const lock of locks) lock.release();
  }
  return targets.map((t) => t.file);
}

function realTarget(f: OutputFileOptions): string {
  if (f.file.trim() === '') throw new PlatformError(`${f.setting}: an empty path is not a file`);
  const abs = path.resolve(f.file);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR')
      throw new PlatformError(`${f.setting}: a part of the path is a file, not a folder`);
    if (code !== 'ENOENT') throw new PlatformError(`${f.setting}: cannot write ${f.file} (${code})`);
  }
  if (stat) {
    if (stat.isDirectory()) throw new PlatformError(`${f.setting}: ${f.file} is a folder, not a file`);
    if (!stat.isFile()) throw new PlatformError(`${f.setting}: ${f.file} is not a regular file`);
    return fs.realpathSync(abs);
  }
  const parent = path.dirname(abs);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST')
      throw new PlatformError(`${f.setting}: a part of the path is a file, not a folder`);
    throw e;
  }
  return path.join(fs.realpathSync(parent), path.basename(abs));
}

function replaceFile(real: string, content: string, setting: string): void {
  const id = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const staging = path.join(path.dirname(real), `.${path.basename(real)}.out-new.${id}`);
  try {
    const fd = fs.openSync(staging, 'wx', 0o644);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(staging, real);
  } catch (e) {
    fs.rmSync(staging, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new PlatformError(`${setting}: cannot write ${real}: ${err.code ?? err.message}`);
  }
}
