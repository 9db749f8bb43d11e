import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { describeValue, PlatformError } from '../platform-file/errors';
import {
  decodeUtf8,
  describeFileKind,
  describeFsError,
  formatBytes,
  INPUT_LIMITS,
  readRegularFile,
} from '../platform-file/input';
import { readYaml } from '../platform-file/yaml';
import type { Manifest } from './autogen';
import { ManifestOrigin, STANDARD_INPUT } from './origin';
import { readStandardInput } from './stdin';

/** A document (or a whole file or folder) that was read but holds no Kubernetes object to judge. */
export interface SkippedDocument {
  readonly file: string;
  /** 1-based position of the document in its file (`3`, or `3 items[1]` inside a List). @default - the whole file */
  readonly document?: string;
  readonly reason: string;
  /**
   * For a source that must be rendered before it can be judged (a kustomization, a Helm chart or
   * template), the command that renders it.
   * @default - not a source to render
   */
  readonly renderWith?: string;
}

/** Manifests read from files, each with the file it came from. */
export interface ManifestSet {
  readonly manifests: Manifest[];
  readonly sources: string[];
  /** Where each manifest was read (same order as `manifests`). */
  readonly origins: ManifestOrigin[];
  /** What was read but is not a Kubernetes object, with the reason. */
  readonly skipped: SkippedDocument[];
}

/** The names kustomize reads a kustomization from. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const KUSTOMIZE_API = /^kustomize\.config\.k8s\.io\//;
/** A Go template action, as Helm templates hold them. */
const TEMPLATE_ACTION = /\{\{-?[\s\S]*?-?\}\}/;

