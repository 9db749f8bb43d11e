import { describeValue, formatPath, type PlatformIssue } from './errors';

/**
 * The string markers of unresolved tokens: cdktf's (`${TfToken[…]}`, and `#{`/`&{` for lists and
 * maps) and the constructs-family `${Token[…]}`. At synth, a marker anywhere in a string is
 * replaced by what the token stands for, so text of the platform file holding one would become
 * a reference to any value of the program (a cluster's CA certificate, a group id…).
 */
const STRING_MARKER = /[$#&]\{(Tf)?Token\[/;

/** Decimal numbers with an exponent: how a number token prints inside a string. */
const NUMBER_IN_TEXT = /[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+/g;

/**
 * cdktf encodes number tokens as doubles whose top 16 bits are one of these markers (cdktf
 * `tokens/private/encoding`); written out in a string, such a number is resolved too.
 */
const NUMBER_TOKEN_BITS = [0xfdff, 0xfbff];

function isNumberToken(n: number): boolean {
  const buffer = new ArrayBuffer(8);
  new Float64Array(buffer)[0] = n;
  const high = new Uint32Array(buffer)[1];
  return NUMBER_TOKEN_BITS.includes(high >>> 16);
}

function hasMarker(text: string): boolean {
  return STRING_MARKER.test(text) || (text.match(NUMBER_IN_TEXT) ?? []).some((m) => isNumberToken(Number(m)));
}

/** A key or index and the path of its parent. */
interface KeyPath {
  readonly key: string | number;
  readonly parent?: KeyPath;
}

const WHY = 'is a token marker of cdktf or cdk8s, which would turn the text into a reference at synth';

/**
 * Every string (value or key) and number of a parsed platform file that holds a token marker.
 * Such text is never legitimate, so it is refused wherever it appears, before the schema runs.
 */
export function tokenMarkerIssues(raw: unknown): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  // YAML anchors can make a value contain itself: walk each container once per branch.
  const ancestors = new Set<object>();
  // The path is written out only for an issue: most files have none, and large ones have tens of
  // thousands of values. Each value knows its key and its parent's path.
  const pathOf = (at: KeyPath | undefined): string => {
    const keys: Array<string | number> = [];
    for (let p = at; p; p = p.parent) keys.push(p.key);
    return formatPath(keys.reverse());
  };
  const visit = (value: unknown, at: KeyPath | undefined): void => {
    if (typeof value === 'string' && hasMarker(value)) {
      issues.push({ path: pathOf(at), message: `${describeValue(value)} ${WHY}` });
    } else if (typeof value === 'number' && isNumberToken(value)) {
      issues.push({ path: pathOf(at), message: `${describeValue(value)} ${WHY}` });
    } else if (value !== null && typeof value === 'object' && !ancestors.has(value)) {
      ancestors.add(value);
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, { key: i, parent: at }));
      else {
        for (const [key, v] of Object.entries(value)) {
          const child = { key, parent: at };
          if (hasMarker(key)) {
            issues.push({ path: pathOf(child), message: `key ${describeValue(key)} ${WHY}` });
          }
          visit(v, child);
        }
      }
      ancestors.delete(value);
    }
  };
  visit(raw, undefined);
  return issues;
}
