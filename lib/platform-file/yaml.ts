import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type ParsedNode,
} from 'yaml';
import { formatPath } from './errors';

/** One problem of a YAML document, with where it is. */
export interface YamlProblem {
  /** Path of the key, e.g. `tenants[1].name`; empty for the document itself. */
  readonly path: string;
  /** 1-based line, when known. @default - not known */
  readonly line?: number;
  /** 1-based column, when known. @default - not known */
  readonly column?: number;
  readonly message: string;
}

/** One document of a YAML stream. */
export interface YamlDocument {
  /** The document as plain JavaScript values; undefined when it has problems. */
  readonly value: unknown;
  /** Syntax errors, duplicate keys and what the options refuse. Empty when the document is usable. */
  readonly problems: YamlProblem[];
  /** True for a document with no content (`---` alone, or only comments). */
  readonly empty: boolean;
  /** The parsed nodes, with their offsets in the text (see `YamlStream.lineCounter`). */
  readonly node: ParsedNode | null;
}

export interface YamlReadOptions {
  /**
   * Refuse `__proto__` (JavaScript objects drop it) and numbers JavaScript cannot hold exactly
   * (`1e400`, a 30-digit integer): the platform file must mean what it says.
   * @default false
   */
  readonly strict?: boolean;
  /** Deepest nesting accepted. @default 256 */
  readonly maxDepth?: number;
  /** Aliases one document may expand (a "billion laughs" document has billions). @default 100 */
  readonly maxAliasCount?: number;
  /** Offset (UTF-16 code units) whose key path `locate` reports. @default - none */
  readonly locate?: number;
}

export interface YamlStream {
  readonly documents: YamlDocument[];
  /** Turns an offset of a node into a 1-based line and column. */
  readonly lineCounter: LineCounter;
  /** Path of the deepest key or value at `options.locate`. @default - none, when not asked */
  readonly located?: string;
}

type Parent = { readonly key: string | number; readonly parent?: Parent };

function pathOf(p: Parent | undefined): string {
  const keys: Array<string | number> = [];
  for (let q = p; q; q = q.parent) keys.push(q.key);
  return formatPath(keys.reverse());
}

/**
 * Parses a YAML stream in time linear in its size. The `yaml` library's own duplicate-key check
 * compares each key with every earlier key of its mapping (80,000 keys took 105 s); here each
 * mapping keeps a Set of its keys. Messages keep the line and column of the offending key.
 */
export function readYaml(text: string, options: YamlReadOptions = {}): YamlStream {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { uniqueKeys: false, lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  let located: string | undefined;
  const documents = list.map((doc): YamlDocument => {
    const problems: YamlProblem[] = doc.errors.map((e) => ({
      path: '',
      ...at(e.pos[0]),
      // The parser itself gives up on deep nesting by running out of stack.
      message: /call stack/i.test(e.message)
        ? 'nested too deeply'
        : e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
    }));
    const walk = walkDocument(doc, options, at);
    if (walk.located !== undefined) located = walk.located;
    if (problems.length === 0) problems.push(...walk.problems);
    const empty = doc.contents === null;
    const node = doc.contents;
    if (problems.length > 0) return { value: undefined, problems, empty, node };
    try {
      return { value: doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 }), problems, empty, node };
    } catch (e) {
      // Unresolvable or excessive aliases are only found when the document is converted.
      const message = e instanceof RangeError ? 'nested too deeply' : (e as Error).message;
      return { value: undefined, problems: [{ path: '', message }], empty, node };
    }
  });
  return { documents, located, lineCounter };
}

const NUMBER_TEXT = /^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$/;

/** Why a number read from `source` is not the number written, if it is not. */
export function numberProblem(value: number, source: string): string | undefined {
  if (!Number.isFinite(value)) return `${source} is out of range: numbers must be finite`;
  const m = NUMBER_TEXT.exec(source);
  if (!m) return undefined; // hexadecimal, octal: exact below 2^53, caught by the next line otherwise
  const digits = `${m[1] ?? ''}${(m[2] ?? '').slice(1)}`.replace(/_/g, '').replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '');
  if (Number.isInteger(value) && !Number.isSafeInteger(value))
    return `${source} is larger than 2^53 and cannot be read exactly; write it as a string`;
  if (significant.length > 15)
    return `${source} has more than 15 significant digits and cannot be read exactly; write it as a string`;
  return undefined;
}

interface Walk {
  readonly problems: YamlProblem[];
  readonly located?: string;
}

function walkDocument(
  doc: Document.Parsed,
  options: YamlReadOptions,
  at: (offset: number) => { line: number; column: number },
): Walk {
  const problems: YamlProblem[] = [];
  const maxDepth = options.maxDepth ?? 256;
  let located: string | undefined;
  const contains = (node: { range?: [number, number, number] | null } | null | undefined) =>
    options.locate !== undefined &&
    !!node?.range &&
    node.range[0] <= options.locate &&
    options.locate < Math.max(node.range[2], node.range[0] + 1);
  const stack: Array<{ node: ParsedNode | null; parent?: Parent; depth: number }> = [
    { node: doc.contents, depth: 0 },
  ];
  while (stack.length > 0) {
    const { node, parent, depth } = stack.pop()!;
    if (!node || isAlias(node)) continue;
    if (contains(node)) located = pathOf(parent);
    if (depth > maxDepth) {
      problems.push({
        path: pathOf(parent),
        ...at(node.range[0]),
        message: `nested deeper than ${maxDepth} levels`,
      });
      continue;
    }
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key as ParsedNode | null;
        const name = isScalar(key) ? key.value : undefined;
        const label = String(name);
        const child: Parent = { key: label, parent };
        if (isScalar(key)) {
          if (seen.has(name))
            problems.push({
              path: pathOf(child),
              ...at(key.range[0]),
              message: `duplicate key ${JSON.stringify(label)}`,
            });
          seen.add(name);
          if (options.strict && name === '__proto__')
            problems.push({
              path: pathOf(child),
              ...at(key.range[0]),
              message: 'the key "__proto__" is not allowed (JavaScript objects would drop it)',
            });
          if (contains(key)) located = pathOf(child);
        } else if (key && !isAlias(key)) {
          // `name: {{ .Release.Name }}` reads as a mapping whose key is a mapping: no Kubernetes
          // object or platform file has one, and JavaScript objects would turn it into a string.
          problems.push({
            path: pathOf(parent),
            ...at(key.range[0]),
            message: 'a key that is a mapping or a list',
          });
        }
        stack.push({ node: pair.value as ParsedNode | null, parent: child, depth: depth + 1 });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) =>
        stack.push({ node: item as ParsedNode | null, parent: { key: i, parent }, depth: depth + 1 }),
      );
    } else if (isScalar(node) && options.strict && typeof node.value === 'number') {
      const problem = numberProblem(node.value, node.source ?? String(node.value));
      if (problem) problems.push({ path: pathOf(parent), ...at(node.range[0]), message: problem });
    }
  }
  // The stack visits later keys first: report in the order of the file.
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { problems, located };
}
