import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { PlatformError } from './errors';

/**
 * Size limits of what the apps read, so that no input runs for minutes. A file past its limit is
 * refused before it is read. The YAML parser reads between 0.4 and 1 MB per second on the
 * 2-core build machine (depending on its load); a FIFO or a device such as /dev/zero would
 * never end.
 */
export const INPUT_LIMITS = {
  /** Bytes of the platform file (PLATFORM_CONFIG); a 1,000-tenant platform is about 200 KB. */
  platformFileBytes: 2 * 1024 * 1024,
  /** Bytes of the outputs file (PLATFORM_OUTPUTS). */
  outputsFileBytes: 4 * 1024 * 1024,
  /** Nesting depth of the outputs file (cdktf nests outputs by construct path, a few levels). */
  outputsDepth: 64,
  /** Bytes of one manifest file read by the folder check. */
  manifestFileBytes: 4 * 1024 * 1024,
  /** Bytes of all the manifest files of one folder check (target and --policies together). */
  manifestTotalBytes: 8 * 1024 * 1024,
  /** Manifest files of one folder check. */
  manifestFiles: 10_000,
  /** YAML documents of one folder check. */
  manifestDocuments: 20_000,
  /** Nesting depth of one manifest (a CRD's schema is about 30 levels deep). */
  manifestDepth: 256,
} as const;

const KINDS: Array<[(s: fs.Stats) => boolean, string]> = [
  [(s) => s.isDirectory(), 'a folder'],
  [(s) => s.isFIFO(), 'a FIFO'],
  [(s) => s.isSocket(), 'a socket'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
];

/** What a path is, for messages: `a FIFO`, `a folder`, ... */
export function describeFileKind(stats: fs.Stats): string {
  return KINDS.find(([is]) => is(stats))?.[1] ?? 'not a regular file';
}

/** A system error as a short reason: `permission denied (EACCES)`. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ELOOP: 'a loop of symbolic links',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'a folder, not a file',
    ENAMETOOLONG: 'the name is too long',
    EMFILE: 'too many open files',
  };
  if (typeof err?.code === 'string') return `${reasons[err.code] ?? 'cannot be read'} (${err.code})`;
  return String((e as Error)?.message ?? e);
}

/** `4 MiB`, `1.5 KiB`, `320 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Reads a regular file of at most `maxBytes`. Opened without blocking, so that a FIFO cannot
 * hang the run, then checked on the open descriptor (the path cannot be swapped in between).
 * @param what how messages name the file, e.g. `the platform file apps/platform.yaml`
 * @throws PlatformError when the file cannot be read, is not a regular file or is too large
 */
export function readRegularFile(file: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new PlatformError(`cannot read ${what}: ${describeFsError(e)}`);
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile())
      throw new PlatformError(`cannot read ${what}: it is ${describeFileKind(stats)}, not a regular file`);
    if (stats.size > maxBytes)
      throw new PlatformError(
        `cannot read ${what}: it is ${formatBytes(stats.size)}, more than the limit of ${formatBytes(maxBytes)}`,
      );
    // Read to the end, not to the size seen: a file that grows while it is read is read whole,
    // or refused past the limit.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, stats.size - length + 1));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes)
        throw new PlatformError(
          `cannot read ${what}: it grew past the limit of ${formatBytes(maxBytes)} while being read`,
        );
      chunks.push(chunk.subarray(0, n));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
  } catch (e) {
    if (e instanceof PlatformError) throw e;
    throw new PlatformError(`cannot read ${what}: ${describeFsError(e)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Where the first byte sequence that is not UTF-8 starts. */
export interface InvalidUtf8 {
  /** Offset of the bad sequence in the bytes. */
  readonly byteOffset: number;
  /** The first bad byte, e.g. `0xff`. */
  readonly byte: string;
  /** 1-based line and column (in characters) of the bad sequence. */
  readonly line: number;
  readonly column: number;
  /** Offset, in UTF-16 code units, of the bad sequence in the text decoded with replacements. */
  readonly textOffset: number;
}

/**
 * Decodes UTF-8 strictly: a byte that is not UTF-8 would otherwise become U+FFFD silently (an
 * Entra display name, a label value).
 * @returns the text, or where the first invalid sequence is
 */
export function decodeUtf8(bytes: Buffer): { text: string } | { invalid: InvalidUtf8; text: string } {
  // A leading byte order mark is allowed and dropped, as YAML and JSON readers do.
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const text = body.toString('utf8');
  if (isUtf8(body)) return { text };
  const offset = firstInvalidUtf8(body);
  const before = body.subarray(0, offset).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 10) line++;
  return {
    text,
    invalid: {
      byteOffset: offset + (body === bytes ? 0 : 3),
      byte: `0x${body[offset].toString(16).padStart(2, '0')}`,
      line,
      column: before.length - lineStart + 1,
      textOffset: before.length,
    },
  };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return i;
}
