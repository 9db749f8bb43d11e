// Rewrites the platform-file reference in docs/platform-file.md from the schema (`npm run docs`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { platformFileReference } from '../lib/platform-file';

/** The folder of package.json above `dir`: the same from scripts/ and from build/scripts/. */
function repositoryRoot(dir: string): string {
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  return repositoryRoot(path.dirname(dir));
}

/** The page that holds the generated reference, between the two markers. */
export const PLATFORM_FILE_DOC = path.join(repositoryRoot(__dirname), 'docs', 'platform-file.md');
const START = '<!-- platform-reference:start -->';
const END = '<!-- platform-reference:end -->';

/** The page's text with the reference between the markers replaced by the current one. */
export function withCurrentReference(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`docs/platform-file.md needs the markers ${START} and ${END}`);
  return `${page.slice(0, start + START.length)}\n\n${platformFileReference()}\n${page.slice(end)}`;
}

if (require.main === module) {
  const before = fs.readFileSync(PLATFORM_FILE_DOC, 'utf8');
  const after = withCurrentReference(before);
  fs.writeFileSync(PLATFORM_FILE_DOC, after);
  process.stdout.write(
    before === after
      ? 'docs/platform-file.md: the reference is current\n'
      : 'docs/platform-file.md: the reference was updated\n',
  );
}
