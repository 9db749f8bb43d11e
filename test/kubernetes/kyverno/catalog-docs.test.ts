import * as fs from 'node:fs';
import { knownPolicyNames } from '../../../lib/kubernetes/kyverno';
import { POD_SECURITY_VERSIONS } from '../../../lib/platform-file/schema/kyverno';

/** The rows of the catalog table in docs/policies.md, by policy name. */
function catalogRows(): Map<string, string[]> {
  const page = fs.readFileSync('docs/policies.md', 'utf8');
  const section = page.slice(page.indexOf('## The catalog'), page.indexOf('## Platform file keys'));
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n').filter((l) => /^\| `[a-z-]+` \|/.test(l))) {
    const cells = line.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim());
    rows.set(cells[0].replace(/`/g, ''), cells);
  }
  return rows;
}

describe('docs/policies.md: the Kyverno catalog', () => {
  test('lists every policy of the catalog, and nothing else', () => {
    expect([...catalogRows().keys()].sort()).toEqual([...knownPolicyNames()].sort());
  });

  test('gives each Pod Security control the Kubernetes versions it follows', () => {
    for (const [name, cells] of catalogRows()) {
      expect(cells).toHaveLength(5);
      if (cells[1].startsWith('PSS'))
        expect({ name, versions: cells[3] }).toEqual({
          name,
          versions: expect.stringMatching(/^(all|from 1\.\d+)/),
        });
    }
  });

  test('states the supported range the catalog implements', () => {
    const page = fs.readFileSync('docs/policies.md', 'utf8');
    const range = `Kubernetes ${POD_SECURITY_VERSIONS[0]} to ${POD_SECURITY_VERSIONS[POD_SECURITY_VERSIONS.length - 1]}`;
    expect(page).toContain(`**Supported: ${range}**`);
  });
});
