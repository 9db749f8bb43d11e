import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { parse } from '@bufbuild/cel';
import { CelExpression } from '../../../lib/preflight/cel/expression';
import { PlatformError } from '../../../lib/platform-file';
import { loadFresh } from '../../support/fresh-module';

type ParseModule = typeof import('../../../lib/preflight/cel/parse');

const CACHE = path.resolve(__dirname, '../../../node_modules/.cache/cdk-aks-platform/cel');

const PARSE = path.resolve(__dirname, '../../../lib/preflight/cel/parse.ts');

/** A fresh copy of the module: a new process as far as its memory goes. */
function freshModule(): ParseModule {
  return loadFresh<ParseModule>(PARSE);
}

function cacheFiles(): Set<string> {
  return new Set(fs.existsSync(CACHE) ? fs.readdirSync(CACHE) : []);
}

/** Parses `source` in a fresh module and returns the cache file it wrote. */
function parsedIntoFile(source: string): string {
  const before = cacheFiles();
  freshModule().parseCel(source);
  const added = [...cacheFiles()].filter((f) => !before.has(f));
  expect(added).toHaveLength(1);
  return path.join(CACHE, added[0]);
}

/** An expression no earlier run has cached. */
function unique(): string {
  return `object.metadata.name == '${process.pid}-${Date.now()}-${Math.random()}'`;
}

afterEach(() => {
  delete process.env.CDK_AKS_PLATFORM_CEL_CACHE;
});

describe('parseCel: every text parsed once, by process and across processes', () => {
  test('the same tree as the parser, once per text in a process', () => {
    const { parseCel } = freshModule();
    const source = "object.spec.containers.all(c, c.image.startsWith('a'))";
    const tree = parseCel(source);
    expect(tree).toEqual(parse(source));
    expect(parseCel(source)).toBe(tree);
    expect(() => parseCel('object.spec.(')).toThrow();
  });

  test('a text parsed by one process is read back by the next, equal to a fresh parse', () => {
    const source = unique();
    const file = parsedIntoFile(source);
    const readBack = freshModule().parseCel(source);
    expect(readBack).toEqual(parse(source));
    // Read from disk, not parsed again: the next process gets what the entry holds.
    fs.writeFileSync(file, v8.serialize({ source, tree: parse('true') }));
    expect(freshModule().parseCel(source)).toEqual(parse('true'));
  });

  test('a damaged entry, or one written for another text, is parsed again and rewritten', () => {
    const source = unique();
    const file = parsedIntoFile(source);
    const good = fs.readFileSync(file);

    fs.writeFileSync(file, 'not a serialized tree');
    expect(freshModule().parseCel(source)).toEqual(parse(source));
    expect(fs.readFileSync(file)).toEqual(good);

    // An entry whose text differs (a collision, a file copied by hand) is never used.
    const other = unique();
    fs.copyFileSync(parsedIntoFile(other), file);
    expect(freshModule().parseCel(source)).toEqual(parse(source));
    expect(fs.readFileSync(file)).toEqual(good);
  });

  test('CDK_AKS_PLATFORM_CEL_CACHE=off parses afresh and writes nothing', () => {
    process.env.CDK_AKS_PLATFORM_CEL_CACHE = 'off';
    const before = cacheFiles();
    const source = unique();
    expect(freshModule().parseCel(source)).toEqual(parse(source));
    expect(cacheFiles()).toEqual(before);
  });
});

test('any other value of CDK_AKS_PLATFORM_CEL_CACHE is an error naming it, whoever parses', () => {
  for (const value of ['false', '0', 'OFF', '']) {
    process.env.CDK_AKS_PLATFORM_CEL_CACHE = value;
    const message = `CDK_AKS_PLATFORM_CEL_CACHE: expected "on" or "off" (or unset), received ${JSON.stringify(value)}`;
    expect(() => freshModule().parseCel(unique())).toThrow(message);
    const compile = loadFresh<typeof import('../../../lib/preflight/cel/expression')>(
      path.resolve(__dirname, '../../../lib/preflight/cel/expression.ts'),
      { fresh: [PARSE] },
    );
    expect(() => compile.CelExpression.compile(unique(), 'policy p')).toThrow(new PlatformError(message));
  }
  process.env.CDK_AKS_PLATFORM_CEL_CACHE = 'on';
  const source = unique();
  expect(freshModule().parseCel(source)).toEqual(parse(source));
});

describe('matches(): patterns compiled once', () => {
  test('each pattern gives its own answer, whatever was compiled before', () => {
    const run = (expression: string, name: string) => {
      const outcome = CelExpression.compile(expression, 'test').evaluate({
        object: { metadata: { name } },
      } as never);
      if ('error' in outcome) throw new Error(outcome.error);
      return outcome.value;
    };
    for (let i = 0; i < 3; i++) {
      expect(run("object.metadata.name.matches('^a[0-9]+$')", 'a12')).toBe(true);
      expect(run("object.metadata.name.matches('^a[0-9]+$')", 'b12')).toBe(false);
      expect(run("object.metadata.name.matches('^b')", 'b12')).toBe(true);
      expect(run("object.metadata.name.matches('(?i)^A1')", 'a12')).toBe(true);
    }
    const broken = CelExpression.compile("object.metadata.name.matches('(')", 'test');
    for (let i = 0; i < 2; i++)
      expect(broken.evaluate({ object: { metadata: { name: 'x' } } } as never)).toHaveProperty('error');
  });

  test('the CEL library compiles through the remembering compile: same pattern and flags, same object', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createRequire } = require('node:module') as typeof import('node:module');
    const re2 = createRequire(require.resolve('@bufbuild/cel'))('@bufbuild/re2') as {
      RE2JS: { compile(p: string, f?: number): unknown; CASE_INSENSITIVE: number };
    };
    CelExpression.compile('true', 'test');
    expect(re2.RE2JS.compile('^x$')).toBe(re2.RE2JS.compile('^x$'));
    expect(re2.RE2JS.compile('^x$')).not.toBe(re2.RE2JS.compile('^y$'));
    expect(re2.RE2JS.compile('^x$', re2.RE2JS.CASE_INSENSITIVE)).not.toBe(re2.RE2JS.compile('^x$'));
  });
});
