import { z } from 'zod';
import { describeValue, formatPath, PlatformIssue, PlatformValidationError } from './errors';
import { decodeUtf8, INPUT_LIMITS, readRegularFile } from './input';
import { applyDerivedDefaults, platformFileSchema } from './schema/platform';
import type { PlatformSpec } from './types';
import { childSchema, objectKeys, type SchemaNode } from './schema-walk';
import { didYouMean } from './suggest';
import { tokenMarkerIssues } from './token-markers';
import { crossCheck } from './validate';
import { readYaml } from './yaml';
import { readBlockYaml } from './yaml-block';

/** Deepest nesting of a platform file. */
const PLATFORM_FILE_DEPTH = 64;

/** Where the apps look for the platform file when PLATFORM_CONFIG is not set. */
export const DEFAULT_PLATFORM_FILE = 'apps/platform.yaml';

/**
 * Reads and validates a platform file: a regular file of at most `INPUT_LIMITS.platformFileBytes`,
 * in UTF-8.
 * @throws PlatformValidationError with every problem of the file
 */
export function loadPlatformFile(file: string): PlatformSpec {
  const bytes = readRegularFile(file, `the platform file ${file}`, INPUT_LIMITS.platformFileBytes);
  const decoded = decodeUtf8(bytes);
  if ('invalid' in decoded) {
    const bad = decoded.invalid;
    const key = readYaml(decoded.text, { locate: bad.textOffset }).located;
    throw new PlatformValidationError(file, [
      {
        path: key ?? '',
        message: `line ${bad.line}, column ${bad.column}: byte ${bad.byte} is not UTF-8 (save the file as UTF-8)`,
      },
    ]);
  }
  return parsePlatform(decoded.text, file);
}

/**
 * Parses and validates the text of a platform file.
 * @param source the name used in messages (the file path)
 * @throws PlatformValidationError with every problem of the file
 */
export function parsePlatform(text: string, source = 'platform file'): PlatformSpec {
  // `npm run synth` runs both apps in one process on one file: the second reads the first's result
  // (a copy, so that neither sees what the other might change), not a second parse and validation.
  if (lastParsed?.text === text && lastParsed.source === source) return structuredClone(lastParsed.spec);
  const spec = parseAndValidate(text, source);
  lastParsed = { text, source, spec: structuredClone(spec) };
  return spec;
}

let lastParsed: { readonly text: string; readonly source: string; readonly spec: PlatformSpec } | undefined;

function parseAndValidate(text: string, source: string): PlatformSpec {
  const block = readBlockYaml(text, PLATFORM_FILE_DEPTH);
  if (block !== undefined) return validatePlatform(block, source);
  const { documents } = readYaml(text, { strict: true, maxDepth: PLATFORM_FILE_DEPTH });
  if (documents.length > 1)
    throw new PlatformValidationError(source, [
      { path: '', message: `holds ${documents.length} YAML documents; a platform file is one` },
    ]);
  const doc = documents[0] ?? { value: null, problems: [] };
  if (doc.problems.length > 0) {
    throw new PlatformValidationError(
      source,
      doc.problems.map((p) => ({
        path: p.path,
        message: `${p.line === undefined ? 'YAML' : `line ${p.line}, column ${p.column}`}: ${p.message}`,
      })),
    );
  }
  return validatePlatform(doc.value, source);
}

/**
 * Validates an already-parsed platform description (for example one built in TypeScript).
 * @throws PlatformValidationError with every problem found
 */
export function validatePlatform(raw: unknown, source = 'platform'): PlatformSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PlatformValidationError(source, [
      { path: '', message: `must be a mapping of keys, got ${describeValue(raw)}` },
    ]);
  }
  const reserved = reservedKeyIssues(raw);
  if (reserved.length > 0) throw new PlatformValidationError(source, reserved);
  // Token markers first: wherever they are, they are the problem to report.
  const markers = tokenMarkerIssues(raw);
  const parsed = platformFileSchema.safeParse(raw);
  if (!parsed.success || markers.length > 0) {
    const flagged = new Set(markers.map((m) => m.path));
    const schema = parsed.success ? [] : toIssues(parsed.error, raw).filter((i) => !flagged.has(i.path));
    throw new PlatformValidationError(source, [...markers, ...schema]);
  }
  const spec = applyDerivedDefaults(parsed.data);
  const cross = crossCheck(spec);
  if (cross.length > 0) throw new PlatformValidationError(source, cross);
  return spec;
}

/** Names every plain JavaScript object already has: cdk8s stores keys in such objects. */
const RESERVED_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Keys such as `constructor` or `__proto__` anywhere in the description: zod drops `__proto__`
 * from records, and cdk8s, which keeps labels and ConfigMap data in plain objects, takes
 * `constructor` or `toString` for keys already set and fails.
 */
function reservedKeyIssues(raw: unknown): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const seen = new Set<object>();
  // Each entry knows its parent: a path is written out only for an issue.
  const stack: Array<{ value: unknown; at?: KeyPath }> = [{ value: raw }];
  while (stack.length > 0) {
    const { value, at } = stack.pop()!;
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, at: { key: i, parent: at } }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key))
        issues.push({
          path: formatKeyPath({ key, parent: at }),
          message: `the key ${JSON.stringify(key)} is the name of a built-in property of JavaScript objects, which cdk8s cannot write`,
        });
      else stack.push({ value: (value as Record<string, unknown>)[key], at: { key, parent: at } });
    }
  }
  return issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A key or index and the path of its parent. */
interface KeyPath {
  readonly key: string | number;
  readonly parent?: KeyPath;
}

function formatKeyPath(at: KeyPath | undefined): string {
  const keys: Array<string | number> = [];
  for (let p = at; p; p = p.parent) keys.push(p.key);
  return formatPath(keys.reverse());
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}

function toIssues(error: z.ZodError, raw: unknown): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(path);
      for (const key of issue.keys) {
        const hint = allowed ? `; allowed keys: ${allowed.join(', ')}` : '';
        issues.push({
          path: formatPath([...path, key]),
          message: `unknown key${allowed ? didYouMean(key, allowed) : ''}${hint}`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_key') {
      const key = path[path.length - 1];
      const reason = issue.issues[0]?.message ?? 'is not a valid key';
      issues.push({ path: formatPath(path), message: `key ${describeValue(key)} ${reason}` });
      continue;
    }
    const value = valueAt(raw, path);
    issues.push({ path: formatPath(path), message: describeIssue(issue, value) });
  }
  // One line per path and message, in the order the file is written.
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = `got ${describeValue(value)}`;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `is required (${issue.expected})`;
      return `must be ${article(issue.expected)}, ${got}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, ${got}`;
    case 'invalid_union':
      return `has an unexpected type, ${got}`;
    default: {
      const message = issue.message.replace(/^Invalid input: /, '');
      if (value === undefined || typeof value === 'object') return message;
      return `${describeValue(value)} ${message}`;
    }
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Walks the schema along a path to list the keys an object there accepts. */
function allowedKeysAt(path: ReadonlyArray<PropertyKey>): string[] | undefined {
  let node: SchemaNode | undefined = platformFileSchema;
  for (const key of path) node = childSchema(node, key);
  return objectKeys(node);
}
