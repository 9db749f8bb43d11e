import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { generatePlatformFile } from '../../bench/platforms';
import { parsePlatform, PlatformValidationError } from '../../lib/platform-file';
import { readYaml } from '../../lib/platform-file/yaml';
import { readBlockYaml } from '../../lib/platform-file/yaml-block';

const DEPTH = 64;

/** What the full reading gives: the value of the one document, or undefined when it refuses the text. */
function fullReading(text: string): { value: unknown } | undefined {
  const { documents } = readYaml(text, { strict: true, maxDepth: DEPTH });
  if (documents.length !== 1 || documents[0].problems.length > 0) return undefined;
  return { value: documents[0].value };
}

/** Equal values, down to the order of keys, prototypes and -0. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k, i) =>
        k === kb[i] && same((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]),
    )
  );
}

/** The contract: the fast reading gives the full reading's value, or leaves the text to it. */
function agrees(text: string): boolean {
  const fast = readBlockYaml(text, DEPTH);
  if (fast === undefined) return true;
  const full = fullReading(text);
  if (full === undefined) throw new Error(`read a text the full reading refuses:\n${text}`);
  if (!same(fast, full.value))
    throw new Error(
      `read another value:\n${text}\nfast: ${JSON.stringify(fast)}\nfull: ${JSON.stringify(full.value)}`,
    );
  return true;
}

// Scalars and keys chosen at YAML's edges: types of the core schema and their near misses,
// indicators, comments, quotes, escapes, spaces of other kinds.
const TRICKY = [
  'a',
  'name',
  'requests.cpu',
  'app.kubernetes.io/name',
  'x-y',
  'é',
  'ünïcode',
  '日本',
  '😀',
  '1',
  '-1',
  '+1',
  '0',
  '-0',
  '+0',
  '007',
  '0o17',
  '0o8',
  '0x1F',
  '0X1F',
  '0b101',
  '1_000',
  '1.',
  '.5',
  '-.5',
  '1.50',
  '1e3',
  '1E+3',
  '1e400',
  '-1e400',
  '12345678901234567890',
  '0.1234567890123456789',
  '.inf',
  '-.Inf',
  '.NaN',
  '.nan',
  'nan',
  'inf',
  'true',
  'True',
  'TRUE',
  'tRue',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'false',
  'null',
  'Null',
  'NULL',
  'nULL',
  '~',
  '',
  ' ',
  '  a',
  'a  ',
  'a b',
  'a: b',
  'a:b',
  'a:',
  ':a',
  ':',
  '-a',
  '- a',
  '-',
  '--',
  '---',
  '...',
  '?a',
  '? a',
  '#a',
  'a #b',
  'a#b',
  '[a]',
  '{a: 1}',
  '[]',
  '{}',
  '&a',
  '*a',
  '!a',
  '!!str',
  '|',
  '>',
  '%a',
  '@a',
  '`a',
  ',a',
  "'",
  '"',
  "it's",
  'say "hi"',
  'back\\slash',
  'a\u00a0',
  '\u00a0a',
  '\u2003',
  '\u3000',
  'a\u1680b',
  '<<',
  '=',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'x'.repeat(1100),
  '${TfToken[TOKEN.1]}',
  'http://example.com:8080/x',
  'c:\\dir',
  '2001-12-14',
  '12:30:00',
  '0.',
  '+.5',
];
const PIECES = [
  ...TRICKY,
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '- ',
  ': ',
  ':',
  ' #',
  '#',
  '"',
  "'",
  "''",
  '\\',
  '\\n',
  '\\u00e9',
  '\\x41',
  '\\t',
  '\\"',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&',
  '*',
  '!',
  '|',
  '>',
  '?',
  '---',
  '...',
  '%YAML 1.2',
  '\ufeff',
  '\u2028',
  '\u0085',
  '\ud800',
  '\u0000',
];

/** Mostly ordinary text, so that whole documents stay in the part of YAML the fast reading takes. */
const ordinary = fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/);
const scalar = fc.oneof(
  { arbitrary: ordinary, weight: 6 },
  fc.constantFrom(...TRICKY),
  fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 4 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  { arbitrary: ordinary, weight: 12 },
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 6 }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
}));
const document = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });
const styles = fc.record({
  indent: fc.constantFrom(2, 3, 4),
  indentSeq: fc.boolean(),
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE') as fc.Arbitrary<
    'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'
  >,
  defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE') as fc.Arbitrary<
    null | 'PLAIN' | 'QUOTE_DOUBLE'
  >,
  doubleQuotedAsJSON: fc.boolean(),
});
const text = fc
  .tuple(document, styles)
  .map(([doc, options]) => stringify(doc, { ...options, lineWidth: 0, minContentWidth: 0 }));

