import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { describeValue, formatPath, PlatformError, PlatformIssue, PlatformValidationError } from './errors';
import { applyDerivedDefaults, platformFileSchema } from './schema/platform';
import type { PlatformSpec } from './types';
import { childSchema, objectKeys, type SchemaNode } from './schema-walk';
import { didYouMean } from './suggest';
import { tokenMarkerIssues } from './token-markers';
import { crossCheck } from './validate';

/** Where the apps look for the platform file when PLATFORM_CONFIG is not set. */
export const DEFAULT_PLATFORM_FILE = 'apps/platform.yaml';

/**
 * Reads and validates a platform file.
 * @throws PlatformValidationError with every problem of the file
 */
export function loadPlatformFile(file: string): PlatformSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new PlatformError(
      `cannot read the platform file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  return parsePlatform(text, file);
}

/**
 * Parses and validates the text of a platform file.
 * @param source the name used in messages (the file path)
 * @throws PlatformValidationError with every problem of the file
 */
export function parsePlatform(text: string, source = 'platform file'): PlatformSpec {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new PlatformValidationError(
      source,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : 'YAML';
        const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return { path: '', message: `${where}: ${message}` };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Unresolvable or excessive aliases are only found when the document is converted.
    throw new PlatformValidationError(source, [{ path: '', message: `YAML: ${(e as Error).message}` }]);
  }
  return validatePlatform(raw, source);
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
