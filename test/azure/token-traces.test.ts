import { captureStackTrace } from 'cdktf/lib/tokens/private/stack-trace';
import { withoutTokenTraces } from '../../lib/azure/private/token-traces';

describe('withoutTokenTraces', () => {
  test("cdktf's token traces are empty inside, whole again after", () => {
    expect(captureStackTrace().length).toBeGreaterThan(0);
    expect(withoutTokenTraces(() => captureStackTrace())).toEqual([]);
    expect(captureStackTrace().length).toBeGreaterThan(0);
  });

  test("cdktf's capture collects nothing inside (its module's function is swapped), and is itself again after", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    const original = traces.captureStackTrace;
    const inside = withoutTokenTraces(() => traces.captureStackTrace);
    expect(inside).not.toBe(original);
    expect(inside()).toEqual([]);
    expect(traces.captureStackTrace).toBe(original);
    expect(() =>
      withoutTokenTraces(() => {
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(traces.captureStackTrace).toBe(original);
  });

  test('errors keep their stack, formatted by the handler in place', () => {
    const before = Error.prepareStackTrace;
    const inside = withoutTokenTraces(() => new Error('inside').stack);
    expect(inside).toMatch(/^Error: inside\n {4}at /);
    expect(Error.prepareStackTrace).toBe(before);
  });

  test('without a handler, errors are formatted the way Node.js does: the error, then a line per frame', () => {
    const before = Error.prepareStackTrace;
    Reflect.deleteProperty(Error, 'prepareStackTrace');
    try {
      const inside = withoutTokenTraces(() => new TypeError('x').stack!);
      expect(inside).toMatch(/^TypeError: x(\n {4}at .+)+$/);
      expect(inside.split('\n')[2]).toMatch(/^ {4}at withoutTokenTraces \(.*token-traces\.ts:\d+:\d+\)$/);
      expect(Error.prepareStackTrace).toBeUndefined();
    } finally {
      Error.prepareStackTrace = before;
    }
  });

  test('the previous handler is back when the build throws', () => {
    const before = Error.prepareStackTrace;
    expect(() =>
      withoutTokenTraces(() => {
        throw new TypeError('bad');
      }),
    ).toThrow('bad');
    expect(Error.prepareStackTrace).toBe(before);
  });
});
