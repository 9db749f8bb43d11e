import {
  checkIpv4Cidr,
  imageNotPinnedReason,
  isDnsLabel,
  isLabelKey,
  isLabelValue,
  parseImage,
  parseQuantity,
} from '../../lib/platform-file';

describe('formats', () => {
  test.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['512Mi', 512 * 2 ** 20],
    ['16Gi', 16 * 2 ** 30],
    ['1k', 1000],
    ['1e3', 1000],
    ['2M', 2e6],
  ])('parseQuantity(%s) = %d', (q, v) => expect(parseQuantity(q)).toBeCloseTo(v));

  test.each(['', 'Gi', '16GG', '-1', '1 Gi', '1.2.3', 'abc', '0x10'])('parseQuantity rejects %p', (q) =>
    expect(parseQuantity(q)).toBeUndefined(),
  );

  test('CIDR', () => {
    expect(checkIpv4Cidr('203.0.113.0/24')).toBe('ok');
    expect(checkIpv4Cidr('10.0.0.1/32')).toBe('ok');
    expect(checkIpv4Cidr('203.0.113.7/24')).toBe('host-bits');
    expect(checkIpv4Cidr('203.0.113.0')).toBe('syntax');
    expect(checkIpv4Cidr('256.0.0.0/8')).toBe('syntax');
    expect(checkIpv4Cidr('10.0.0.0/33')).toBe('syntax');
    expect(checkIpv4Cidr('010.0.0.0/8')).toBe('syntax');
  });

  test('DNS labels and label keys/values', () => {
    expect(isDnsLabel('dev-demo')).toBe(true);
    expect(isDnsLabel('-dev')).toBe(false);
    expect(isDnsLabel('a'.repeat(64))).toBe(false);
    expect(isDnsLabel('abcd', 3)).toBe(false);
    expect(isLabelKey('app.kubernetes.io/tier')).toBe(true);
    expect(isLabelKey('tier')).toBe(true);
    expect(isLabelKey('Bad Prefix/x')).toBe(false);
    expect(isLabelKey('x/')).toBe(false);
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('backend')).toBe(true);
    expect(isLabelValue('-x')).toBe(false);
  });

  test('images', () => {
    expect(parseImage('registry:5000/team/app:1.2')).toEqual({
      repository: 'registry:5000/team/app',
      tag: '1.2',
      digest: undefined,
    });
    expect(parseImage('registry:5000/team/app')).toEqual({
      repository: 'registry:5000/team/app',
      tag: undefined,
      digest: undefined,
    });
    expect(imageNotPinnedReason('nginxinc/nginx-unprivileged:1.27.3')).toBeUndefined();
    expect(imageNotPinnedReason(`app@sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(imageNotPinnedReason('app:latest')).toMatch(/latest/);
    expect(imageNotPinnedReason('registry:5000/app')).toMatch(/no tag/);
    expect(imageNotPinnedReason('app@sha256:abc')).toMatch(/digest/);
    expect(imageNotPinnedReason('app: 1')).toMatch(/not an image reference/);
  });
});
