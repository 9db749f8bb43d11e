import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(rel);
    return e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

// What starts another program: Node's process API, the helpers that start the apps, the Terraform
// check (it runs terraform).
const STARTS_PROGRAMS = new RegExp(
  [
    "from 'node:child_process'",
    '\\bspawnApp\\b',
    "import \\{[^}]*\\b(start|run)\\b[^}]*\\} from '(\\.\\./output|\\.)/child'",
    "from '\\.\\./\\.\\./scripts/terraform-check'",
  ].join('|'),
);

test('npm test starts no program: the tests that do are *.programs.test.ts (npm run test:programs)', () => {
  const files = [...testFiles('test'), ...testFiles('examples')];
  const programs = files.filter((f) => f.endsWith('.programs.test.ts'));
  // This file names the patterns, and starts nothing.
  const inProcess = files.filter(
    (f) => !f.endsWith('.programs.test.ts') && f !== 'test/apps/test-tiers.test.ts',
  );
  expect(programs.length).toBeGreaterThanOrEqual(10);
  expect(inProcess.length).toBeGreaterThan(50);
  expect(inProcess.filter((f) => STARTS_PROGRAMS.test(fs.readFileSync(path.join(ROOT, f), 'utf8')))).toEqual(
    [],
  );
  // Each programs file does start one (or it belongs with the others).
  expect(programs.filter((f) => !STARTS_PROGRAMS.test(fs.readFileSync(path.join(ROOT, f), 'utf8')))).toEqual(
    [],
  );
});

test('CI runs both: npm test, then npm run test:programs', () => {
  const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.scripts['test:programs']).toBe('jest -c jest.programs.config.js');
  expect(ci).toMatch(/^npm test\nnpm run test:programs\n/m);
});

test('npm test runs in the workers, where modules are shared: no file replaces or reloads one', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(path.join(ROOT, 'jest.config.js')) as { runner?: string };
  expect(config.runner).toBe('jest-light-runner');
  // Within a worker, test files share one module registry: a module replaced or reloaded there
  // would be replaced for the files that run after. test/support/fresh-module.ts loads a private copy.
  const replacing = [...testFiles('test'), ...testFiles('examples')]
    .filter((f) => !f.endsWith('.programs.test.ts'))
    .filter((f) =>
      /\bjest\.(mock|doMock|unmock|isolateModules|resetModules|requireActual)\(/.test(
        fs.readFileSync(path.join(ROOT, f), 'utf8'),
      ),
    );
  expect(replacing).toEqual([]);
});
