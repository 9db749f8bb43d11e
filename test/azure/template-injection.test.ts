import { formatPath, PlatformValidationError, validatePlatform } from '../../lib/platform-file';
import { childSchema, objectKeys, unwrapSchema } from '../../lib/platform-file/schema-walk';
import { platformFileSchema } from '../../lib/platform-file/schema/platform';
import { validPlatform } from '../platform-file/fixtures';
import { alternativesPlatform, everyOptionPlatform } from './every-option';
import { allStrings, foreignTemplates, synthPlatform, templateSequences } from './helpers';

/** Text Terraform would run: read a file of the deploying machine, loop in a directive. */
const TEMPLATE = '${file("/etc/passwd")}%{ for x in ["a"] }${x}%{ endfor }';
/** A cdktf string token marker and a number token as it prints (what the stacks would resolve). */
const MARKERS = [
  '${TfToken[TOKEN.1]}',
  '${Token[TOKEN.1]}',
  '#{TfToken[TOKEN.2]}',
  '-8.109562212591379e+298',
];

type Path = (string | number)[];

/** Paths of every string value, every map key, and every number of a platform file. */
function leaves(value: unknown, path: Path = []): { path: Path; kind: 'string' | 'key' | 'number' }[] {
  if (typeof value === 'string') return [{ path, kind: 'string' }];
  if (typeof value === 'number') return [{ path, kind: 'number' }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      { path: [...path, k], kind: 'key' as const },
      ...leaves(v, [...path, k]),
    ]);
  }
  return [];
}

/** A copy of `file` with the leaf at `path` changed (a key is renamed, keeping its value). */
function changed(file: Record<string, any>, path: Path, kind: string, change: (v: any) => any) {
  const copy = structuredClone(file);
  const parent = path.slice(0, -1).reduce((node: any, k) => node[k], copy);
  const last = path[path.length - 1];
  if (kind === 'key') {
    const entries = Object.entries(parent).map(([k, v]) => [k === last ? change(k) : k, v]);
    for (const k of Object.keys(parent)) delete parent[k];
    Object.assign(parent, Object.fromEntries(entries));
  } else {
    parent[last] = change(parent[last]);
  }
  return copy;
}

/** Where the change shows: a renamed key is reported under its new name. */
function at(l: { path: Path; kind: string }, suffix: string): Path {
  if (l.kind !== 'key') return l.path;
  return [...l.path.slice(0, -1), `${l.path[l.path.length - 1]}${suffix}`];
}

/** The issues of an invalid file, or undefined when it is valid. */
function issuesOf(file: unknown): { path: string; message: string }[] | undefined {
  try {
    validatePlatform(file, 'injected.yaml');
    return undefined;
  } catch (e) {
    if (!(e instanceof PlatformValidationError)) throw e;
    return e.issues;
  }
}

const FILES: [string, () => Record<string, any>][] = [
  ['the reference platform', validPlatform],
  ['the platform using every option', everyOptionPlatform],
];

describe('the every-option platform', () => {
  test('sets every key of the schema (authorizedIpRanges excludes private: the reference sets it)', () => {
    // The two maintenance windows share one schema whose keys depend on the frequency: a key set
    // in either window counts for both.
    const sameWindow = (p: string) =>
      p.replace(/^cluster\.maintenance\.(upgrade|nodeOs)\b/, 'cluster.maintenance.window');
    const set = new Set(
      [...leaves(everyOptionPlatform()), ...leaves(validPlatform()), ...leaves(alternativesPlatform())].map(
        (l) => sameWindow(l.path.map((p) => (typeof p === 'number' ? '[]' : p)).join('.')),
      ),
    );
    const missing: string[] = [];
    const walk = (node: Parameters<typeof objectKeys>[0], path: string[], records: boolean) => {
      const keys = objectKeys(node);
      if (keys) {
        for (const k of keys) {
          const child = [...path, k];
          const key = sameWindow(child.join('.'));
          if (!records && ![...set].some((s) => s === key || s.startsWith(`${key}.`)))
            missing.push(child.join('.'));
          walk(childSchema(node, k), child, records);
        }
        return;
      }
      const type = node && (unwrapSchema(node)._zod.def as { type: string }).type;
      if (type === 'array') walk(childSchema(node, 0), [...path, '[]'], records);
      // Below a map the keys are the user's: any key's children will do.
      if (type === 'record') walk(childSchema(node, 'x'), [...path, '*'], true);
    };
    walk(platformFileSchema, [], false);
    expect(missing).toEqual([]);
    expect(() => validatePlatform(everyOptionPlatform(), 'every-option')).not.toThrow();
    expect(() => validatePlatform(alternativesPlatform(), 'alternatives')).not.toThrow();
  });
});

