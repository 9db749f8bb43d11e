const QUANTITY = /^(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const BINARY = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
// Decimal quantities only climb from millis to units: `1k` pods or CPUs would read oddly.
const DECIMAL = ['m', ''];

/**
 * `quantity` times a whole number, computed exactly (decimal digits, not floating point) and
 * written in the largest unit of the same series that keeps it whole: 100 × `128Mi` is
 * `12800Mi`, 100 × `256Mi` is `25Gi`, 100 × `100m` is `10`.
 */
export function multiplyQuantity(quantity: string, times: number): string {
  const m = QUANTITY.exec(quantity);
  if (!m || (m[1] === '' && (m[2] ?? '') === '') || !Number.isInteger(times) || times < 0) {
    throw new Error(`cannot multiply ${JSON.stringify(quantity)} by ${times}`);
  }
  const fraction = m[2] ?? '';
  let digits = BigInt(`${m[1] || '0'}${fraction}`) * BigInt(times);
  let scale = fraction.length;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  let suffix = m[3] ?? '';
  if (scale === 0 && digits > 0n) {
    const series = BINARY.includes(suffix) ? BINARY : suffix === 'm' ? DECIMAL : undefined;
    const base = series === BINARY ? 1024n : 1000n;
    while (series && series.indexOf(suffix) < series.length - 1 && digits % base === 0n) {
      digits /= base;
      suffix = series[series.indexOf(suffix) + 1];
    }
  }
  const text = digits.toString().padStart(scale + 1, '0');
  const number = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  return `${number}${suffix}`;
}
