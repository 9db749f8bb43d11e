import * as path from 'node:path';

/** `a` is `b` or inside it (both absolute, or both relative to the same folder). */
export function isInside(a: string, b: string): boolean {
  const rel = path.relative(b, a);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
