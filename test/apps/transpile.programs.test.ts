import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface TranspileOptions {
  readonly root?: string;
  readonly roots?: readonly string[];
  readonly outDir?: string;
}

// Plain JavaScript (it runs before anything is compiled), hence required with its type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { transpile } = require('../../scripts/transpile') as {
  transpile(options: TranspileOptions): string[];
};

const ROOT = path.resolve(__dirname, '..', '..');

/** A project with a tsconfig.json naming `src`, two sources and a test. */
function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'transpile-'));
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ include: ['src/**/*.ts'] }));
  fs.mkdirSync(path.join(root, 'src', 'sub'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'src', 'a.ts'),
    "import { b } from './sub/b';\nexport const a: string = `a${b}`;\n",
  );
  fs.writeFileSync(path.join(root, 'src', 'sub', 'b.ts'), 'export const b: number = 1;\n');
  fs.writeFileSync(path.join(root, 'src', 'a.test.ts'), 'test("x", () => undefined);\n');
  return root;
}

function load(file: string): unknown {
  // A fresh process: what a synth would see.
  return JSON.parse(
    execFileSync(process.execPath, ['-p', `JSON.stringify(require(${JSON.stringify(file)}))`], {
      encoding: 'utf8',
    }),
  );
}

describe('scripts/transpile.js: build/ from the sources, without a type-check', () => {
  test('a fresh project: every source of tsconfig.json, tests left out, in the layout of tsc', () => {
    const root = project();
    expect(transpile({ root }).sort()).toEqual(['src/a.ts', 'src/sub/b.ts']);
    expect(load(path.join(root, 'build', 'src', 'a.js'))).toEqual({ a: 'a1' });
    expect(fs.existsSync(path.join(root, 'build', 'src', 'a.test.js'))).toBe(false);
  });

  test('a built project: nothing transpiled again; a changed source alone; a removed one loses its output', () => {
    const root = project();
    transpile({ root });
    expect(transpile({ root })).toEqual([]);

    fs.writeFileSync(path.join(root, 'src', 'sub', 'b.ts'), 'export const b: number = 2;\n');
    expect(transpile({ root })).toEqual(['src/sub/b.ts']);
    expect(load(path.join(root, 'build', 'src', 'a.js'))).toEqual({ a: 'a2' });

    // Whatever the file times say: the text decides.
    const past = new Date(Date.now() - 3600_000);
    fs.writeFileSync(path.join(root, 'src', 'sub', 'b.ts'), 'export const b: number = 3;\n');
    fs.utimesSync(path.join(root, 'src', 'sub', 'b.ts'), past, past);
    expect(transpile({ root })).toEqual(['src/sub/b.ts']);

    fs.rmSync(path.join(root, 'src', 'sub', 'b.ts'));
    expect(transpile({ root })).toEqual([]);
    expect(fs.existsSync(path.join(root, 'build', 'src', 'sub', 'b.js'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'build', 'src', 'a.js'))).toBe(true);
  });

  test('an output deleted by hand, or written by another transpiler, is written again', () => {
    const root = project();
    transpile({ root });
    fs.rmSync(path.join(root, 'build', 'src', 'a.js'));
    expect(transpile({ root })).toEqual(['src/a.ts']);

    const manifest = path.join(root, 'build', '.transpiled.json');
    const recorded = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    fs.writeFileSync(manifest, JSON.stringify({ ...recorded, transpiler: 'esbuild 0.0.1' }));
    expect(transpile({ root }).sort()).toEqual(['src/a.ts', 'src/sub/b.ts']);
  });

  test('other roots and another output folder (what the test setup compiles)', () => {
    const root = project();
    const outDir = path.join(root, 'out');
    expect(transpile({ root, roots: ['src/sub'], outDir })).toEqual(['src/sub/b.ts']);
    expect(load(path.join(outDir, 'src', 'sub', 'b.js'))).toEqual({ b: 1 });
    expect(fs.existsSync(path.join(root, 'build'))).toBe(false);
  });

  test('with an app: the compiled app runs in the same process, with its own arguments', () => {
    const root = project();
    fs.writeFileSync(
      path.join(root, 'src', 'main.ts'),
      'const args: string[] = process.argv.slice(2);\nprocess.stdout.write(JSON.stringify({ args, main: require.main === module }));\n',
    );
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.copyFileSync(path.join(ROOT, 'scripts', 'transpile.js'), path.join(root, 'scripts', 'transpile.js'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const out = execFileSync(process.execPath, ['scripts/transpile.js', 'src/main', '--x', 'y'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ args: ['--x', 'y'], main: true });
  });
});
