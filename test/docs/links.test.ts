import * as fs from 'node:fs';
import * as path from 'node:path';
import { anchorsOf, deadLinks, githubSlug, linksOf, Repository, workingTree } from './markdown-links';

const ROOT = path.resolve(__dirname, '../..');

/** README.md and the Markdown files of docs/ (docs/api is generated, and not linked). */
function documentation(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs.sort()];
}

describe('the documentation has no dead link', () => {
  const repo = workingTree(ROOT);

  test('README.md and docs/*.md: every relative link reaches a file, every anchor a heading', () => {
    const files = documentation();
    expect(files.length).toBeGreaterThan(10);
    const dead = files.flatMap((file) => deadLinks({ file, text: repo.read(file) }, repo));
    expect(dead).toEqual([]);
  });

  test('the files link to each other: cross-file anchors are checked, not only same-file ones', () => {
    const targets = documentation().flatMap((file) => linksOf(repo.read(file)).map((l) => l.target));
    expect(targets.filter((t) => /\.md#/.test(t)).length).toBeGreaterThan(20);
    expect(targets.filter((t) => t.startsWith('#')).length).toBeGreaterThan(5);
  });
});

describe('the link checker', () => {
  const files: Record<string, string> = {
    'README.md': '# Title\n\nSee [the guide](docs/guide.md#second-part) and [code](lib/index.ts).\n',
    'docs/guide.md': [
      '# Guide',
      '## Second part',
      '## Limits',
      '### Limits',
      '## The audit → enforce workflow',
      '## What each tenant is: `npm run tenants`',
      '## Preflight: the platform\'s "policies"',
      '```sh',
      '# not a heading',
      '```',
      '<a id="custom"></a>',
    ].join('\n'),
    'lib/index.ts': '',
  };
  const repo: Repository = {
    exists: (p) => p in files || Object.keys(files).some((f) => f.startsWith(`${p}/`)),
    read: (p) => files[p],
  };
  const check = (text: string, file = 'docs/other.md') => deadLinks({ file, text }, repo);

  test('makes anchors as GitHub does: punctuation dropped, spaces kept as hyphens, duplicates numbered', () => {
    expect([...anchorsOf(files['docs/guide.md'])]).toEqual([
      'guide',
      'second-part',
      'limits',
      'limits-1',
      'the-audit--enforce-workflow',
      'what-each-tenant-is-npm-run-tenants',
      'preflight-the-platforms-policies',
      'custom',
    ]);
    expect(githubSlug('Capsule 0.14 deprecations')).toBe('capsule-014-deprecations');
    expect(githubSlug('Using [the constructs](x.md) from *TypeScript*')).toBe(
      'using-the-constructs-from-typescript',
    );
  });

  test('accepts links that reach a file, a folder, a heading of another file or of the same file', () => {
    expect(check('[a](guide.md) [b](guide.md#limits-1) [c](../lib) [d](#here)\n\n## Here\n')).toEqual([]);
    expect(deadLinks({ file: 'README.md', text: files['README.md'] }, repo)).toEqual([]);
  });

  test('reports a missing file, a missing anchor, a path outside the repository', () => {
    expect(
      check(
        '[a](gide.md)\n[b](guide.md#limits-2)\n[c](#nowhere)\n[d](../../etc/passwd)\n[e](../lib/index.ts#top)',
      ),
    ).toEqual([
      'docs/other.md:1: gide.md (no such file)',
      'docs/other.md:2: guide.md#limits-2 (no heading with that anchor in docs/guide.md)',
      'docs/other.md:3: #nowhere (no heading with that anchor in docs/other.md)',
      'docs/other.md:4: ../../etc/passwd (outside the repository)',
      'docs/other.md:5: ../lib/index.ts#top (an anchor into a file that is not Markdown)',
    ]);
  });

  test('reads reference definitions and images; skips code, web addresses and headings in fences', () => {
    const text = [
      '![diagram](missing.svg) [ref]: nothing.md',
      '[ok][x]',
      '[x]: also-missing.md',
      '`[not a link](nowhere.md)`',
      '```md',
      '[in a fence](nowhere.md)',
      '```',
      '[web](https://example.com/#anything) [mail](mailto:someone@example.com)',
      '[fence heading](guide.md#not-a-heading)',
    ].join('\n');
    expect(check(text)).toEqual([
      'docs/other.md:1: missing.svg (no such file)',
      'docs/other.md:3: also-missing.md (no such file)',
      'docs/other.md:9: guide.md#not-a-heading (no heading with that anchor in docs/guide.md)',
    ]);
  });
});
