import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { PlatformError } from '../spec/errors';
import type { Manifest } from './autogen';

/** Manifests read from files, each with the file it came from. */
export interface ManifestSet {
  readonly manifests: Manifest[];
  readonly sources: string[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads every Kubernetes object of a YAML/JSON file, or of every such file under a folder (sorted,
 * so the order never depends on the file system). `kind: List` objects are unpacked.
 * @throws PlatformError when the path does not exist or a file does not parse
 */
export function readManifests(target: string): ManifestSet {
  if (!fs.existsSync(target)) throw new PlatformError(`${target}: no such file or folder`);
  const files = fs.statSync(target).isDirectory() ? listFiles(target) : [target];
  const manifests: Manifest[] = [];
  const sources: string[] = [];
  for (const file of files) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
    for (const doc of docs) {
      if (doc.errors.length > 0)
        throw new PlatformError(`${file}: not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
      for (const m of unpack(doc.toJSON())) {
        manifests.push(m);
        sources.push(file);
      }
    }
  }
  return { manifests, sources };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') out.push(...listFiles(p));
    } else if (MANIFEST_FILE.test(e.name)) out.push(p);
  }
  return out;
}

function unpack(doc: unknown): Manifest[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const m = doc as Manifest;
  if (typeof m.kind === 'string' && m.kind.endsWith('List') && Array.isArray(m.items))
    return m.items.flatMap(unpack);
  return typeof m.kind === 'string' ? [m] : [];
}
