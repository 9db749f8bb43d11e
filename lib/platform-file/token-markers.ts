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

const WHY = 'is a token marker of cdktf or cdk8s, which would turn the text into a reference at synth';

/**
 * Every string (value or key) and number of a parsed platform file that holds a token marker.
 * Such text is never legitimate, so it is refused wherever it appears, before the schema runs.
 */
export function tokenMarkerIssues(raw: unknown): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  // YAML anchors can make a value contain itself: walk each container once per branch.
  const ancestors = new Set<object>();
  const visit = (value: unknown, path: PropertyKey[]): void => {
    // The path is written out only for an issue: most files have none, and large ones have
    // tens of thousands of values.
    if (typeof value === 'string' && hasMarker(value)) {
      issues.push({ path: formatPath(path), message: `${describeValue(value)} ${WHY}` });
    } else if (typeof value === 'number' && isNumberToken(value)) {
      issues.push({ path: formatPath(path), message: `${describeValue(value)} ${WHY}` });
    } else if (value !== null && typeof value === 'object' && !ancestors.has(value)) {
      ancestors.add(value);
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
      else {
        for (const [key, v] of Object.entries(value)) {
          if (hasMarker(key)) {
            issues.push({ path: formatPath([...path, key]), message: `key ${describeValue(key)} ${WHY}` });
          }
          visit(v, [...path, key]);
        }
      }
      ancestors.delete(value);
    }
  };
  visit(raw, []);
  return issues;
}
