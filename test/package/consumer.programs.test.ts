// The package as a platform repository gets it: packed (prepack builds from scratch), installed
// into a copy of examples/platform-repo, compiled with that project's minimal strict tsconfig and
// run. Offline: the peers are linked from this repository's node_modules (`npm run
// check:consumer` does the same from the registry, with other patch versions).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  compile,
  copyExample,
  EXAMPLE,
  installLinked,
  packPackage,
  peerDependencies,
  resolvedCopies,
  ROOT,
  synth,
  tarballFiles,
} from '../../scripts/consumer-project';

jest.setTimeout(240_000);

/** Module specifiers imported by the declarations reachable from `entry`. */
function declarationImports(entry: string): Set<string> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\()\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      if (!spec.startsWith('.')) {
        external.add(spec);
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const next = [`${base}.d.ts`, path.join(base, 'index.d.ts')].find((f) => fs.existsSync(f));
      if (!next) throw new Error(`${file}: cannot resolve ${spec}`);
      visit(next);
    }
  };
  visit(entry);
  return external;
}

describe('the packed package in a platform repository (offline)', () => {
  let work: string;
  let files: string[];
  let project: string;
  let installed: string;
  let out: { kubernetes: string; terraform: string };

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-aks-platform-consumer-'));
    const tarball = packPackage(work);
    files = tarballFiles(tarball);
    project = path.join(work, 'platform-repo');
    copyExample(project);
    installLinked(project, tarball);
    installed = path.join(project, 'node_modules', 'cdk-aks-platform');
    compile(project);
    out = synth(project);
  });

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the tarball ships the compiled library, the preflight command and the reference files, no sources', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'build/lib/index.js',
        'build/lib/index.d.ts',
        'build/lib/kubernetes/synth.js',
        'build/apps/preflight.js',
        'apps/platform.yaml',
        'apps/platform-outputs.example.json',
        // the pages README.md links to
        'docs/platform-file.md',
        'docs/deploying.md',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(vendor|test|examples|scripts|bench|node_modules)\//.test(f))).toEqual([]);
  });

  test('the libraries whose types cross the public API are peers, never dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    const peers = Object.keys(pkg.peerDependencies).sort();
    expect(peers).toEqual([
      '@cdktf/provider-azuread',
      '@cdktf/provider-azurerm',
      '@cdktf/provider-helm',
      '@cdktf/provider-kubernetes',
      '@cdktf/provider-tls',
      'cdk8s',
      'cdk8s-plus-28',
      'cdktf',
      'constructs',
    ]);
    for (const name of peers) expect(pkg.dependencies[name]).toBeUndefined();
  });

  test('the published declarations import only installed packages, and never the validation library', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    const imports = [...declarationImports(path.join(installed, 'build/lib/index.d.ts'))];
    const packages = new Set(
      imports.map((s) =>
        s
          .split('/')
          .slice(0, s.startsWith('@') ? 2 : 1)
          .join('/'),
      ),
    );
    const installable = { ...pkg.peerDependencies, ...pkg.dependencies };
    expect([...packages].filter((p) => !(p in installable))).toEqual([]);
    // zod's declarations need esModuleInterop (TS1259): the spec types are our own interfaces.
    expect(packages.has('zod')).toBe(false);
    expect(imports.filter((s) => /^@cdktf\/provider-[a-z]+$/.test(s))).toEqual([]);
  });

  test('compiles with the minimal strict tsconfig: no esModuleInterop, no Node types, declarations checked', () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(project, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions).toEqual({
      target: 'ES2022',
      module: 'commonjs',
      strict: true,
      outDir: 'build',
    });
    expect(fs.existsSync(path.join(project, 'node_modules', '@types'))).toBe(false);
    // compile() in beforeAll threw with tsc's messages otherwise
    expect(fs.existsSync(path.join(project, 'build', 'synth.js'))).toBe(true);
  });

  test('synthesizes the Kubernetes YAML (cdk8s) and the Terraform (cdktf) with the installed package', () => {
    const objects = fs
      .readdirSync(out.kubernetes)
      .flatMap((f) =>
        parseAllDocuments(fs.readFileSync(path.join(out.kubernetes, f), 'utf8')).map((d) => d.toJSON()),
      );
    const tenants = objects.filter((o) => o.kind === 'Tenant').map((o) => o.metadata.name);
    expect(tenants.sort()).toEqual(['payments', 'search']);
    expect(objects.filter((o) => o.kind === 'ValidatingPolicy').length).toBeGreaterThanOrEqual(17);

    const infra = JSON.parse(fs.readFileSync(path.join(out.terraform, 'stacks/infra/cdk.tf.json'), 'utf8'));
    expect(Object.keys(infra.resource).sort()).toEqual(
      expect.arrayContaining([
        'azuread_group',
        'azurerm_kubernetes_cluster',
        'azurerm_kubernetes_cluster_node_pool',
      ]),
    );
  });

  test("the installed preflight command passes the platform's own manifests", () => {
    const output = execFileSync(
      process.execPath,
      [path.join(installed, 'build/apps/preflight.js'), '--policies', out.kubernetes, out.kubernetes],
      { cwd: project, encoding: 'utf8' },
    );
    expect(output).toMatch(/pass/i);
  });

  test('one copy of each peer, shared by the consumer and the package', () => {
    const copies = resolvedCopies(project, Object.keys(peerDependencies()));
    for (const [name, paths] of Object.entries(copies))
      expect({ name, paths: paths.length }).toEqual({ name, paths: 1 });
  });

  test('docs/constructs.md gives the example project tsconfig as the minimal consumer tsconfig', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'docs/constructs.md'), 'utf8');
    const tsconfig = fs.readFileSync(path.join(EXAMPLE, 'tsconfig.json'), 'utf8').trim();
    expect(readme).toContain(`\`\`\`json\n${tsconfig}\n\`\`\``);
  });
});
