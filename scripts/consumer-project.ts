// The package as a platform repository receives it: packed the way `npm publish` packs it, then
// installed into a copy of examples/platform-repo, compiled with that project's own tsconfig and
// run. Used offline by the tests (the peers linked from this repository's node_modules) and with
// the registry by `npm run check:consumer` (other patch versions of the peers).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, from scripts/ (under jest) or build/scripts/ (compiled). */
export const ROOT = findRoot(__dirname);
export const EXAMPLE = path.join(ROOT, 'examples', 'platform-repo');

function findRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'cdk-aks-platform')
      return dir;
  }
  throw new Error(`no cdk-aks-platform package.json above ${from}`);
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

function npm(args: string[], cwd: string): string {
  // npm_config_* of an enclosing `npm run` / `npm test` would leak into the child npm.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Packs the package from a copy of the repository's files (tracked and untracked, never ignored
 * ones such as build/), so that `prepack` builds from scratch as on a fresh clone, and the working
 * tree's build/ is left alone.
 * @returns the tarball's path, in `workDir`
 */
export function packPackage(workDir: string): string {
  const source = path.join(workDir, 'source');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(ROOT, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(source, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(source, f));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  const [result] = JSON.parse(npm(['pack', '--json', '--pack-destination', workDir], source));
  return path.join(workDir, result.filename);
}

/** The paths inside a tarball, without npm's `package/` prefix. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''))
    .sort();
}

/** Copies examples/platform-repo (without its in-repository tests) into `dir`. */
export function copyExample(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(EXAMPLE)) {
    if (f.endsWith('.test.ts') || fs.statSync(path.join(EXAMPLE, f)).isDirectory()) continue;
    fs.copyFileSync(path.join(EXAMPLE, f), path.join(dir, f));
  }
}

/**
 * Installs the tarball into the consumer project without the network: the package is unpacked into
 * node_modules, and everything else npm would install (the consumer's own dependencies, the
 * package's dependencies and peers) is linked from this repository's node_modules, at the top level
 * as npm hoists it.
 */
export function installLinked(dir: string, tarball: string): void {
  const modules = path.join(dir, 'node_modules');
  const target = path.join(modules, 'cdk-aks-platform');
  fs.mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const consumer = readManifest(dir);
  const pkg = readManifest(target);
  const names = new Set([
    ...Object.keys(consumer.dependencies ?? {}),
    ...Object.keys(consumer.devDependencies ?? {}),
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  names.delete('cdk-aks-platform');
  for (const name of names) {
    const from = path.join(ROOT, 'node_modules', name);
    if (!fs.existsSync(from)) throw new Error(`${name} is not installed in ${ROOT}/node_modules`);
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(from, path.join(modules, name), 'dir');
  }
}

/** Installs the tarball and the consumer's pinned dependencies from the registry (network). */
export function installFromRegistry(dir: string, tarball: string): string {
  const manifestFile = path.join(dir, 'package.json');
  const manifest = readManifest(dir);
  fs.writeFileSync(
    manifestFile,
    JSON.stringify(
      { ...manifest, dependencies: { ...manifest.dependencies, 'cdk-aks-platform': `file:${tarball}` } },
      null,
      2,
    ),
  );
  return npm(['install', '--no-audit', '--no-fund'], dir);
}

/** Compiles the consumer project with its own tsconfig and its own TypeScript; throws with tsc's output. */
export function compile(dir: string, extraArgs: string[] = []): void {
  const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', dir, ...extraArgs], { cwd: dir, encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed in ${dir}:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/** Runs the consumer's entry point (build/synth.js) with its outputs under `dir`. */
export function synth(dir: string): { kubernetes: string; terraform: string } {
  const kubernetes = path.join(dir, 'dist');
  const terraform = path.join(dir, 'cdktf.out');
  execFileSync(process.execPath, [path.join(dir, 'build', 'synth.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      CDK8S_OUTDIR: kubernetes,
      CDKTF_OUTDIR: terraform,
      CDK8S_CHECK_UPGRADE: 'false',
      CHECKPOINT_DISABLE: '1',
    },
    encoding: 'utf8',
  });
  return { kubernetes, terraform };
}

/**
 * Where each of `names` resolves from the consumer and from inside the package, by real path: one
 * entry per name means one copy (a second copy breaks `instanceof` and construct-tree checks).
 */
export function resolvedCopies(dir: string, names: string[]): Record<string, string[]> {
  const script = `
    const path = require('path'), fs = require('fs');
    const from = [process.cwd(), path.dirname(require.resolve('cdk-aks-platform/package.json'))];
    const out = {};
    const root = (file, name) => {
      for (let d = path.dirname(file); d !== path.dirname(d); d = path.dirname(d)) {
        const m = path.join(d, 'package.json');
        if (fs.existsSync(m) && JSON.parse(fs.readFileSync(m, 'utf8')).name === name) return d;
      }
      throw new Error('no package.json of ' + name + ' above ' + file);
    };
    for (const name of JSON.parse(process.argv[1])) {
      out[name] = [...new Set(from.map((d) =>
        fs.realpathSync(root(require.resolve(name, { paths: [d] }), name))))];
    }
    process.stdout.write(JSON.stringify(out));
  `;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script, JSON.stringify(names)], { cwd: dir, encoding: 'utf8' }),
  );
}

/** The installed version of `name` as the consumer resolves it. */
export function installedVersion(dir: string, name: string): string {
  return readManifest(path.join(dir, 'node_modules', name)).version;
}

/** The peer dependencies of the repository's package.json. */
export function peerDependencies(): Record<string, string> {
  return readManifest(ROOT).peerDependencies ?? {};
}
