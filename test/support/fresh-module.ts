import Module from 'node:module';

/**
 * A fresh copy of the module `file` (an absolute path), as a new process would load it, with
 * `replaced` modules (absolute paths) standing in for the real ones while it loads, and `fresh`
 * modules loaded afresh too. The test workers share one module registry between test files: the
 * registry is left as it was, and only the caller holds the copies.
 */
export function loadFresh<T>(
  file: string,
  options: { replaced?: Record<string, unknown>; fresh?: string[] } = {},
): T {
  const cache = require.cache;
  const paths = [file, ...(options.fresh ?? []), ...Object.keys(options.replaced ?? {})].map((p) =>
    require.resolve(p),
  );
  const saved = new Map(paths.map((p) => [p, cache[p]]));
  try {
    for (const p of paths) delete cache[p];
    for (const [p, exports] of Object.entries(options.replaced ?? {})) {
      const stand = new Module(require.resolve(p));
      stand.exports = exports;
      stand.loaded = true;
      cache[require.resolve(p)] = stand;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as T;
  } finally {
    for (const [p, m] of saved) {
      if (m) cache[p] = m;
      else delete cache[p];
    }
  }
}
