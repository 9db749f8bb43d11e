import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeValue, PlatformError } from '../spec/errors';
import {
  decodeUtf8,
  describeFileKind,
  describeFsError,
  formatBytes,
  INPUT_LIMITS,
  readRegularFile,
} from '../spec/input';
import { readYaml } from '../spec/yaml';
import type { Manifest } from './autogen';

/** A document (or a whole file) that was read but holds no Kubernetes object to judge. */
export interface SkippedDocument {
  readonly file: string;
  /** 1-based position of the document in its file (`3`, or `3 items[1]` inside a List). @default - the whole file */
  readonly document?: string;
  readonly reason: string;
}

/** Manifests read from files, each with the file it came from. */
export interface ManifestSet {
  readonly manifests: Manifest[];
  readonly sources: string[];
  /** What was read but is not a Kubernetes object, with the reason. */
  readonly skipped: SkippedDocument[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads manifests within the limits of `INPUT_LIMITS` (files, bytes, documents), counted over
 * every path one reader reads: the folder check shares one reader between the checked folder and
 * the platform's output.
 */
export class ManifestReader {
  private files = 0;
  private bytes = 0;
  private documents = 0;

  /**
   * Reads every Kubernetes object of a YAML/JSON file, or of every such file under a folder
   * (sorted, so the order never depends on the file system; symbolic links followed, each file
   * and folder read once). `kind: List` objects are unpacked.
   * @throws PlatformError when a path cannot be read, is not a regular file, a file does not
   * parse, or a limit is passed
   */
  public read(target: string): ManifestSet {
    const manifests: Manifest[] = [];
    const sources: string[] = [];
    const skipped: SkippedDocument[] = [];
    for (const entry of this.list(target)) {
      if ('skipped' in entry) {
        skipped.push(entry.skipped);
        continue;
      }
      const file = entry.file;
      const docs = this.parse(file);
      const objects = docs.filter((d) => !d.empty);
      if (objects.length === 0) {
        skipped.push({ file, reason: 'holds no YAML document' });
        continue;
      }
      // A CI workflow or Helm values: nothing in it even looks like a Kubernetes object.
      if (!objects.some((d) => looksLikeKubernetes(d.value))) {
        skipped.push({ file, reason: 'no document has an apiVersion or a kind: not Kubernetes' });
        continue;
      }
      for (const d of objects)
        for (const u of unpack(d.value, String(d.index))) {
          if ('reason' in u) skipped.push({ file, document: u.at, reason: u.reason });
          else {
            manifests.push(u.manifest);
            sources.push(file);
          }
        }
    }
    return { manifests, sources, skipped };
  }

  private parse(file: string): Array<{ value: unknown; empty: boolean; index: number }> {
    const bytes = readRegularFile(file, file, INPUT_LIMITS.manifestFileBytes);
    const decoded = decodeUtf8(bytes);
    if ('invalid' in decoded)
      throw new PlatformError(
        `${file}: line ${decoded.invalid.line}, column ${decoded.invalid.column}: byte ${decoded.invalid.byte} is not UTF-8`,
      );
    const { documents } = readYaml(decoded.text, { maxDepth: INPUT_LIMITS.manifestDepth });
    this.documents += documents.length;
    if (this.documents > INPUT_LIMITS.manifestDocuments)
      throw new PlatformError(
        `more than ${INPUT_LIMITS.manifestDocuments.toLocaleString('en-US')} YAML documents to read (at ${file}): check a narrower folder`,
      );
    return documents.map((d, i) => {
      const p = d.problems[0];
      if (p) {
        const where = [
          documents.length > 1 ? `document ${i + 1}` : '',
          p.line === undefined ? '' : `line ${p.line}, column ${p.column}`,
          p.path,
        ]
          .filter((x) => x !== '')
          .join(', ');
        throw new PlatformError(`${file}: not valid YAML (${where ? `${where}: ` : ''}${p.message})`);
      }
      return { value: d.value, empty: d.empty, index: i + 1 };
    });
  }

  /** The files to read under `target`, in path order, and what is skipped on the way. */
  private list(target: string): Array<{ file: string } | { skipped: SkippedDocument }> {
    // Counted while listing: a folder of 50,000 files, or of 100 MB, is refused before any is read.
    const count = (file: string, stats: fs.Stats) => {
      if (++this.files > INPUT_LIMITS.manifestFiles)
        throw new PlatformError(
          `more than ${INPUT_LIMITS.manifestFiles.toLocaleString('en-US')} manifest files to read (at ${file}): check a narrower folder`,
        );
      if (stats.isFile() && stats.size > INPUT_LIMITS.manifestFileBytes)
        throw new PlatformError(
          `cannot read ${file}: it is ${formatBytes(stats.size)}, more than the limit of ${formatBytes(INPUT_LIMITS.manifestFileBytes)}`,
        );
      this.bytes += stats.size;
      if (this.bytes > INPUT_LIMITS.manifestTotalBytes)
        throw new PlatformError(
          `the manifests add up to more than ${formatBytes(INPUT_LIMITS.manifestTotalBytes)} (at ${file}): check a narrower folder`,
        );
    };
    const top = statOf(target);
    if (!top.isDirectory()) {
      count(target, top);
      return [{ file: target }];
    }
    const out: Array<{ file: string } | { skipped: SkippedDocument }> = [];
    const readFiles = new Map<string, string>();
    const readDirs = new Map<string, string>();
    type Pending = { readonly path: string; readonly ancestors: ReadonlySet<string>; readonly root?: true };
    // Depth first in name order, without recursion: a folder's entries are pushed in reverse.
    const stack: Pending[] = [{ path: target, ancestors: new Set(), root: true }];
    while (stack.length > 0) {
      const { path: p, ancestors, root } = stack.pop()!;
      const name = path.basename(p);
      const isManifest = MANIFEST_FILE.test(name);
      let s: fs.Stats;
      try {
        s = fs.statSync(p);
      } catch (e) {
        // A dangling link or a loop of links only matters where a manifest is expected.
        if (!isManifest) continue;
        throw new PlatformError(`cannot read ${p}: ${describeFsError(e)}`);
      }
      if (s.isDirectory()) {
        if (!root && (name.startsWith('.') || name === 'node_modules')) {
          out.push({ skipped: { file: p, reason: 'a hidden or node_modules folder, not read' } });
          continue;
        }
        const real = realOf(p);
        if (ancestors.has(real))
          throw new PlatformError(`${p}: a symbolic link to ${real}, a folder that contains it: a loop`);
        const first = readDirs.get(real);
        if (first !== undefined) {
          out.push({ skipped: { file: p, reason: `the same folder as ${first}, read once` } });
          continue;
        }
        readDirs.set(real, p);
        let names: string[];
        try {
          names = fs.readdirSync(p);
        } catch (e) {
          throw new PlatformError(`cannot read the folder ${p}: ${describeFsError(e)}`);
        }
        names.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
        const inside = new Set(ancestors).add(real);
        for (const n of names) stack.push({ path: path.join(p, n), ancestors: inside });
        continue;
      }
      if (!isManifest) continue;
      if (!s.isFile())
        throw new PlatformError(`cannot read ${p}: it is ${describeFileKind(s)}, not a regular file`);
      const real = realOf(p);
      const first = readFiles.get(real);
      if (first !== undefined) {
        out.push({ skipped: { file: p, reason: `the same file as ${first}, read once` } });
        continue;
      }
      readFiles.set(real, p);
      count(p, s);
      out.push({ file: p });
    }
    return out;
  }
}

/**
 * Reads the Kubernetes objects of a file, or of every YAML/JSON file under a folder.
 * @see ManifestReader.read
 */
export function readManifests(target: string): ManifestSet {
  return new ManifestReader().read(target);
}

function statOf(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    throw new PlatformError(`cannot read ${p}: ${describeFsError(e)}`);
  }
}

function realOf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch (e) {
    throw new PlatformError(`cannot read ${p}: ${describeFsError(e)}`);
  }
}

