import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { parse } from '@bufbuild/cel';
import { PlatformError } from '../../platform-file/errors';

/** A parsed CEL expression (its syntax tree). */
export type ParsedCel = ReturnType<typeof parse>;

// Parsing is the costliest step of a Kubernetes synth (a fifth of the reference synth): the
// parser is slow until the JIT has warmed it, and every process starts cold. The catalog's
// expressions are the same from one synth to the next, so their syntax trees are kept:
// - in memory, one parse per text: every catalog expression is checked when its policy is built
//   and read again by the preflight, and tests build the same policies many times;
// - on disk, in the `.cache` folder of the node_modules that holds the parser (where build tools
//   keep theirs), one file per text, read back in microseconds by the next process.
// A syntax tree is never modified (planning only reads it), and one read back is the same value
// as a fresh parse (a structured clone: plain objects, arrays, bigints, bytes). Anything wrong
// with the disk (missing, read-only, a damaged file) falls back to parsing.
const MAX_ENTRIES = 4096;
const parsed = new Map<string, ParsedCel>();

/** `off` parses every expression afresh and keeps nothing on disk; `on` (or unset) keeps them. */
export const CEL_CACHE_VARIABLE = 'CDK_AKS_PLATFORM_CEL_CACHE';

interface DiskEntry {
  readonly source: string;
  readonly tree: ParsedCel;
}

let disk: { dir: string; salt: string } | null | undefined;

/** The cache folder and what a key depends on besides the text; null when there is none. */
function diskCache(): { dir: string; salt: string } | null {
  if (disk !== undefined) return disk;
  const setting = process.env[CEL_CACHE_VARIABLE];
  if (setting !== undefined && setting !== 'on' && setting !== 'off')
    throw new PlatformError(
      `${CEL_CACHE_VARIABLE}: expected "on" or "off" (or unset), received ${JSON.stringify(setting)}`,
    );
  disk = null;
  if (setting === 'off') return disk;
  try {
    const entry = require.resolve('@bufbuild/cel');
    const marker = `${path.sep}node_modules${path.sep}`;
    const at = entry.lastIndexOf(marker);
    if (at < 0) return disk;
    const modules = entry.slice(0, at + marker.length - 1);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(modules, '@bufbuild', 'cel', 'package.json'), 'utf8'),
    );
    disk = {
      dir: path.join(modules, '.cache', 'cdk-aks-platform', 'cel'),
      // A new parser may build other trees; another V8 may serialize differently.
      salt: `${manifest.version}\0${process.versions.v8}\0`,
    };
  } catch {
    // No readable parser manifest: no disk cache.
  }
  return disk;
}

function readDisk(file: string, source: string): ParsedCel | undefined {
  try {
    const entry = v8.deserialize(fs.readFileSync(file)) as DiskEntry;
    if (entry?.source === source && entry.tree?.$typeName === 'cel.expr.ParsedExpr') return entry.tree;
  } catch {
    // Missing or damaged: parsed again and rewritten.
  }
  return undefined;
}

function writeDisk(file: string, entry: DiskEntry): void {
  const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(partial, v8.serialize(entry));
    // Whole or nothing: a concurrent reader never sees half a file.
    fs.renameSync(partial, file);
  } catch {
    fs.rmSync(partial, { force: true });
  }
}

/**
 * Parses standard CEL, at most once per distinct text (see above).
 * @throws Error from the parser when `source` is not CEL (a failure is never cached)
 * @throws PlatformError when CDK_AKS_PLATFORM_CEL_CACHE is neither `on` nor `off`
 */
export function parseCel(source: string): ParsedCel {
  let tree = parsed.get(source);
  if (tree !== undefined) return tree;
  const cache = diskCache();
  const file = cache
    ? path.join(
        cache.dir,
        `${crypto.createHash('sha256').update(cache.salt).update(source).digest('hex')}.bin`,
      )
    : undefined;
  tree = file ? readDisk(file, source) : undefined;
  if (tree === undefined) {
    tree = parse(source);
    if (file) writeDisk(file, { source, tree });
  }
  if (parsed.size >= MAX_ENTRIES) parsed.clear();
  parsed.set(source, tree);
  return tree;
}
