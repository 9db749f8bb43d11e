/**
 * YAML for PolicyReports. The general-purpose emitter costs as much as the whole synth on a
 * 1,000-tenant platform (about 1.2 s for 23,000 results); reports are plain trees of strings,
 * numbers and booleans, which this writes in block style, quoting every string that a YAML
 * parser could read as anything but that string.
 */
export function reportToYaml(value: Record<string, unknown>): string {
  const lines: string[] = [];
  emit(value, '', lines);
  return `${lines.join('\n')}\n`;
}

// Plain only when no YAML 1.1 or 1.2 reader could take it for a number, bool, null or syntax.
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const NOT_A_STRING = /^(true|false|null|yes|no|on|off|y|n)$/i;

function text(s: string): string {
  return PLAIN.test(s) && !NOT_A_STRING.test(s) ? s : JSON.stringify(s);
}

function isEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0;
}

function inline(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'string') return text(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && isEmpty(v)) return Array.isArray(v) ? '[]' : '{}';
  if (typeof v === 'object') return undefined;
  throw new Error(`a report holds no ${typeof v}`);
}

function emit(value: object, indent: string, lines: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      const scalar = inline(item);
      if (scalar !== undefined) {
        lines.push(`${indent}- ${scalar}`);
        continue;
      }
      const nested: string[] = [];
      emit(item as object, `${indent}  `, nested);
      nested[0] = `${indent}- ${nested[0].slice(indent.length + 2)}`;
      lines.push(...nested);
    }
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const scalar = inline(v);
    if (scalar !== undefined) lines.push(`${indent}${text(key)}: ${scalar}`);
    else {
      lines.push(`${indent}${text(key)}:`);
      emit(v as object, `${indent}  `, lines);
    }
  }
}
