// What the documentation and the examples tell a consumer to import must be exported by the package root.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

/** The module file an import specifier of `from` names (`./x` is `./x.ts` or `./x/index.ts`). */
function moduleFile(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const file = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
  if (!file) throw new Error(`${path.relative(ROOT, from)}: cannot find module ${specifier}`);
  return file;
}

/**
 * Every name (values and types) a module exports, read from the syntax of the package's modules:
 * exported declarations, `export { ... }` lists and `export * from` chains (a type-checked program
 * of the library costs seconds; the library's modules use nothing else).
 */
function exportedNames(file = path.join(ROOT, 'lib/index.ts'), seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const from =
        statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
          ? moduleFile(file, statement.moduleSpecifier.text)
          : undefined;
      const clause = statement.exportClause;
      if (!clause) for (const n of exportedNames(from!, seen)) names.add(n);
      else if (ts.isNamespaceExport(clause)) names.add(clause.name.text);
      else for (const e of clause.elements) names.add(e.name.text);
    } else if (exported(statement)) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations)
          if (ts.isIdentifier(d.name)) names.add(d.name.text);
      } else if (
        (ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement) ||
          ts.isEnumDeclaration(statement)) &&
        statement.name
      ) {
        names.add(statement.name.text);
      }
    }
  }
  return names;
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
