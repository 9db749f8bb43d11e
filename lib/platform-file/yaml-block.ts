import { Document, isScalar, type ScalarTag } from 'yaml';
import { numberProblem } from './yaml';

/**
 * The fast path of the platform file: the same value as `readYaml(text, { strict: true })` for
 * the block style that `yaml.stringify` and most generators write, in a fraction of the time
 * (the `yaml` library builds a syntax tree and a document of every node first: on a platform of
 * 1,000 tenants that was a third of the Azure app's time).
 *
 * It reads a deliberately small part of YAML: block mappings and sequences, keys and scalars
 * written on one line (plain, single-quoted, double-quoted with the common escapes), `[]`, `{}`
 * and comments. Anything else (flow collections, block scalars, anchors and aliases, tags,
 * directives, several documents, tabs, control characters, a scalar over several lines, a key
 * that is not a string) and anything the strict reading refuses (duplicate keys, `__proto__` and
 * the other names of `Object.prototype`, inexact numbers, deep nesting) returns `undefined`: the
 * caller then reads the text with `readYaml`, which gives the value or the error with its line.
 * Plain scalars are typed by the `yaml` library's own core schema, so a value never depends on
 * which path read it.
 */
export function readBlockYaml(text: string, maxDepth: number): unknown {
  if (UNUSUAL.test(text)) return undefined;
  try {
    return new BlockReader(text.split(/\r?\n/), maxDepth).read();
  } catch (e) {
    if (e === NOT_BLOCK) return undefined;
    throw e;
  }
}

/** Thrown (and caught above) wherever the text leaves the part of YAML read here. */
const NOT_BLOCK = Symbol('not block YAML');

function notBlock(): never {
  throw NOT_BLOCK;
}

/**
 * Characters left to the full parser: tabs, control characters, a carriage return that does not
 * end a line, byte order marks, Unicode line separators (YAML and JavaScript regular expressions
 * disagree on them), unpaired surrogates.
 */
const UNUSUAL =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\r(?!\n)|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The scalar tags of the core schema that a plain scalar is tested against, in the library's order. */
const PLAIN_TAGS = new Document().schema.tags.filter(
  (t): t is ScalarTag => !('collection' in t && t.collection) && t.default === true && t.test !== undefined,
);

/** The value of a plain scalar, as the `yaml` library resolves it with the core schema. */
function plainValue(source: string): unknown {
  // Keys and many values recur in every tenant: each distinct text is typed once.
  if (plainValues.has(source)) return plainValues.get(source);
  const tag = PLAIN_TAGS.find((t) => t.test!.test(source));
  let value: unknown = source;
  if (tag) {
    const resolved = tag.resolve(source, notBlock, { intAsBigInt: false });
    value = isScalar(resolved) ? resolved.value : resolved;
    if (typeof value === 'number' && numberProblem(value, source) !== undefined) notBlock();
  }
  if (plainValues.size >= 10_000) plainValues.clear();
  plainValues.set(source, value);
  return value;
}

/** Typed plain scalars, by text (primitives only, so sharing them is safe). */
const plainValues = new Map<string, unknown>();

