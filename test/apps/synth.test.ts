import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runMain } from '../../lib/cli';
import { synthAzurePlatform } from '../../lib/azure/synth';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { PlatformError } from '../../lib/spec';

const REFERENCE = { configFile: 'apps/platform.yaml', outputsFile: 'apps/platform-outputs.example.json' };

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Options for a Kubernetes synth into a fresh folder, its reports beside it. */
function into(dir: string) {
  return { outdir: dir, reportsDir: `${dir}-reports` };
}

describe('the two apps on the reference platform', () => {
  test('two Kubernetes synths of the same file are byte-identical', () => {
    const a = tmp('k8s-a-');
    const b = tmp('k8s-b-');
    synthKubernetesPlatform({ ...REFERENCE, ...into(a) });
    synthKubernetesPlatform({ ...REFERENCE, ...into(b) });
    const ta = readTree(a);
    expect(Object.keys(ta).length).toBeGreaterThan(0);
    expect(readTree(b)).toEqual(ta);
  });

  test('two Terraform synths of the same file are byte-identical', () => {
    const a = tmp('tf-a-');
    const b = tmp('tf-b-');
    synthAzurePlatform({ configFile: REFERENCE.configFile, ...into(a) });
    synthAzurePlatform({ configFile: REFERENCE.configFile, ...into(b) });
    const ta = readTree(a);
    expect(Object.keys(ta).some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    expect(readTree(b)).toEqual(ta);
  });

  test('no placeholder and no unresolved reference reaches the YAML', () => {
    const dir = tmp('k8s-');
    synthKubernetesPlatform({ ...REFERENCE, ...into(dir) });
    for (const [file, text] of Object.entries(readTree(dir))) {
      const placeholder = /\$\{|TODO|PLACEHOLDER|CHANGE_?ME|REPLACE_?ME|<object[- ]?id>|xxxxxxxx/i.test(text);
      expect({ file, placeholder }).toEqual({ file, placeholder: false });
    }
    const tenants = parseAllDocuments(fs.readFileSync(path.join(dir, 'tenants.k8s.yaml'), 'utf8'))
      .map((d) => d.toJS())
      .filter((o) => o?.kind === 'Tenant');
    const owners = tenants.flatMap((t) => t.spec.owners.map((o: { name: string }) => o.name));
    expect(owners.length).toBeGreaterThan(0);
    for (const name of owners)
      expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test('a stale file of an earlier synth is removed; other files are left alone', () => {
    const dir = tmp('k8s-');
    fs.writeFileSync(path.join(dir, 'old-chart.k8s.yaml'), 'kind: Stale\n');
    fs.writeFileSync(path.join(dir, 'README.txt'), 'keep');
    synthKubernetesPlatform({ ...REFERENCE, ...into(dir) });
    expect(fs.existsSync(path.join(dir, 'old-chart.k8s.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'README.txt'))).toBe(true);
  });

  test('another platform without an outputs file fails, naming the group, and writes nothing', () => {
    const dir = tmp('k8s-');
    expect(() => synthKubernetesPlatform({ configFile: REFERENCE.configFile, ...into(dir) })).toThrow(
      /group "dev" \(capsuleDevGroup\): no outputs file was given/,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('runMain', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.exitCode = undefined;
  });
  afterEach(() => {
    stderr.mockRestore();
    process.exitCode = undefined;
  });

  test('a user mistake prints the message without a stack trace and exits 1', () => {
    runMain('kubernetes', () => {
      throw new PlatformError('tenants[0].name: "X" must be a DNS label');
    });
    expect(process.exitCode).toBe(1);
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toBe('kubernetes: tenants[0].name: "X" must be a DNS label\n');
    expect(printed).not.toMatch(/\n\s+at /);
  });

  test('a defect keeps its stack', () => {
    expect(() =>
      runMain('kubernetes', () => {
        throw new TypeError('boom');
      }),
    ).toThrow(TypeError);
  });
});
