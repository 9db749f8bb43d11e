// Lets the child processes of tests run the TypeScript sources directly, transpiled file by file
// as jest does (no type check, no build/ needed), so that they run the code under test. The
// output is cached by content hash: transpiling costs seconds, and tests start many children.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// Loading typescript costs 0.3 s a process: only on a cache miss.
const version = require('typescript/package.json').version;
const cacheDir = path.join(os.tmpdir(), `cdk-aks-platform-ts-${version}`);

function transpile(source, filename) {
  const key = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  const ts = require('typescript');
  const compilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
  };
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  fs.mkdirSync(cacheDir, { recursive: true });
  const partial = `${cached}.${process.pid}`;
  fs.writeFileSync(partial, outputText);
  fs.renameSync(partial, cached);
  return outputText;
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