function isObject(v: unknown): v is Manifest {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function looksLikeKubernetes(v: unknown): boolean {
  return isObject(v) && Object.keys(v).some((k) => /^(apiversion|kind)$/i.test(k));
}

function describeShape(v: unknown): string {
  if (Array.isArray(v)) return 'a YAML list';
  if (v === null) return 'null';
  return `the ${typeof v} ${describeValue(v)}`;
}

type Unpacked = { manifest: Manifest } | { at: string; reason: string };

/** The objects of one document, a `kind: List` unpacked; what is not an object comes with its reason. */
function unpack(doc: unknown, at: string): Unpacked[] {
  if (!isObject(doc)) return [{ at, reason: `${describeShape(doc)}, not a Kubernetes object` }];
  const missing = ['apiVersion', 'kind'].filter((k) => typeof doc[k] !== 'string' || doc[k] === '');
  if (missing.length > 0) {
    const near = Object.keys(doc).filter((k) => missing.some((m) => m.toLowerCase() === k.toLowerCase()));
    const hint = near.length > 0 ? ` (keys are case-sensitive: found ${near.join(', ')})` : '';
    return [{ at, reason: `no ${missing.join(' and ')}${hint}` }];
  }
  if (doc.kind.endsWith('List') && Array.isArray(doc.items))
    return (doc.items as unknown[]).flatMap((item, i) => unpack(item, `${at} items[${i}]`));
  const m = doc.metadata;
  const named = (k: string) => isObject(m) && typeof m[k] === 'string' && m[k] !== '';
  if (!named('name') && !named('generateName'))
    return [
      {
        at,
        reason: `${doc.kind} has no metadata.name or metadata.generateName: the API server would refuse it`,
      },
    ];
  return [{ manifest: doc }];
}
