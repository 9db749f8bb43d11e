// Relative links and anchors of Markdown files, as GitHub resolves them: a link to a file that does
// not exist, or to a heading that is not there, is dead.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A Markdown text, and how to read the other files its links name. */
export interface MarkdownSource {
  /** Path of the file, relative to the repository root (`docs/policies.md`). */
  readonly file: string;
  readonly text: string;
}

/** The repository as the checker sees it: which paths exist, and the text of a Markdown file. */
export interface Repository {
  exists(relative: string): boolean;
  read(relative: string): string;
}

/** The working tree under `root`. */
export function workingTree(root: string): Repository {
  return {
    exists: (relative) => fs.existsSync(path.join(root, relative)),
    read: (relative) => fs.readFileSync(path.join(root, relative), 'utf8'),
  };
}

/** The lines of `text` outside fenced code blocks (the others are blanked, so numbers hold). */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      if (fence === undefined) fence = open[1];
      else if (line.trim().startsWith(fence[0].repeat(fence.length))) fence = undefined;
      return '';
    }
    return fence === undefined ? line : '';
  });
}

/** A heading's anchor as GitHub makes it, before duplicates are numbered. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*]/g, ''); // code and emphasis markers
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a Markdown text: its headings (duplicates numbered -1, -2...) and HTML ids. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading) {
      const slug = githubSlug(heading[1]);
      const count = seen.get(slug);
      seen.set(slug, (count ?? -1) + 1);
      anchors.add(count === undefined ? slug : `${slug}-${count + 1}`);
    }
    for (const m of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** The link targets of a Markdown text, with their line numbers (inline code and fences left out). */
export function linksOf(text: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  proseLines(text).forEach((raw, i) => {
    const line = raw.replace(/(`+)(?:(?!\1).)+?\1/g, '');
    for (const m of line.matchAll(/!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      links.push({ line: i + 1, target: m[1] });
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
    if (definition) links.push({ line: i + 1, target: definition[1] });
  });
  return links;
}

/** Each dead relative link or anchor of `source`, as `file:line: target (why)`. */
export function deadLinks(source: MarkdownSource, repo: Repository): string[] {
  const dead: string[] = [];
  for (const { line, target } of linksOf(source.text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:...
    const hash = target.indexOf('#');
    const pathPart = decodeURI(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const where = `${source.file}:${line}: ${target}`;
    const resolved =
      pathPart === ''
        ? source.file
        : path.posix.normalize(path.posix.join(path.posix.dirname(source.file), pathPart));
    if (resolved.startsWith('../') || path.posix.isAbsolute(resolved)) {
      dead.push(`${where} (outside the repository)`);
      continue;
    }
    if (pathPart !== '' && !repo.exists(resolved)) {
      dead.push(`${where} (no such file)`);
      continue;
    }
    if (anchor === undefined) continue;
    if (!resolved.endsWith('.md')) {
      dead.push(`${where} (an anchor into a file that is not Markdown)`);
      continue;
    }
    const text = resolved === source.file ? source.text : repo.read(resolved);
    if (!anchorsOf(text).has(anchor)) dead.push(`${where} (no heading with that anchor in ${resolved})`);
  }
  return dead;
}
