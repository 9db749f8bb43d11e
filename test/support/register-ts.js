// `npm test` runs the test files in long-lived workers (jest-light-runner): each worker loads the
// library and its dependencies once for all the files it runs, instead of once per file in a fresh
// module registry. This file, a setup file of those workers, lets them load TypeScript: esbuild
// strips the types of each file as it is required (the options of transform.js; the result is kept
// in node_modules/.cache by the hash of the source), `import()` of a test file goes to the
// CommonJS loader, and `cdk-aks-platform` is the library's own index. Error stacks point at the
// TypeScript lines; traces that cdktf captures for its tokens (plain objects, thousands per
// synth) are formatted without mapping, as V8 does.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..', '..');
const INDEX = path.join(ROOT, 'lib', 'index.ts');

const { OPTIONS, VERSION } = require('./transform');
/** Transpiled files by the hash of their source: each worker would otherwise transpile them all. */
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk-aks-platform', 'tests');

/** Source maps of the files compiled here, parsed when a stack first needs one. */
const maps = new Map();

function transpile(source, filename) {
  const hash = crypto.createHash('sha256').update(VERSION).update('\0').update(filename).update('\0');
  const file = path.join(CACHE, `${hash.update(source).digest('hex')}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    const { code, map } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    // Written aside, then renamed: another worker may read the entry at any time.
    const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(partial, JSON.stringify({ code, map }));
    fs.renameSync(partial, file);
    return { code, map };
  }
}

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = (module, filename) => {
    const { code, map } = transpile(fs.readFileSync(filename, 'utf8'), filename);
    maps.set(filename, map);
    module._compile(code, filename);
  };

  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return resolve.call(this, request === 'cdk-aks-platform' ? INDEX : request, ...rest);
  };

  Module.register(
    `data:text/javascript,${encodeURIComponent(
      "export async function load(url, context, next) { return /\\.ts(\\?|$)/.test(url) ? { format: 'commonjs', shortCircuit: true } : next(url, context); }",
    )}`,
  );

  const mapped = (frame) => {
    const file = frame.getFileName();
    let map = file && maps.get(file);
    if (!map) return `${frame}`;
    if (typeof map === 'string') {
      map = new Module.SourceMap(JSON.parse(map));
      maps.set(file, map);
    }
    const entry = map.findEntry(frame.getLineNumber() - 1, frame.getColumnNumber() - 1);
    if (!entry || entry.originalLine === undefined) return `${frame}`;
    const where = `${file}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    const name = frame.getFunctionName();
    return name ? `${name} (${where})` : where;
  };

  Error.prepareStackTrace = (error, frames) => {
    const plain = Object.getPrototypeOf(error) === Object.prototype;
    const head = plain ? 'Error' : Error.prototype.toString.call(error);
    return `${head}${frames.map((f) => `\n    at ${plain ? f : mapped(f)}`).join('')}`;
  };
}
