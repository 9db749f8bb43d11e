import { createRequire } from 'node:module';

// CEL's `matches()` compiles its pattern on every call: on a 1,000-tenant platform, compiling the
// same few patterns (image references, names) again for every object was a seventh of the
// preflight. A compiled RE2 pattern is immutable and matching keeps no state between calls, so
// the copy of RE2 that the CEL library loads (resolved from it, not from here) is given a
// remembering `compile`: same pattern and flags, same compiled object.
interface Re2Module {
  RE2JS: { compile(pattern: string, flags?: number): unknown };
}

const MAX_PATTERNS = 1024;
const MARK = Symbol.for('cdk-aks-platform.re2-compile-cache');

export function rememberCompiledPatterns(): void {
  const re2 = createRequire(require.resolve('@bufbuild/cel'))('@bufbuild/re2') as Re2Module;
  const compile = re2.RE2JS.compile as Re2Module['RE2JS']['compile'] & { [MARK]?: true };
  if (compile[MARK]) return;
  const compiled = new Map<string, unknown>();
  const remembering = Object.assign(
    function (this: unknown, pattern: string, flags?: number): unknown {
      const key = `${flags ?? 0}\0${pattern}`;
      let found = compiled.get(key);
      if (found === undefined) {
        found = compile.call(this, pattern, flags);
        if (compiled.size >= MAX_PATTERNS) compiled.clear();
        compiled.set(key, found);
      }
      return found;
    },
    { [MARK]: true as const },
  );
  re2.RE2JS.compile = remembering;
}
