import * as fc from 'fast-check';
import { rewriteOptionalSyntax } from '../../../lib/preflight/cel/optional-syntax';

describe('rewriteOptionalSyntax', () => {
  test.each([
    ['object.spec.?initContainers.orValue([])', "object.spec.optionalSelect('initContainers').orValue([])"],
    ['a.? b .?c', "a.optionalSelect('b') .optionalSelect('c')"],
    ["m[?'k'].orValue('')", "m.optionalIndex('k').orValue('')"],
    ['l[?i + f(x[0])]', 'l.optionalIndex(i + f(x[0]))'],
    ['f(a)[?0]', 'f(a).optionalIndex(0)'],
  ])('rewrites %s', (source, expected) => {
    expect(rewriteOptionalSyntax(source)).toBe(expected);
  });

  test('leaves ternaries, list literals, `in [...]` and string contents alone', () => {
    for (const source of [
      'a ? b : c',
      "x in ['a', 'b']",
      "'.?x' + \"[?y]\" + '''a.?b'''",
      "r'\\'.?'",
      'a[0].b',
    ])
      expect(rewriteOptionalSyntax(source)).toBe(source);
  });

  test('an expression without optional syntax is returned unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('?')),
        (s) => rewriteOptionalSyntax(s) === s,
      ),
    );
  });
});
