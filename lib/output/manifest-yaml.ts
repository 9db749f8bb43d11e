import { Yaml } from 'cdk8s';

/**
 * The text of a multi-document manifest file: byte for byte what cdk8s's `Yaml.stringify` writes
 * for the same objects, at a fraction of the cost.
 *
 * `Yaml.stringify` builds a syntax tree of every document before writing it: on a 1,000-tenant
 * platform that was the largest single cost of the Kubernetes synth, larger than the preflight.
 * Manifests are plain trees of maps, lists and scalars, and the same few thousand strings (keys,
 * labels, images) recur in every object, so each distinct scalar is rendered once by cdk8s's own
 * emitter and remembered, and the block structure around it is written here. A document holding
 * anything else (a string over several lines, `undefined`, an object met twice) is handed to
 * `Yaml.stringify` whole: the fast path never decides how a value is written, it only reuses the
 * emitter's answer.
 */
export function manifestsToYaml(documents: readonly unknown[]): string {
  return documents.map(documentToYaml).join('---\n');
}

/** One document, as `Yaml.stringify(document)` writes it. */
export function documentToYaml(document: unknown): string {
  if (document !== null && typeof document === 'object' && !isEmpty(document)) {
    const lines: string[] = [];
    if (block(document, '', lines, new Set())) return `${lines.join('\n')}\n`;
  }
  return Yaml.stringify(document);
}

// Remembered renderings, by value; bounded so that a long-lived process does not grow without end.
const MAX_REMEMBERED = 100_000;
const keys = new Map<string, string | null>();
const values = new Map<string, string | null>();

// Written plain by the emitter: starts with a letter, then letters, digits and `-./`, none of which
// YAML reads as syntax there. Left to the emitter: the short all-letter words (YAML 1.1 reads `y`,
// `no`, `on`, `true`... as booleans and `null` as null) and an `e` before a digit or sign (`e0`
// is a float to YAML 1.1).
const PLAIN = /^[A-Za-z][A-Za-z0-9./-]*$/;
const LEFT_TO_EMITTER = /^(?:[A-Za-z]{1,5}|[eE][-+0-9].*)$/;

function remember(cache: Map<string, string | null>, s: string, render: () => string | null): string | null {
  let text = cache.get(s);
  if (text === undefined) {
    text = render();
    if (cache.size >= MAX_REMEMBERED) cache.clear();
    cache.set(s, text);
  }
  return text;
}

/** A single-line rendering, or null when the emitter writes it over several lines. */
function singleLine(text: string): string | null {
  return text.includes('\n') ? null : text;
}

function keyText(key: string): string | null {
  if (PLAIN.test(key) && !LEFT_TO_EMITTER.test(key)) return key;
  return remember(keys, key, () => {
    const line = Yaml.stringify({ [key]: 0 });
    return line.endsWith(': 0\n') ? singleLine(line.slice(0, -': 0\n'.length)) : null;
  });
}

function stringText(s: string): string | null {
  if (PLAIN.test(s) && !LEFT_TO_EMITTER.test(s)) return s;
  return remember(values, s, () => singleLine(Yaml.stringify(s).replace(/\n$/, '')));
}

/** A value written on the line of its key or dash; undefined for a map or list with entries. */
function scalarText(value: unknown): string | null | undefined {
  switch (typeof value) {
    case 'string':
      return stringText(value);
    case 'boolean':
      return String(value);
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0)
        ? String(value)
        : remember(values, `\0number ${value}`, () => singleLine(Yaml.stringify(value).replace(/\n$/, '')));
    case 'object':
      if (value === null) return 'null';
      if (isEmpty(value)) return Array.isArray(value) ? '[]' : '{}';
      return undefined;
    default:
      // undefined, functions, symbols, bigints: the emitter's own rules decide.
      return null;
  }
}

function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const _ in value) return false;
  return true;
}

/**
 * Writes a map or list with entries as block lines at `indent`. False when some part of it must be
 * left to the emitter (the caller then hands it the whole document).
 */
function block(value: object, indent: string, lines: string[], seen: Set<object>): boolean {
  // An object met twice in a document would be written by the emitter as an anchor and an alias.
  if (seen.has(value) || !isPlainTree(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      const scalar = scalarText(item);
      if (scalar === null) return false;
      if (scalar !== undefined) {
        lines.push(`${indent}- ${scalar}`);
        continue;
      }
      const first = lines.length;
      if (!block(item as object, `${indent}  `, lines, seen)) return false;
      lines[first] = `${indent}- ${lines[first].slice(indent.length + 2)}`;
    }
    return true;
  }
  for (const key of Object.keys(value)) {
    const k = keyText(key);
    if (k === null) return false;
    const v = (value as Record<string, unknown>)[key];
    const scalar = scalarText(v);
    if (scalar === null) return false;
    if (scalar !== undefined) lines.push(`${indent}${k}: ${scalar}`);
    else {
      lines.push(`${indent}${k}:`);
      // A list under a key is indented, as the emitter does by default.
      if (!block(v as object, `${indent}  `, lines, seen)) return false;
    }
  }
  return true;
}

/** Only arrays and plain objects: anything else (a Date, a Map, a class) is the emitter's to write. */
function isPlainTree(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
