import { didYouMean } from '../../lib/platform-file/suggest';

describe('didYouMean', () => {
  test('names the closest candidate within two edits, or a quarter of a long name', () => {
    expect(didYouMean('tenats', ['workloads', 'tenants'])).toBe(' (did you mean "tenants"?)');
    expect(didYouMean('Tenants', ['tenants'])).toBe(' (did you mean "tenants"?)');
    // 8 characters: two edits at most, whatever the lengths.
    expect(didYouMean('abcdefgh', ['abcdefghij'])).toBe(' (did you mean "abcdefghij"?)');
    expect(didYouMean('abcdefgh', ['abcdefghijk'])).toBe('');
    expect(didYouMean('abcdefgh', ['abcdef'])).toBe(' (did you mean "abcdef"?)');
    expect(didYouMean('abcdefgh', ['abcde'])).toBe('');
    // 20 characters: five edits.
    expect(didYouMean('a'.repeat(20), ['a'.repeat(25)])).toBe(` (did you mean "${'a'.repeat(25)}"?)`);
    expect(didYouMean('a'.repeat(20), ['a'.repeat(26)])).toBe('');
  });

  test('the closest wins; nothing when nothing is close', () => {
    expect(didYouMean('grups', ['groupz', 'groups'])).toBe(' (did you mean "groups"?)');
    expect(didYouMean('group', ['groups', 'grouped'])).toBe(' (did you mean "groups"?)');
    expect(didYouMean('zzz', ['tenants', 'groups'])).toBe('');
    expect(didYouMean('x', [])).toBe('');
  });
});
