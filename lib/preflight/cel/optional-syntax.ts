/**
 * Kubernetes CEL policies lean on optional field selection (`a.?b.orValue(c)`, `m[?'k']`), which
 * the CEL parser we embed does not read. Both forms are postfix operators, so they can be turned
 * into method calls of the same precedence without a parser of our own: `a.?b` becomes
 * `a.optionalSelect('b')` and `a[?k]` becomes `a.optionalIndex(k)`; the library gives those
 * methods the optional semantics.
 */
export const OPTIONAL_SELECT = 'optionalSelect';
export const OPTIONAL_INDEX = 'optionalIndex';

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** Returns `source` with every optional selection written as a method call. */
export function rewriteOptionalSyntax(source: string): string {
  if (!source.includes('?')) return source;
  let out = '';
  // For each open '[', whether it was rewritten to '.optionalIndex(' and so closes with ')'.
  const brackets: boolean[] = [];
  let lastWord = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i];
    const literal = stringLiteralAt(source, i);
    if (literal > i) {
      out += source.slice(i, literal);
      lastWord = '';
      i = literal;
      continue;
    }
    if (ch === '.') {
      const q = skipSpaces(source, i + 1);
      if (source[q] === '?') {
        const start = skipSpaces(source, q + 1);
        let end = start;
        if (IDENT_START.test(source[start] ?? '')) {
          while (end < n && IDENT_PART.test(source[end])) end++;
          out += `.${OPTIONAL_SELECT}('${source.slice(start, end)}')`;
          lastWord = '';
          i = end;
          continue;
        }
      }
    }
    if (ch === '[') {
      const q = skipSpaces(source, i + 1);
      const optional = source[q] === '?' && followsOperand(out, lastWord);
      brackets.push(optional);
      out += optional ? `.${OPTIONAL_INDEX}(` : '[';
      lastWord = '';
      i = optional ? q + 1 : i + 1;
      continue;
    }
    if (ch === ']') {
      out += brackets.pop() ? ')' : ']';
      lastWord = '';
      i++;
      continue;
    }
    if (IDENT_PART.test(ch)) {
      let end = i;
      while (end < n && IDENT_PART.test(source[end])) end++;
      lastWord = source.slice(i, end);
      out += lastWord;
      i = end;
      continue;
    }
    if (!/\s/.test(ch)) lastWord = '';
    out += ch;
    i++;
  }
  return out;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
}

// An index follows an operand; a list literal follows an operator, '(' or ',' (or `in`).
function followsOperand(out: string, lastWord: string): boolean {
  if (lastWord === 'in') return false;
  const prev = out.trimEnd().slice(-1);
  return prev !== '' && /[A-Za-z0-9_)\]}'"]/.test(prev);
}

/** End index of the string or bytes literal starting at `i`, or `i` when there is none. */
function stringLiteralAt(s: string, i: number): number {
  let j = i;
  let raw = false;
  // Prefixes r, b, rb, br (any case), only when they start a token.
  if (i > 0 && IDENT_PART.test(s[i - 1])) return i;
  while (j < s.length && j - i < 2 && /[rRbB]/.test(s[j])) {
    if (s[j] === 'r' || s[j] === 'R') raw = true;
    j++;
  }
  const quote = s[j];
  if (quote !== "'" && quote !== '"') return i;
  const triple = s.startsWith(quote.repeat(3), j);
  const close = triple ? quote.repeat(3) : quote;
  let k = j + close.length;
  while (k < s.length) {
    if (!raw && s[k] === '\\') {
      k += 2;
      continue;
    }
    if (s.startsWith(close, k)) return k + close.length;
    if (!triple && s[k] === '\n') break;
    k++;
  }
  return s.length;
}
