import * as fs from 'node:fs';
import { platformFileReference } from '../../lib/platform-file';
import { withCurrentReference } from '../../scripts/update-readme';

describe('README', () => {
  const readme = fs.readFileSync('README.md', 'utf8');

  test('the platform-file reference is the one generated from the schema (run `npm run docs`)', () => {
    expect(withCurrentReference(readme)).toBe(readme);
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

  test('gives exactly the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm test');
  });
});
