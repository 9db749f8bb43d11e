import * as fs from 'node:fs';
import { platformFileReference } from '../../lib/platform-file';
import { PLATFORM_FILE_DOC, withCurrentReference } from '../../scripts/update-platform-reference';

describe('docs/platform-file.md', () => {
  const page = fs.readFileSync(PLATFORM_FILE_DOC, 'utf8');

  test('the platform-file reference is the one generated from the schema (run `npm run docs`)', () => {
    expect(withCurrentReference(page)).toBe(page);
  });

  test('a stale reference is seen, and regenerating it restores the page', () => {
    const stale = page.replace('| `tenants[].owners` |', '| `tenants[].ownerz` |');
    expect(stale).not.toBe(page);
    expect(withCurrentReference(stale)).not.toBe(stale);
    expect(withCurrentReference(stale)).toBe(page);
  });

  test('the reference lists every top-level key of the platform file', () => {
    const reference = platformFileReference();
    for (const key of [
      'name',
      'azure',
      'cluster',
      'groups',
      'admins',
      'kyverno',
      'capsule',
      'ingress',
      'containerRegistry',
      'tenants',
      'keyVaults',
      'workloads',
    ]) {
      expect(reference).toContain(`| \`${key}\` |`);
    }
  });
});