function kustomizeBuild(dir: string): SkippedDocument {
  return {
    file: dir,
    reason: `a kustomization, not manifests: check what \`kustomize build ${dir}\` prints`,
    renderWith: `kustomize build ${dir}`,
  };
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
    const origins: ManifestOrigin[] = [];
    const skipped: SkippedDocument[] = [];
    const entries = target === STANDARD_INPUT ? [{ file: target }] : this.list(target);
    for (const entry of entries) {
      if ('skipped' in entry) {
        skipped.push(entry.skipped);
        continue;
      }
      const file = entry.file;
      if (KUSTOMIZATION_FILES.includes(path.basename(file))) {
        skipped.push(kustomizeBuild(path.dirname(file)));
        continue;
      }
      const parsed = this.parse(file);
      if ('template' in parsed) {
        skipped.push({
          file,
          reason: `a template, not YAML (\`${parsed.template.text}\` at line ${parsed.template.line}): check what \`helm template\` renders from its chart`,
          renderWith: 'helm template',
        });
        continue;
      }
      const { docs, lines } = parsed;
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
        for (const u of unpack(d.value, d.node, String(d.index))) {
          if ('reason' in u)
            skipped.push({ file, document: u.at, reason: u.reason, renderWith: u.renderWith });
          else {
            manifests.push(u.manifest);
            sources.push(file);
            const pos = u.node?.range ? lines.linePos(u.node.range[0]) : { line: 1, col: 1 };
            const location = {
              file,
              document: d.index,
              ...(u.item === undefined ? {} : { item: u.item }),
              line: pos.line,
              column: pos.col,
            };
            origins.push(new ManifestOrigin(location, u.node, lines));
          }
        }
    }
    return { manifests, sources, origins, skipped };
  }

  private parse(file: string):
    | {
        docs: Array<{ value: unknown; empty: boolean; index: number; node: Node | null }>;
        lines: LineCounter;
      }
    | { template: { line: number; text: string } } {
    let bytes: Buffer;
    if (file === STANDARD_INPUT) {
      bytes = readStandardInput(INPUT_LIMITS.manifestFileBytes);
      this.files++;
      this.bytes += bytes.length;
      if (this.bytes > INPUT_LIMITS.manifestTotalBytes)
        throw new PlatformError(
          `the manifests add up to more than ${formatBytes(INPUT_LIMITS.manifestTotalBytes)} (at standard input): check the rendered output in parts`,
        );
    } else bytes = readRegularFile(file, file, INPUT_LIMITS.manifestFileBytes);
    const decoded = decodeUtf8(bytes);
    if ('invalid' in decoded)
      throw new PlatformError(
        `${file}: line ${decoded.invalid.line}, column ${decoded.invalid.column}: byte ${decoded.invalid.byte} is not UTF-8`,
      );
    const { documents, lineCounter } = readYaml(decoded.text, { maxDepth: INPUT_LIMITS.manifestDepth });
    // A Helm template is rarely YAML: where it does not parse, say what it is rather than where
    // the parser gave up. One that parses (every action inside quotes) is judged as written.
    if (documents.some((d) => d.problems.length > 0)) {
      const action = TEMPLATE_ACTION.exec(decoded.text);
      if (action) {
        const before = decoded.text.slice(0, action.index);
        const line = before.split('\n').length;
        const text = action[0].length > 40 ? `${action[0].slice(0, 37)}...` : action[0];
        return { template: { line, text: text.replace(/\s+/g, ' ') } };
      }
    }
    this.documents += documents.length;
    if (this.documents > INPUT_LIMITS.manifestDocuments)
      throw new PlatformError(
        `more than ${INPUT_LIMITS.manifestDocuments.toLocaleString('en-US')} YAML documents to read (at ${file}): check a narrower folder`,
      );
    const docs = documents.map((d, i) => {
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
      return { value: d.value, empty: d.empty, index: i + 1, node: d.node };
    });
    return { docs, lines: lineCounter };
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
        // A kustomization or a Helm chart is a source to render: its files are not what is applied.
        if (names.some((n) => KUSTOMIZATION_FILES.includes(n))) {
          out.push({ skipped: kustomizeBuild(p) });
          continue;
        }
        if (names.includes('Chart.yaml')) {
          out.push({
            skipped: {
              file: p,
              reason: `a Helm chart (Chart.yaml), not manifests: check what \`helm template <release> ${p}\` renders, with the values the pipeline installs it with`,
              renderWith: `helm template <release> ${p}`,
            },
          });
          continue;
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

type Unpacked =
  | { manifest: Manifest; node: Node | null | undefined; item?: string }
  | { at: string; reason: string; renderWith?: string };

/** The value node of `key` in a YAML map node. */
function child(node: Node | null | undefined, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.value ?? undefined) as Node | undefined;
}

/** The objects of one document, a `kind: List` unpacked; what is not an object comes with its reason. */
function unpack(doc: unknown, node: Node | null | undefined, at: string, item?: string): Unpacked[] {
  if (!isObject(doc)) return [{ at, reason: `${describeShape(doc)}, not a Kubernetes object` }];
  if (doc.kind === 'Kustomization' || doc.kind === 'Component')
    if (typeof doc.apiVersion === 'string' && KUSTOMIZE_API.test(doc.apiVersion))
      return [
        {
          at,
          reason: `a kustomize ${doc.kind}, not a Kubernetes object: check what \`kustomize build\` prints from its folder`,
          renderWith: 'kustomize build',
        },
      ];
  const missing = ['apiVersion', 'kind'].filter((k) => typeof doc[k] !== 'string' || doc[k] === '');
  if (missing.length > 0) {
    const near = Object.keys(doc).filter((k) => missing.some((m) => m.toLowerCase() === k.toLowerCase()));
    const hint = near.length > 0 ? ` (keys are case-sensitive: found ${near.join(', ')})` : '';
    return [{ at, reason: `no ${missing.join(' and ')}${hint}` }];
  }
  if (doc.kind.endsWith('List') && Array.isArray(doc.items)) {
    const items = child(node, 'items');
    return (doc.items as unknown[]).flatMap((value, i) =>
      unpack(value, isSeq(items) ? (items.items[i] as Node) : undefined, `${at} items[${i}]`, `items[${i}]`),
    );
  }
  const m = doc.metadata;
  const named = (k: string) => isObject(m) && typeof m[k] === 'string' && m[k] !== '';
  if (!named('name') && !named('generateName'))
    return [
      {
        at,
        reason: `${doc.kind} has no metadata.name or metadata.generateName: the API server would refuse it`,
      },
    ];
  return [{ manifest: doc, node, ...(item === undefined ? {} : { item }) }];
}
