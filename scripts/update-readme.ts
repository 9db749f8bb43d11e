// Rewrites the platform-file reference in README.md from the schema (`npm run docs`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { platformFileReference } from '../lib/platform-file';

export const README = path.resolve(__dirname, '..', '..', 'README.md');
const START = '<!-- platform-reference:start -->';
const END = '<!-- platform-reference:end -->';

/** README text with the reference between the markers replaced by the current one. */
export function withCurrentReference(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  return `${readme.slice(0, start + START.length)}\n\n${platformFileReference()}\n${readme.slice(end)}`;
}

if (require.main === module) {
  const before = fs.readFileSync(README, 'utf8');
  const after = withCurrentReference(before);
  fs.writeFileSync(README, after);
  process.stdout.write(
    before === after ? 'README.md reference is current\n' : 'README.md reference updated\n',
  );
}