/** `text` with a few of its characters replaced by, or given, YAML's significant pieces. */
const edited = fc
  .tuple(
    text,
    fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 4 }),
  )
  .map(([t, edits]) =>
    edits.reduce((s, [at, removed, piece]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + piece + s.slice(i + removed);
    }, t),
  );

/** Lines assembled from indentation, dashes, keys and values at YAML's edges. */
const often = <T>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 5 }, { arbitrary: rare, weight: 1 });
const lines = fc
  .array(
    fc.tuple(
      often(fc.constantFrom('', '  ', '    ', '      '), fc.constantFrom(' ', '   ', '     ')),
      often(fc.constantFrom('', '', '- '), fc.constantFrom('-', '- - ', '-  ', '-\t')),
      often(
        fc.oneof(ordinary, fc.constantFrom('"a b"', "'a'", 'requests.cpu')),
        fc.option(fc.constantFrom(...TRICKY, '"k": ', "'k': ", '"k":')),
      ),
      often(fc.constantFrom(':', ': '), fc.constantFrom(':  ', '', ' : ', ' # c')),
      often(
        fc.option(fc.oneof(ordinary, fc.constantFrom('1', 'true', '~', '"a b"', '[]', '{}', 'x # c'))),
        fc.option(fc.constantFrom(...TRICKY, '"a\\"b"', "'a''b'", '"\\u00e9"', '# c', '"a": 1', "'a'x")),
      ),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((ls) =>
    [
      'root:',
      ...ls.map(([indent, dash, k, colon, v]) => `${indent}${dash}${k ?? ''}${colon}${v ?? ''}`),
    ].join('\n'),
  );

describe('readBlockYaml, the fast reading of platform files', () => {
  test('gives the value of the full reading for what yaml.stringify writes, in every style', () => {
    fc.assert(fc.property(text, agrees), { numRuns: 300 });
  });

  test('gives the full reading value or leaves the text to it, for edited documents', () => {
    fc.assert(fc.property(edited, agrees), { numRuns: 3000 });
  });

  test('gives the full reading value or leaves the text to it, for assembled lines', () => {
    fc.assert(fc.property(lines, agrees), { numRuns: 5000 });
  });

  test('reads the block style of generated platform files itself', () => {
    const file = generatePlatformFile(20);
    const fast = readBlockYaml(file, DEPTH);
    expect(fast).toBeDefined();
    expect(same(fast, fullReading(file)?.value)).toBe(true);
    // What hand-written block files hold: comments, quotes, compact sequences, a key without value.
    const written = [
      '# the platform',
      'name: demo   # its name',
      'azure:',
      '  location: "westeurope"',
      'admins:',
      '- admins',
      'groups:',
      '  admins: { }',
    ].join('\n');
    expect(readBlockYaml(written, DEPTH)).toBeUndefined();
    const block = written.replace('{ }', "\n    displayName: 'Platform admins'\n  empty:\n");
    expect(readBlockYaml(block, DEPTH)).toEqual({
      name: 'demo',
      azure: { location: 'westeurope' },
      admins: ['admins'],
      groups: { admins: { displayName: 'Platform admins' }, empty: null },
    });
  });

  test.each([
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a flow mapping', 'a: { b: 1 }\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['__proto__', '__proto__: 1\n'],
    ['a number JavaScript cannot hold', 'a: 1e400\n'],
    ['a scalar over two lines', 'a: one\n  two\n'],
    ['a tab', 'a:\t1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['the end of a document', '"aa":\n...  "a": 0\n'],
    ['a key that is a number', '1: a\n'],
    ['no mapping', '- a\n'],
    ['nothing', '# only a comment\n'],
    ['deep nesting', Array.from({ length: 70 }, (_, i) => `${' '.repeat(i * 2)}k:`).join('\n')],
  ])('leaves %s to the full reading', (_what, yaml) => {
    expect(readBlockYaml(yaml, DEPTH)).toBeUndefined();
  });

  test('the errors of a file are those of the full reading', () => {
    const withError = `${generatePlatformFile(3)}tenants: []\n`;
    expect(() => parsePlatform(withError, 'dup.yaml')).toThrow(PlatformValidationError);
    expect(() => parsePlatform(withError, 'dup.yaml')).toThrow(/line \d+, column 1: duplicate key "tenants"/);
  });

  test('the reference platform reads the same either way', () => {
    const reference = fs.readFileSync(path.join(__dirname, '..', '..', 'apps', 'platform.yaml'), 'utf8');
    agrees(reference);
    const asBlock = stringify(fullReading(reference)?.value);
    expect(readBlockYaml(asBlock, DEPTH)).toBeDefined();
    expect(agrees(asBlock)).toBe(true);
  });
});
