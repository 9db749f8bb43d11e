import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { formatSummary, runMain } from '../../lib/cli';
import { azureSynthSummary, synthAzurePlatform } from '../../lib/azure/synth';
import { kubernetesSynthSummary, synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { outputDirFromEnv, PlatformError, platformInputsFromEnv } from '../../lib/platform-file';

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

/** `make` run once, when first asked for (a synth costs about a second). */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** One synth of each app on the reference platform, for the tests that only read what it wrote. */
const reference = {
  kubernetes: once(() => {
    const dir = tmp('k8s-ref-');
    return { dir, result: synthKubernetesPlatform({ ...REFERENCE, ...into(dir) }) };
  }),
  terraform: once(() => {
    const dir = tmp('tf-ref-');
    return { dir, result: synthAzurePlatform({ configFile: REFERENCE.configFile, outdir: dir }) };
  }),
};

describe('the two apps on the reference platform', () => {
  test('two Kubernetes synths of the same file are byte-identical', () => {
    const a = reference.kubernetes().dir;
    const b = tmp('k8s-b-');
    synthKubernetesPlatform({ ...REFERENCE, ...into(b) });
    const ta = readTree(a);
    expect(Object.keys(ta).length).toBeGreaterThan(0);
    expect(readTree(b)).toEqual(ta);
    expect(readTree(`${b}-reports`)).toEqual(readTree(`${a}-reports`));
  });

  test('two Terraform synths of the same file are byte-identical', () => {
    const a = reference.terraform().dir;
    const b = tmp('tf-b-');
    synthAzurePlatform({ configFile: REFERENCE.configFile, outdir: b });
    const ta = readTree(a);
    expect(Object.keys(ta).some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    expect(readTree(b)).toEqual(ta);
  });

  test('no placeholder and no unresolved reference reaches the YAML', () => {
    const dir = reference.kubernetes().dir;
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

describe('what the apps say they did', () => {
  test('the Kubernetes synth counts the objects of each file it wrote, and the reports', () => {
    const { dir, result } = reference.kubernetes();
    expect(result.files.map((f) => path.basename(f.path))).toEqual([
      'kyverno-policies.k8s.yaml',
      'tenants.k8s.yaml',
      'workloads.k8s.yaml',
    ]);
    for (const f of result.files)
      expect(f.objects).toBe(parseAllDocuments(fs.readFileSync(f.path, 'utf8')).length);
    expect(result.reports.path).toBe(path.join(`${dir}-reports`, 'policy-reports.yaml'));
    expect(result.reports.reports).toBe(
      parseAllDocuments(fs.readFileSync(result.reports.path, 'utf8')).length,
    );
    expect(result.reports.summary.pass).toBeGreaterThan(0);

    const printed = kubernetesSynthSummary(result, platformInputsFromEnv({}));
    expect(printed.split('\n')[0]).toBe(
      'kubernetes: platform file apps/platform.yaml (the reference platform: PLATFORM_CONFIG is not set)',
    );
    expect(printed).toContain(`wrote ${path.join(dir, 'tenants.k8s.yaml')} `);
    expect(printed).toMatch(new RegExp(`tenants\\.k8s\\.yaml +${result.files[1].objects} objects\\n`));

    // The README shows what the reference synth prints into the default folders.
    const asDocumented = kubernetesSynthSummary(
      {
        ...result,
        files: result.files.map((f) => ({ ...f, path: `dist/${path.basename(f.path)}` })),
        reports: { ...result.reports, path: 'reports/policy-reports.yaml' },
      },
      platformInputsFromEnv({}),
    );
    expect(fs.readFileSync('README.md', 'utf8')).toContain(asDocumented);
  });

  test('the Terraform synth counts the resources, data sources and outputs of each stack', () => {
    const { dir, result } = reference.terraform();
    const addons = JSON.parse(fs.readFileSync(path.join(dir, 'stacks/addons/cdk.tf.json'), 'utf8'));
    expect(result.stacks.map((s) => s.name)).toEqual(['infra', 'addons']);
    expect(result.stacks[1]).toEqual({
      name: 'addons',
      path: path.join(dir, 'stacks/addons/cdk.tf.json'),
      // four releases, the proxy CA's key, certificate and Secret
      resources: Object.values<object>(addons.resource).reduce(
        (n, blocks) => n + Object.keys(blocks).length,
        0,
      ),
      dataSources: 1,
      // a kubeconfig per tenant
      outputs: 2,
    });
    expect(result.stacks[1].resources).toBe(7);
    const printed = azureSynthSummary(result, { configFile: 'mine.yaml' });
    expect(printed.split('\n')[0]).toBe('azure: platform file mine.yaml');
    expect(printed).toContain(
      `wrote ${path.join(dir, 'stacks/addons/cdk.tf.json')}  7 resources, 1 data source, 2 outputs\n`,
    );

    const asDocumented = azureSynthSummary(
      {
        ...result,
        stacks: result.stacks.map((st) => ({ ...st, path: `cdktf.out/stacks/${st.name}/cdk.tf.json` })),
      },
      platformInputsFromEnv({}),
    );
    expect(fs.readFileSync('README.md', 'utf8')).toContain(asDocumented);
  });

  test('another platform file is named as is; no outputs file is said; rows are aligned', () => {
    const printed = formatSummary(
      'kubernetes',
      { configFile: 'mine.yaml' },
      [
        { what: 'outputs file', detail: 'none' },
        { what: 'wrote dist/a.k8s.yaml', detail: '1 object' },
      ],
      ['dist'],
    );
    expect(printed).toBe(
      [
        'kubernetes: platform file mine.yaml',
        '  recovered dist         put back from an interrupted synth',
        '  outputs file           none',
        '  wrote dist/a.k8s.yaml  1 object',
        '',
      ].join('\n'),
    );
  });
});

describe('the environment of the apps', () => {
  test.each([
    ['PLATFORM_CONFIG', ''],
    ['PLATFORM_CONFIG', ' '],
    ['PLATFORM_CONFIG', '\t\n'],
    ['PLATFORM_OUTPUTS', ''],
  ])('%s set to %j is an error, never the reference platform', (variable, value) => {
    expect(() => platformInputsFromEnv({ [variable]: value })).toThrow(PlatformError);
    expect(() => platformInputsFromEnv({ [variable]: value })).toThrow(
      `${variable} is set but empty (${JSON.stringify(value)}): `,
    );
  });

  test('the reference platform is said to be the default only when PLATFORM_CONFIG is unset', () => {
    expect(platformInputsFromEnv({}).referenceDefault).toBe(true);
    expect(platformInputsFromEnv({ PLATFORM_CONFIG: 'apps/platform.yaml' }).referenceDefault).toBeUndefined();
    expect(platformInputsFromEnv({ PLATFORM_OUTPUTS: 'o.json' })).toEqual({
      configFile: 'apps/platform.yaml',
      outputsFile: 'o.json',
      referenceDefault: true,
    });
  });

  test('an output folder variable set but empty is an error; unset gives the default', () => {
    expect(outputDirFromEnv({}, 'CDK8S_OUTDIR', 'dist')).toBe('dist');
    expect(outputDirFromEnv({ CDK8S_OUTDIR: 'out' }, 'CDK8S_OUTDIR', 'dist')).toBe('out');
    expect(() => outputDirFromEnv({ CDK8S_OUTDIR: ' ' }, 'CDK8S_OUTDIR', 'dist')).toThrow(
      'CDK8S_OUTDIR is set but empty (" "): name a folder, or unset it for dist',
    );
  });
});

describe('output folders that cannot be written', () => {
  test.each([
    ['outdir', (dir: string) => ({ outdir: path.join(dir, 'file'), reportsDir: path.join(dir, 'reports') })],
    ['reportsDir', (dir: string) => ({ outdir: path.join(dir, 'dist'), reportsDir: path.join(dir, 'file') })],
  ])('%s a regular file: one line, nothing written', (setting, folders) => {
    const dir = tmp('k8s-');
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect(() => synthKubernetesPlatform({ ...REFERENCE, ...folders(dir) })).toThrow(
      new PlatformError(`${setting} ${path.join(dir, 'file')} is a file, not a folder`),
    );
    expect(fs.readdirSync(dir)).toEqual(['file']);
  });

  test('the Terraform outdir a regular file: one line, nothing written', () => {
    const dir = tmp('tf-');
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    expect(() => synthAzurePlatform({ configFile: REFERENCE.configFile, outdir: file })).toThrow(
      new PlatformError(`outdir ${file} is a file, not a folder`),
    );
    expect(fs.readdirSync(dir)).toEqual(['file']);
  });

  test('a folder of the user named like a YAML file of the synth: one line, the previous output intact', () => {
    const dir = tmp('k8s-');
    synthKubernetesPlatform({ ...REFERENCE, ...into(dir) });
    const before = readTree(dir);
    fs.rmSync(path.join(dir, 'tenants.k8s.yaml'));
    fs.mkdirSync(path.join(dir, 'tenants.k8s.yaml'));
    expect(() => synthKubernetesPlatform({ ...REFERENCE, ...into(dir) })).toThrow(
      /tenants\.k8s\.yaml is a directory the synth did not write, where it now writes a file: move it out of/,
    );
    delete before['tenants.k8s.yaml'];
    expect(readTree(dir)).toEqual(before);
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
