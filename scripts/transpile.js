// The fast path from the TypeScript sources to runnable JavaScript, for the apps, `cdk8s synth`,
// `cdktf synth` and the benchmarks:
//
//   node scripts/transpile.js                      brings build/ up to date
//   node scripts/transpile.js apps/synth [args]    the same, then runs build/apps/synth.js
//
// Each source that tsconfig.json compiles (tests aside) is transpiled on its own with esbuild:
// types are stripped, never checked (`npm run typecheck` and CI check them) and no declarations
// are written (`npm run build`, a full tsc, writes them for packing). A source whose text has
// not changed since its last transpile is skipped, so a built checkout starts the app at once;
// a fresh clone pays one transpile of every file (a fraction of a second), never a type-check.
// Plain JavaScript, because it runs before anything is compiled.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** What was transpiled, by source: its text's hash. A source not listed, or changed, is transpiled. */
const MANIFEST = '.transpiled.json';

/** The source folders of tsconfig.json (`lib/**\/*.ts` gives `lib`). */
function sourceRoots(root) {
  const config = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  return config.include.map((pattern) => pattern.split('/')[0]);
}

function sources(root, roots) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch (e) {
      if (e.code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(rel);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts')) {
        found.push(rel);
      }
    }
  };
  for (const dir of roots) walk(dir);
  return found.sort();
}

function readManifest(outDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST), 'utf8'));
  } catch {
    return { transpiler: '', files: {} };
  }
}

/** Writes a file whole (a concurrent synth reads the previous or the new file, never half of one). */
function writeWhole(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, file);
}

/**
 * Transpiles the sources whose text changed since their last transpile into `outDir` (same
 * layout as tsc: `lib/a.ts` to `<outDir>/lib/a.js`), and removes the output of sources that are
 * gone. `roots` are folders of `root` (default: those of tsconfig.json); tests are left out.
 * @returns the sources transpiled
 */
function transpile(options = {}) {
  const root = options.root ?? ROOT;
  const outDir = options.outDir ?? path.join(root, 'build');
  const previous = readManifest(outDir);
  // A new transpiler version writes every file anew.
  const transpiler = `esbuild ${require('esbuild/package.json').version}`;
  const files = {};
  const stale = [];
  for (const rel of sources(root, options.roots ?? sourceRoots(root))) {
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    const hash = crypto.createHash('sha256').update(text).digest('hex');
    files[rel] = hash;
    const out = path.join(outDir, rel.replace(/\.ts$/, '.js'));
    if (previous.transpiler !== transpiler || previous.files[rel] !== hash || !fs.existsSync(out))
      stale.push({ rel, text, out });
  }
  if (stale.length > 0) {
    // Loaded only when something changed: a built checkout never pays for it.
    const esbuild = require('esbuild');
    for (const { rel, text, out } of stale) {
      const { code } = esbuild.transformSync(text, {
        loader: 'ts',
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        sourcefile: rel,
        // tsc's semantics for class fields at target ES2022.
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
      });
      writeWhole(out, code);
    }
  }
  for (const rel of Object.keys(previous.files))
    if (!(rel in files)) fs.rmSync(path.join(outDir, rel.replace(/\.ts$/, '.js')), { force: true });
  if (stale.length > 0 || Object.keys(previous.files).length !== Object.keys(files).length)
    writeWhole(path.join(outDir, MANIFEST), JSON.stringify({ transpiler, files }, null, 1) + '\n');
  return stale.map((s) => s.rel);
}

module.exports = { transpile };

if (require.main === module) {
  const [target, ...args] = process.argv.slice(2);
  transpile();
  if (target !== undefined) {
    // The compiled file becomes this process's main module, with its own arguments, as if
    // `node build/<target>.js [args]` had been run.
    process.argv = [process.argv[0], path.join(ROOT, 'build', `${target.replace(/\.ts$/, '')}.js`), ...args];
    require('node:module').runMain();
  }
}
