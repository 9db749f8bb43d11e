// The Kubernetes side is three areas (capsule/, kyverno/, workloads/) that share words: label keys,
// the Pod Security level and version. Those words live in modules of lib/kubernetes itself, so that
// no area reads them out of another area's files (an options file of capsule/ defining what
// kyverno/ and workloads/ depend on is how they ended up tangled).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const KUBERNETES = path.resolve(__dirname, '../../lib/kubernetes');

/** The areas: the folders of lib/kubernetes, but its private helpers. */
function areas(): string[] {
  return fs
    .readdirSync(KUBERNETES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'private')
    .map((e) => e.name)
    .sort();
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The area of a file under lib/kubernetes, or undefined for a module of lib/kubernetes itself. */
function areaOf(file: string, known: readonly string[]): string | undefined {
  const first = path.relative(KUBERNETES, file).split(path.sep)[0];
  return known.includes(first) ? first : undefined;
}

/** Each import of `text` (a file at `file`) that reaches into an area other than the file's own. */
function crossAreaImports(file: string, text: string, known: readonly string[] = areas()): string[] {
  const own = areaOf(file, known);
  if (own === undefined) return [];
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith('.'))
    .filter((spec) => {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(KUBERNETES + path.sep)) return false;
      const area = areaOf(target, known);
      return area !== undefined && area !== own;
    })
    .map((spec) => `${path.relative(KUBERNETES, file)} imports ${spec}`);
}

describe('lib/kubernetes: each area reads shared words from lib/kubernetes, never from a sibling area', () => {
  test('the areas are the three the platform is made of', () => {
    expect(areas()).toEqual(['capsule', 'kyverno', 'workloads']);
  });

  test('no module of capsule/, kyverno/ or workloads/ imports from another of them', () => {
    const found = sources(KUBERNETES).flatMap((f) => crossAreaImports(f, fs.readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  test('the check sees a sibling options file, a type-only import and a re-export', () => {
    const file = path.join(KUBERNETES, 'kyverno', 'catalog', 'example.ts');
    const text = [
      "import { PodSecurityLevel } from '../../capsule/tenant-options';",
      "import type { WorkloadLabel } from '../../workloads/workload-options';",
      "export { TENANT_LABEL } from '../../capsule';",
      "import { NAMESPACE_NAME_LABEL } from '../../labels';",
      "import { PolicyAction } from '../model';",
      "import { PlatformError } from '../../../platform-file/errors';",
    ].join('\n');
    expect(crossAreaImports(file, text)).toEqual([
      'kyverno/catalog/example.ts imports ../../capsule/tenant-options',
      'kyverno/catalog/example.ts imports ../../workloads/workload-options',
      'kyverno/catalog/example.ts imports ../../capsule',
    ]);
  });
});
