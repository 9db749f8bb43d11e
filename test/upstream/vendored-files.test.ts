// The vendored upstream files are the upstream blobs, byte for byte: each SOURCE.md lists the git
// blob id of every file beside it, and a file that was edited (or replaced by another version)
// no longer hashes to it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const VENDOR = path.resolve(__dirname, '../../vendor');

/** The id git gives a file's content. */
function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** `[file, blob]` of each row of a SOURCE.md table. */
function listedBlobs(source: string): [string, string][] {
  return [...source.matchAll(/^\| ([\w.-]+) \| [^|]+ \| ([0-9a-f]{40}) \|/gm)].map((m) => [m[1], m[2]]);
}

const folders = fs.readdirSync(VENDOR, { withFileTypes: true }).filter((e) => e.isDirectory());

describe.each(folders.map((f) => f.name))('vendor/%s', (folder) => {
  const dir = path.join(VENDOR, folder);
  const listed = listedBlobs(fs.readFileSync(path.join(dir, 'SOURCE.md'), 'utf8'));

  test('every file is listed in SOURCE.md, and every listed file is there', () => {
    const files = fs.readdirSync(dir).filter((f) => f !== 'SOURCE.md');
    expect(listed.map(([f]) => f).sort()).toEqual(files.sort());
  });

  test.each(listed)('%s is the upstream blob %s', (file, blob) => {
    expect(gitBlobId(fs.readFileSync(path.join(dir, file)))).toBe(blob);
  });
});

test('an edited file does not hash to its blob', () => {
  expect(gitBlobId(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  expect(gitBlobId(Buffer.from('hello!\n'))).not.toBe('ce013625030ba8dba906f756967f9e9ca394464a');
});
