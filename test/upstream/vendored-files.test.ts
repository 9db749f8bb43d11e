// The vendored upstream files are the upstream blobs, byte for byte: each SOURCE.md lists the git
// blob id of every file beside it (the tree id of a copied folder), and a file that was edited (or
// replaced by another version), added or removed no longer hashes to it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const VENDOR = path.resolve(__dirname, '../../vendor');

/** The id git gives a file's content. */
function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** The id git gives a folder of plain files (mode 100644) and folders, entries sorted as git sorts. */
function gitTreeId(dir: string): string {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory()
      ? { key: `${e.name}/`, head: `40000 ${e.name}`, id: gitTreeId(full) }
      : { key: e.name, head: `100644 ${e.name}`, id: gitBlobId(fs.readFileSync(full)) };
  });
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const body = Buffer.concat(
    entries.map((e) => Buffer.concat([Buffer.from(`${e.head}\0`), Buffer.from(e.id, 'hex')])),
  );
  return createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
}

/** The id of a vendored file (its blob) or folder (its tree). */
function gitId(file: string): string {
  return fs.statSync(file).isDirectory() ? gitTreeId(file) : gitBlobId(fs.readFileSync(file));
}

/** Every file below `dir`, relative to it. */
function filesBelow(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesBelow(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
}

/** `[file or folder, id]` of each row of a SOURCE.md table. */
function listedBlobs(source: string): [string, string][] {
  return [...source.matchAll(/^\| ([\w./-]+) \| [^|]+ \| ([0-9a-f]{40}) \|/gm)].map((m) => [m[1], m[2]]);
}

const folders = fs.readdirSync(VENDOR, { withFileTypes: true }).filter((e) => e.isDirectory());

describe.each(folders.map((f) => f.name))('vendor/%s', (folder) => {
  const dir = path.join(VENDOR, folder);
  const listed = listedBlobs(fs.readFileSync(path.join(dir, 'SOURCE.md'), 'utf8'));

  test('every file is listed in SOURCE.md (itself or its folder), and every listed entry is there', () => {
    const covered = (file: string) =>
      listed.some(([entry]) => file === entry || file.startsWith(`${entry}/`));
    expect(filesBelow(dir).filter((f) => f !== 'SOURCE.md' && !covered(f))).toEqual([]);
    expect(listed.filter(([entry]) => !fs.existsSync(path.join(dir, entry)))).toEqual([]);
  });

  test.each(listed)('%s is the upstream blob or tree %s', (file, id) => {
    expect(gitId(path.join(dir, file))).toBe(id);
  });
});

test('a folder hashes to its git tree id, which changes with any file in it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tree-'));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'a.yaml'), 'hello\n');
  fs.writeFileSync(path.join(dir, 'sub', 'b.yaml'), 'hello\n');
  // `git add . && git write-tree` in a folder holding the same two files prints this id.
  expect(gitTreeId(dir)).toBe('e8c2b4b09dbc03f1e205be5fc37cb714ee682fd9');
  fs.writeFileSync(path.join(dir, 'sub', 'b.yaml'), 'hello!\n');
  expect(gitTreeId(dir)).not.toBe('e8c2b4b09dbc03f1e205be5fc37cb714ee682fd9');
});

test('an edited file does not hash to its blob', () => {
  expect(gitBlobId(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  expect(gitBlobId(Buffer.from('hello!\n'))).not.toBe('ce013625030ba8dba906f756967f9e9ca394464a');
});