describe.each(FILES)('%s with Terraform template text in every string', (name, file) => {
  const targets = leaves(file()).filter((l) => l.kind !== 'number');
  const accepted: typeof targets = [];

  test.each(targets.map((t) => [`${t.kind} ${formatPath(t.path)}`, t] as const))(
    '%s: refused with its path, or accepted',
    (_label, t) => {
      const issues = issuesOf(changed(file(), t.path, t.kind, (v) => `${v}${TEMPLATE}`));
      const own = formatPath(at(t, TEMPLATE));
      if (issues === undefined) accepted.push(t);
      else if (!issues.some((i) => i.path === own)) {
        // Text only the Kubernetes side reads, refused where another field refers to it.
        expect(issues).toEqual([{ path: expect.any(String), message: expect.stringContaining(TEMPLATE) }]);
      }
    },
  );

  test('the Terraform-facing free text is among the refused fields, by name', () => {
    const refused = targets
      .filter((t) => t.kind === 'string' && !accepted.includes(t))
      .map((t) => formatPath(t.path));
    expect(refused).toEqual(expect.arrayContaining(['groups.admins.displayName']));
    if (name.includes('every option')) {
      expect(refused).toEqual(
        expect.arrayContaining([
          'groups.admins.description',
          'capsule.administrators[0].name',
          'capsule.administrators[1].name',
          'capsule.administrators[2].name',
        ]),
      );
    }
  });

  test('with every accepted field holding it at once, Terraform evaluates nothing of it', () => {
    // Kubernetes-only text (config values, commands, Kyverno texts) may hold it.
    if (name.includes('every option')) expect(accepted.length).toBeGreaterThan(10);
    let injected = file();
    for (const t of accepted) injected = changed(injected, t.path, t.kind, (v) => `${v}${TEMPLATE}`);
    const { infra, addons } = synthPlatform(validatePlatform(injected, 'injected.yaml'));
    expect(foreignTemplates(infra)).toEqual([]);
    expect(foreignTemplates(addons)).toEqual([]);
  });
});

describe.each(FILES)('%s with a token marker in any string, key or number', (_name, file) => {
  // Each string and key gets one of the markers, in turn (~100 leaves: each marker many times).
  const cases = leaves(file()).map((l, i) => {
    const marker = l.kind === 'number' ? -8.109562212591379e298 : MARKERS[i % MARKERS.length];
    return [`${l.kind} ${formatPath(l.path)} ← ${marker}`, l, marker] as const;
  });

  test.each(cases)('%s: refused at that path', (_label, l, marker) => {
    const issues = issuesOf(
      changed(file(), l.path, l.kind, (v) => (typeof marker === 'number' ? marker : `${v} ${marker}`)),
    );
    expect(issues).toBeDefined();
    expect(issues).toContainEqual({
      path: formatPath(at(l, ` ${marker}`)),
      message: expect.stringContaining('is a token marker of cdktf or cdk8s'),
    });
  });
});

describe('the messages of the refused free text', () => {
  test.each([
    ['groups.dev.displayName', (p: any) => (p.groups.dev.displayName = 'dev ${file("/etc/passwd")}')],
    ['groups.dev.description', (p: any) => (p.groups.dev.description = 'all %{ for x in [1] }x%{ endfor }')],
    [
      'capsule.administrators[0].name',
      (p: any) => (p.capsule.administrators = [{ kind: 'User', name: 'ci-${var.x}@example.com' }]),
    ],
  ])('%s', (path, mutate) => {
    const p = validPlatform();
    mutate(p);
    expect(issuesOf(p)).toEqual([
      {
        path,
        message: expect.stringMatching(
          /^".*" must not contain "\$\{" or "%\{": Terraform would evaluate it as an expression/,
        ),
      },
    ]);
  });

  test('a token marker is reported once, by the marker check, even where the schema refuses too', () => {
    const p = validPlatform();
    p.groups.dev.displayName = '${TfToken[TOKEN.9]}';
    expect(issuesOf(p)).toEqual([
      {
        path: 'groups.dev.displayName',
        message:
          '"${TfToken[TOKEN.9]}" is a token marker of cdktf or cdk8s, which would turn the text into a reference at synth',
      },
    ]);
  });

  test('ordinary numbers with exponents and dollar signs elsewhere are fine', () => {
    const p = validPlatform();
    p.groups.dev.description = 'Budget $5, 1e3 requests a day, {braces} and 100%';
    p.workloads[0].config = { TEMPLATE: '${HOME}/cache', SCALE: '-8.1e+298' };
    expect(issuesOf(p)).toBeUndefined();
  });
});

describe('templateSequences reads strings the way Terraform does', () => {
  test.each<[string, string[]]>([
    ['plain', []],
    ['${a.b}', ['${a.b}']],
    ['$${a.b}', []],
    ['$$${a.b}', []],
    ['$$$${a.b}', []],
    ['$${a.b} ${c.d}', ['${c.d}']],
    ['%{ if x }y%{ endif }', ['%{ if x }', '%{ endif }']],
    ['%%{ if x }', []],
    ['${f({a = 1})}', ['${f({a = 1})}']],
  ])('%s', (s, expected) => {
    expect(templateSequences(s)).toEqual(expected);
  });

  test('the stacks scan clean, and a planted expression is found', () => {
    const { infra, addons } = synthPlatform();
    expect(foreignTemplates(infra)).toEqual([]);
    expect(foreignTemplates(addons)).toEqual([]);
    expect(
      foreignTemplates({ a: ['x ${file("/etc/passwd")}', '${var.secret}', '${azuread_group.a.object_id}'] }),
    ).toEqual(['${file("/etc/passwd")}', '${var.secret}']);
    expect(allStrings(infra).length).toBeGreaterThan(50);
  });
});
