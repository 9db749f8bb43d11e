// npm run mutate [-- [<file or glob>...] [--mutate <glob>[,<glob>...]] [--incremental] [--concurrency <n>] [--dryRunOnly]]
//
// Mutation testing (StrykerJS) of the given modules, by default the security modules listed in
// stryker.config.mjs, each in a run of its own. Runs only the test files that judge a module: those
// listed there for it, or else the test files of the folder mirroring the module's (lib/azure/x.ts
// -> test/azure/, walking up when there is none) that import it (jest's findRelatedTests), leaving
// out those that start processes: what they check runs where per-test coverage cannot see it, and
// each start costs seconds per mutant. Writes .stryker/reports/index.html and mutation.json (in
// .stryker/reports/<n>/ for the n-th module of a default run) and prints the score per module.
// --incremental reruns only the mutants whose code or tests changed since the last --incremental
// run of the same modules.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import { securityModules, testsOf } from '../stryker.config.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STARTS_PROCESSES = /from '(node:)?child_process'|from '\.\.\/support\/run-app'/;
const USAGE =
  'usage: npm run mutate [-- [<file or glob>...] [--mutate <glob>[,<glob>...]] [--incremental] [--concurrency <n>] [--dryRunOnly]]';

function usage(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const patterns = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (argv[i + 1] === undefined) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--mutate' || a === '-m') patterns.push(...value().split(','));
    else if (a === '--incremental') options.incremental = true;
    else if (a === '--dryRunOnly') options.dryRunOnly = true;
    else if (a === '--report') options.report = value();
    else if (a === '--concurrency') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) usage('--concurrency needs a positive integer');
      options.concurrency = n;
    } else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else patterns.push(a);
  }
  return { patterns, options };
}

/** `*` within a folder, `**` across folders, `?` one character. */
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir) {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}

const normalize = (p) => path.posix.normalize(p.replace(/\\/g, '/').replace(/^\.\//, ''));
const matches = (glob, file) => globToRegExp(normalize(glob)).test(file);

/** The mirrored test folder (or the nearest one above it): its test files that import the module. */
function relatedTests(file) {
  let folder = path.posix.dirname(file).replace(/^lib(\/|$)/, 'test$1');
  while (folder !== 'test' && !fs.existsSync(path.join(ROOT, folder))) folder = path.posix.dirname(folder);
  const jest = path.join(ROOT, 'node_modules/jest/bin/jest.js');
  const roots = ['--roots', '<rootDir>/lib', '--roots', `<rootDir>/${folder}`];
  const listed = execFileSync(process.execPath, [jest, '--listTests', ...roots, '--findRelatedTests', file], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return listed
    .split('\n')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
    .filter((f) => !STARTS_PROCESSES.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
}

function testsFor(file, testFiles) {
  const listed = Object.entries(testsOf).filter(([module]) => matches(module, file));
  if (listed.length === 0) return relatedTests(file);
  return listed.flatMap(([module, globs]) =>
    globs.flatMap((g) => {
      const found = testFiles.filter((t) => matches(g, t));
      if (found.length === 0) usage(`${g} (tests of ${module} in stryker.config.mjs) matches no test file`);
      return found;
    }),
  );
}

const { patterns, options } = parseArgs(process.argv.slice(2));

// No module given: each security module in a run of its own, with only its test files (one run
// for all would give every module the tests of all, and static mutants would run all of them).
// Each writes its report to .stryker/reports/<n>/.
if (patterns.length === 0) {
  const flags = process.argv.slice(2);
  let failed = false;
  securityModules.forEach((module, i) => {
    const report = `.stryker/reports/${i + 1}`;
    const run = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), module, ...flags, '--report', report],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    if (run.status !== 0) failed = true;
  });
  process.exit(failed ? 1 : 0);
}
const sources = walk('lib').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const files = [
  ...new Set(
    patterns.flatMap((p) => {
      const found = sources.filter((f) => matches(p, f));
      if (found.length === 0) usage(`${p} matches no TypeScript file under lib/`);
      return found;
    }),
  ),
];
const testFiles = walk('test').filter((f) => f.endsWith('.test.ts'));
const tests = [...new Set(files.flatMap((f) => testsFor(f, testFiles)))].sort();
if (tests.length === 0) usage(`no test file found for ${files.join(', ')}`);
console.log(`mutating ${files.join(', ')}\nwith ${tests.join(', ')}`);

// Stryker reads stryker.config.mjs itself; these options go over it. With lib/ among the roots,
// jest's findRelatedTests follows imports through the other modules of lib/ to the mutated one.
const { roots = ['<rootDir>'] } = createRequire(import.meta.url)('../test/support/jest-base.js');
// --incremental keeps one result file per set of modules (named by their hash): Stryker's single
// file would only hold the last run's.
const slug = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
const incrementalFile = `.stryker/incremental/${slug}.json`;
const { report, ...strykerOptions } = options;
const stryker = new Stryker({
  ...strykerOptions,
  ...(options.incremental && { incrementalFile }),
  ...(report && {
    htmlReporter: { fileName: `${report}/index.html` },
    jsonReporter: { fileName: `${report}/mutation.json` },
  }),
  mutate: files,
  jest: {
    config: {
      roots: [...new Set([...roots, '<rootDir>/lib'])],
      testMatch: tests.map((t) => `<rootDir>/${t}`),
    },
  },
});
const results = await stryker.runMutationTest();
if (options.dryRunOnly) process.exit(0);

// Stryker's score: killed and timed out over killed, timed out, survived and without coverage.
// Mutants that do not compile or break the test run outright are left out, as Stryker does.
const byFile = new Map();
for (const r of results) {
  const f = byFile.get(r.fileName) ?? { detected: 0, survived: 0, noCoverage: 0, excluded: 0 };
  if (r.status === 'Killed' || r.status === 'Timeout') f.detected++;
  else if (r.status === 'Survived') f.survived++;
  else if (r.status === 'NoCoverage') f.noCoverage++;
  else f.excluded++;
  byFile.set(r.fileName, f);
}
console.log(
  '\n| module | mutants | detected | survived | no coverage | left out | score |\n|---|---:|---:|---:|---:|---:|---:|',
);
for (const [file, f] of [...byFile].sort()) {
  const valid = f.detected + f.survived + f.noCoverage;
  const score = valid === 0 ? 'n/a' : `${((100 * f.detected) / valid).toFixed(1)}%`;
  console.log(
    `| ${path.relative(ROOT, file)} | ${valid} | ${f.detected} | ${f.survived} | ${f.noCoverage} | ${f.excluded} | ${score} |`,
  );
}
