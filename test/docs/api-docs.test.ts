import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every optional field of an exported interface documents its default (typedoc shows it). */
function undocumentedDefaults(dir: string): string[] {
  const missing: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'private' && entry.name !== 'schema') missing.push(...undocumentedDefaults(file));
      continue;
    }
    if (!entry.name.endsWith('.ts')) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let inInterface = false;
    lines.forEach((line, i) => {
      if (/^export interface \w+/.test(line)) inInterface = true;
      else if (inInterface && line.startsWith('}')) inInterface = false;
      if (!inInterface || !/^\s+readonly \w+\?:/.test(line)) return;
      let doc = '';
      for (let j = i - 1; j >= 0 && /^\s*(\*|\/\*\*)/.test(lines[j]); j--) {
        doc = lines[j] + doc;
        if (/^\s*\/\*\*/.test(lines[j])) break;
      }
      if (!doc.includes('@default')) missing.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return missing;
}

test('every optional prop of the public API documents its default', () => {
  expect(undocumentedDefaults('lib')).toEqual([]);
});
