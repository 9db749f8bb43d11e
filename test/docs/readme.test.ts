import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPlatformFile } from '../../lib/platform-file';

const ROOT = path.resolve(__dirname, '../..');

/** The README: the landing page, which leaves everything else to docs/. */
describe('README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  test('is a page a newcomer reads: under 15 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(15 * 1024);
  });

  test('gives exactly the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm test');
  });

  test('draws what one platform file becomes: the two stacks, the three YAML files, the reports, who applies them', () => {
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    for (const part of [
      'platform.yaml',
      'stack infra',
      'stack addons',
      'dist/kyverno-policies.k8s.yaml',
      'dist/tenants.k8s.yaml',
      'dist/workloads.k8s.yaml',
      'reports/policy-reports.yaml',
      'cdktf deploy infra addons',
      'kubectl apply',
      'platform team',
      'platform pipeline',
      'tenant owners',
    ])
      expect({ part, drawn: diagram.includes(part) }).toEqual({ part, drawn: true });
  });

  test('its platform file is a valid one', () => {
    const file = /## A platform file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(file).toBeDefined();
    expect(file!.trimEnd().split('\n').length).toBeLessThanOrEqual(22);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-platform-'));
    try {
      fs.writeFileSync(path.join(dir, 'platform.yaml'), file!);
      const spec = loadPlatformFile(path.join(dir, 'platform.yaml'));
      expect(spec.tenants.map((t) => t.name)).toEqual(['dev']);
      expect(spec.workloads.map((w) => w.name)).toEqual(['demo-api']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('shows the three ways to use it, one example each', () => {
    for (const way of ['**1. A pipeline', '**2. A platform repository', '**3. The platform team deploys'])
      expect(readme).toContain(way);
    expect(readme).toContain('PLATFORM_CONFIG=platform.yaml PLATFORM_OUTPUTS=outputs.json npm run synth');
    expect(readme).toMatch(/```ts\nimport \{ App, Chart \} from 'cdk8s';/);
    expect(readme).toContain('cdktf deploy infra addons --outputs-file outputs.json');
  });

  test('links every page of docs/', () => {
    const pages = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) expect(readme).toContain(`](docs/${page})`);
  });
});
