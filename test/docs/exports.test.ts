// What the documentation and the examples tell a consumer to import must be exported by the package root.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

/** Every name (values and types) the package root exports, as the compiler sees it. */
function exportedNames(): Set<string> {
  const index = path.join(ROOT, 'lib/index.ts');
  const program = ts.createProgram([index], {
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return new Set(checker.getExportsOfModule(symbol).map((s) => s.name));
}

/** Names in `import { ... } from 'cdk-aks-platform'` statements of `text`. */
function importedNames(text: string): string[] {
  return [...text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'cdk-aks-platform'/g)].flatMap((m) =>
    m[1]
      .split(',')
      .map((n) =>
        n
          .replace(/^\s*type\s+/, '')
          .split(/\s+as\s+/)[0]
          .trim(),
      )
      .filter((n) => n && n !== '...'),
  );
}

function exampleSources(dir = path.join(ROOT, 'examples')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return exampleSources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('the package root exports what the documentation uses', () => {
  const exported = exportedNames();
  const pages = [
    'README.md',
    ...fs
      .readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  test('every name imported from cdk-aks-platform in README.md, docs/*.md and the examples', () => {
    const used = [
      ...pages.flatMap((p) =>
        importedNames(fs.readFileSync(path.join(ROOT, p), 'utf8')).map((n) => `${p}: ${n}`),
      ),
      ...exampleSources().flatMap((f) =>
        importedNames(fs.readFileSync(f, 'utf8')).map((n) => `${path.relative(ROOT, f)}: ${n}`),
      ),
    ];
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((u) => !exported.has(u.split(': ')[1]))).toEqual([]);
  });

  test('every function and type named in docs/constructs.md', () => {
    const section = fs.readFileSync(path.join(ROOT, 'docs/constructs.md'), 'utf8');
    const names = [
      ...[...section.matchAll(/`([a-z]\w*)\(/g)].map((m) => m[1]),
      ...[...section.matchAll(/`([A-Z][A-Za-z0-9]+)`/g)].map((m) => m[1]),
    ];
    expect(names).toEqual(
      expect.arrayContaining([
        'loadPlatformFile',
        'addKubernetesPlatform',
        'synthKubernetesPlatform',
        'PlatformSpec',
      ]),
    );
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  });
});