/** Names of Object.prototype (`__proto__` above all): left to the full reading and its messages. */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** First characters of a plain scalar read here: none of YAML's indicators, no space. */
const PLAIN_FIRST = /^[^-?:,[\]{}#&*!|>'"%@` ]|^-[0-9A-Za-z.]/;

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r' };

type Container = Record<string, unknown> | unknown[];

interface Frame {
  readonly container: Container;
  /** Column of the keys of a mapping, of the dashes of a sequence. */
  readonly indent: number;
  /** For a sequence that is the value of a key at the same column (`key:\n- a`). */
  readonly sameColumnAsKey: boolean;
}

/** A key or dash whose value is on the next lines (or absent: null). */
interface Pending {
  readonly container: Container;
  readonly slot: string | number;
  readonly column: number;
  readonly isKey: boolean;
}

/** One scalar or empty collection read from a line, and where the line goes on. */
interface Scalar {
  readonly value: unknown;
  readonly end: number;
}

class BlockReader {
  private readonly frames: Frame[] = [];
  private pending: Pending | undefined;
  private root: Record<string, unknown> | undefined;

  constructor(
    private readonly lines: readonly string[],
    private readonly maxDepth: number,
  ) {}

  public read(): unknown {
    for (const line of this.lines) {
      let column = 0;
      while (line.charCodeAt(column) === 32) column++;
      if (column === line.length || line[column] === '#') continue;
      // Document markers (`---`, `...` then a space end a document) and their look-alikes.
      if (column === 0 && (line.startsWith('---') || line.startsWith('...'))) notBlock();
      this.line(line, column);
    }
    if (!this.root) notBlock();
    return this.root;
  }

  private line(line: string, column: number): void {
    const dash = isDash(line, column);
    if (!this.root) {
      if (column !== 0 || dash) notBlock();
      this.root = {};
      this.frames.push({ container: this.root, indent: 0, sameColumnAsKey: false });
    } else if (this.pending) {
      const p = this.pending;
      this.pending = undefined;
      if (column > p.column || (column === p.column && p.isKey && dash)) {
        const container: Container = dash ? [] : {};
        this.open(container, column, column === p.column);
        (p.container as Record<string | number, unknown>)[p.slot] = container;
      }
    }
    let top = this.frames[this.frames.length - 1];
    while (
      top.indent > column ||
      (top.indent === column && top.sameColumnAsKey && !dash && Array.isArray(top.container))
    ) {
      this.frames.pop();
      top = this.frames[this.frames.length - 1];
      if (!top) notBlock();
    }
    if (top.indent !== column || Array.isArray(top.container) !== dash) notBlock();
    if (dash) this.item(top.container as unknown[], line, column);
    else this.entry(top.container as Record<string, unknown>, line, column);
  }

  private open(container: Container, indent: number, sameColumnAsKey: boolean): void {
    if (this.frames.length + 2 > this.maxDepth) notBlock();
    this.frames.push({ container, indent, sameColumnAsKey });
  }

  /** `- …` at `column` of a sequence. */
  private item(list: unknown[], line: string, column: number): void {
    let at = column + 1;
    while (line.charCodeAt(at) === 32) at++;
    if (at === line.length || line[at] === '#') {
      if (at === line.length || at > column + 1) {
        this.pending = { container: list, slot: list.length, column, isKey: false };
        list.push(null);
        return;
      }
      notBlock();
    }
    if (at === column + 1 || isDash(line, at)) notBlock();
    const key = readKey(line, at);
    if (key) {
      const map: Record<string, unknown> = {};
      list.push(map);
      this.open(map, at, false);
      this.value(map, key.name, line, key.end, at);
    } else {
      const scalar = readValue(line, at);
      list.push(scalar.value);
    }
  }

  /** `key: …` at `column` of a mapping. */
  private entry(map: Record<string, unknown>, line: string, column: number): void {
    const key = readKey(line, column);
    if (!key) notBlock();
    this.value(map, key.name, line, key.end, column);
  }

  private value(
    map: Record<string, unknown>,
    name: string,
    line: string,
    from: number,
    column: number,
  ): void {
    if (Object.prototype.hasOwnProperty.call(map, name)) notBlock();
    let at = from;
    while (line.charCodeAt(at) === 32) at++;
    if (at === line.length || (line[at] === '#' && at > from)) {
      map[name] = null;
      this.pending = { container: map, slot: name, column, isKey: true };
      return;
    }
    if (at === from) notBlock();
    map[name] = readValue(line, at).value;
  }
}

/** Whether a block sequence entry starts at `at` (`-` then a space or the end of the line). */
function isDash(line: string, at: number): boolean {
  return line[at] === '-' && (at + 1 === line.length || line[at + 1] === ' ');
}

/**
 * The key starting at `at` when the line holds one there (`name:` then a space or the end of
 * the line), with the offset after its colon. Only string keys are read here.
 */
function readKey(line: string, at: number): { name: string; end: number } | undefined {
  const quote = line[at];
  if (quote === '"' || quote === "'") {
    const q = readQuoted(line, at);
    if (line[q.end] !== ':') return undefined;
    if (q.end + 1 < line.length && line[q.end + 1] !== ' ') notBlock();
    return { name: checkedKey(q.value as string), end: q.end + 1 };
  }
  let colon = line.indexOf(':', at);
  while (colon !== -1 && colon + 1 < line.length && line[colon + 1] !== ' ')
    colon = line.indexOf(':', colon + 1);
  if (colon === -1) return undefined;
  const source = line.slice(at, colon);
  const comment = source.indexOf(' #');
  if (comment !== -1) {
    // `a #b: c` is the scalar `a` and a comment; `a #b` alone is read as a value.
    return undefined;
  }
  if (!PLAIN_FIRST.test(source) || source.endsWith(' ') || source.length > 1000) notBlock();
  const value = plainValue(source);
  if (typeof value !== 'string') notBlock();
  return { name: checkedKey(value), end: colon + 1 };
}

function checkedKey(name: string): string {
  // `<<` is a merge key in YAML 1.1.
  if (RESERVED.has(name) || name === '<<' || name.length > 1000) notBlock();
  return name;
}

/** The scalar (or `[]`, `{}`) at `at`, which must be all that is left of the line but a comment. */
function readValue(line: string, at: number): Scalar {
  const c = line[at];
  let scalar: Scalar;
  if (c === '"' || c === "'") scalar = readQuoted(line, at);
  else if ((c === '[' && line[at + 1] === ']') || (c === '{' && line[at + 1] === '}'))
    scalar = { value: c === '[' ? [] : {}, end: at + 2 };
  else return readPlain(line, at);
  let end = scalar.end;
  while (line.charCodeAt(end) === 32) end++;
  if (end < line.length && !(line[end] === '#' && end > scalar.end)) notBlock();
  return scalar;
}

function readPlain(line: string, at: number): Scalar {
  const comment = line.indexOf(' #', at);
  let end = comment === -1 ? line.length : comment;
  while (line.charCodeAt(end - 1) === 32) end--;
  const source = line.slice(at, end);
  if (!PLAIN_FIRST.test(source) || source.includes(': ') || source.endsWith(':')) notBlock();
  return { value: plainValue(source), end: line.length };
}

/** A quoted scalar that ends on its line. */
function readQuoted(line: string, at: number): Scalar {
  const quote = line[at];
  let value = '';
  let i = at + 1;
  for (;;) {
    const next = line.indexOf(quote === '"' ? '"' : "'", i);
    const backslash = quote === '"' ? line.indexOf('\\', i) : -1;
    if (next === -1) notBlock();
    if (backslash !== -1 && backslash < next) {
      value += line.slice(i, backslash);
      const e = line[backslash + 1];
      if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(line.slice(backslash + 2, backslash + 6))) {
        value += String.fromCharCode(parseInt(line.slice(backslash + 2, backslash + 6), 16));
        i = backslash + 6;
      } else if (e !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
        value += ESCAPES[e];
        i = backslash + 2;
      } else notBlock();
      continue;
    }
    value += line.slice(i, next);
    if (quote === "'" && line[next + 1] === "'") {
      value += "'";
      i = next + 2;
      continue;
    }
    return { value, end: next + 1 };
  }
}
