// Broken or hostile folders: one clear line, a non-zero exit, never a stack trace or a hang.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
// The module object itself (not a namespace copy), so that a spy on it reaches the code under test.
import fsModule from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INPUT_LIMITS } from '../../lib/platform-file/input';
import { fifoWithWriter, runPreflight, spawnApp, STACK_FRAME, type AppRun } from '../support/run-app';

const PLATFORM = path.join(__dirname, 'fixtures', 'platform');
const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: dev-demo }\nspec: { securityContext: { runAsNonRoot: true }, containers: [{ name: c, image: "nginx:1.27" }] }\n';

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function folder(files: Record<string, string> = {}): string {
  const dir = tmp('hostile-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Exit 1 and exactly one line on stderr, which matches `reason`; no stack trace. */
function expectOneLine(run: AppRun, reason: RegExp): void {
  expect(run.err).not.toMatch(STACK_FRAME);
  expect(run.code).toBe(1);
  expect(run.err).toMatch(/^preflight: [^\n]+\n$/);
  expect(run.err).toMatch(reason);
}

const check = (target: string, ...more: string[]) => runPreflight(['--policies', PLATFORM, ...more, target]);

describe('links', () => {
  test('a loop of symbolic links', () => {
    const dir = folder({ 'ok.yaml': POD });
    fs.symlinkSync('a.yaml', path.join(dir, 'a.yaml'));
    expectOneLine(check(dir), /cannot read .*a\.yaml: a loop of symbolic links \(ELOOP\)/);
  });

  test('a symbolic link to a folder is followed: its manifests are judged', () => {
    const shared = folder({ 'pod.yaml': POD });
    const dir = folder();
    fs.symlinkSync(shared, path.join(dir, 'shared'));
    const run = check(dir);
    expect(run.err).toBe('');
    expect(run.out).toMatch(/2 policies, 1 objects: /);
  });

  test('a symbolic link named like a manifest that points to a folder is followed too', () => {
    const shared = folder({ 'pod.yaml': POD });
    const dir = folder();
    fs.symlinkSync(shared, path.join(dir, 'shared.yaml'));
    expect(check(dir).out).toMatch(/1 objects/);
  });

  test('a link back to a folder that contains it is a loop', () => {
    const dir = folder({ 'pod.yaml': POD });
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
    expectOneLine(check(dir), /sub\/up: a symbolic link to .*, a folder that contains it: a loop/);
  });

  test('two links to one file: read once, the second listed', () => {
    const dir = folder({ 'pod.yaml': POD });
    fs.symlinkSync('pod.yaml', path.join(dir, 'same.yaml'));
    const run = check(dir);
    expect(run.out).toMatch(/^SKIP {2}.*same\.yaml: the same file as .*pod\.yaml, read once$/m);
    expect(run.out).toMatch(/1 objects, 1 skipped/);
  });
});

describe('permissions', () => {
  const eacces = () => Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });

  test('a folder that cannot be listed (EACCES, injected)', () => {
    const dir = folder({ 'pod.yaml': POD });
    const real = fs.readdirSync;
    const spy = jest.spyOn(fsModule, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: unknown) => {
      if (String(p) === dir) throw eacces();
      return (real as (p: fs.PathLike, o?: unknown) => unknown)(p, o);
    }) as typeof fs.readdirSync);
    try {
      expectOneLine(check(dir), /cannot read the folder .*: permission denied \(EACCES\)$/m);
    } finally {
      spy.mockRestore();
    }
  });

  test('a file that cannot be opened (EACCES, injected)', () => {
    const dir = folder({ 'pod.yaml': POD });
    const real = fs.openSync;
    const spy = jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      if (String(p).endsWith('pod.yaml') && String(p).startsWith(dir)) throw eacces();
      return (real as (...a: unknown[]) => number)(p, ...rest);
    }) as typeof fs.openSync);
    try {
      expectOneLine(check(dir), /cannot read .*pod\.yaml: permission denied \(EACCES\)$/m);
    } finally {
      spy.mockRestore();
    }
  });

  // Root reads any file, so the real permission check runs as the unprivileged user "nobody"
  // (uid 65534) through setpriv when the tests run as root.
  const asRoot = process.getuid?.() === 0;
  const canDropRoot = asRoot && fs.existsSync('/usr/bin/setpriv');
  const real = !asRoot || canDropRoot ? test : test.skip;
  real(
    `a folder the user cannot read (real EACCES${asRoot ? ', as nobody through setpriv' : ''})`,
    () => {
      const dir = folder({ 'pod.yaml': POD });
      const locked = path.join(dir, 'locked');
      fs.mkdirSync(locked);
      fs.writeFileSync(path.join(locked, 'pod.yaml'), POD);
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(locked, 0o000);
      const run = spawnApp('preflight', ['--policies', PLATFORM, dir], asRoot ? { uid: 65534 } : {});
      fs.chmodSync(locked, 0o755);
      expect(run.err).not.toMatch(STACK_FRAME);
      expect(run.err).toMatch(/^preflight: cannot read the folder .*locked: permission denied \(EACCES\)\n$/);
      expect(run.code).toBe(1);
    },
    120000,
  );
  if (asRoot && !canDropRoot)
    test.todo('real EACCES: skipped, running as root without setpriv (root reads everything)');
});

describe('what is not a regular file never hangs', () => {
  test('a FIFO in the folder: the app, run as a process, exits at once', () => {
    const dir = folder({ 'pod.yaml': POD });
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const run = spawnApp('preflight', ['--policies', PLATFORM, dir], { timeoutMs: 60000 });
    expect(run.err).not.toMatch(STACK_FRAME);
    expect(run.err).toMatch(/^preflight: cannot read .*pipe\.yaml: it is a FIFO, not a regular file\n$/);
    expect(run.code).toBe(1);
  }, 120000);

  test('a FIFO as the folder argument or as --policies', () => {
    const dir = folder({ 'pod.yaml': POD });
    const fifo = path.join(dir, 'pipe.yaml');
    const stop = fifoWithWriter(fifo);
    try {
      expectOneLine(check(fifo), /cannot read .*pipe\.yaml: it is a FIFO, not a regular file/);
      expectOneLine(
        runPreflight(['--policies', fifo, path.join(dir, 'pod.yaml')]),
        /cannot read .*pipe\.yaml: it is a FIFO, not a regular file/,
      );
    } finally {
      stop();
    }
  });

  test('/dev/zero as the folder or as --policies', () => {
    expectOneLine(
      check('/dev/zero'),
      /cannot read \/dev\/zero: it is a character device, not a regular file/,
    );
    expectOneLine(
      runPreflight(['--policies', '/dev/zero', folder({ 'pod.yaml': POD })]),
      /cannot read \/dev\/zero: it is a character device/,
    );
  });

  test('a missing path', () => {
    expectOneLine(
      check('/nonexistent/k8s'),
      /cannot read \/nonexistent\/k8s: no such file or folder \(ENOENT\)/,
    );
  });
});

describe('limits', () => {
  test('a 98 MB manifest is refused before it is read', () => {
    const dir = folder();
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 98_000_000); // sparse: no disk used
    const started = Date.now();
    expectOneLine(check(dir), /cannot read .*big\.yaml: it is 93\.5 MiB, more than the limit of 4 MiB/);
    expect(Date.now() - started).toBeLessThan(20000); // refused from its size, not parsed
  });

  test('files that add up past the total limit', () => {
    const dir = folder();
    for (const name of ['a.yaml', 'b.yaml', 'c.yaml']) {
      fs.writeFileSync(path.join(dir, name), '');
      fs.truncateSync(path.join(dir, name), 3 * 1024 * 1024);
    }
    expectOneLine(
      check(dir),
      /the manifests add up to more than 8 MiB \(at .*c\.yaml\): check a narrower folder/,
    );
  });

  test('more files than the limit are refused while listing', () => {
    const dir = folder();
    for (let i = 0; i <= INPUT_LIMITS.manifestFiles; i++) fs.writeFileSync(path.join(dir, `f${i}.yaml`), '');
    expectOneLine(check(dir), /more than 10,000 manifest files to read \(at .*\): check a narrower folder/);
  });

  test('more documents than the limit', () => {
    const dir = folder({ 'many.yaml': '---\n{}\n'.repeat(INPUT_LIMITS.manifestDocuments + 1) });
    expectOneLine(check(dir), /more than 20,000 YAML documents to read \(at .*many\.yaml\)/);
  });
});

describe('documents that would exhaust the parser', () => {
  test('a billion-laughs document', () => {
    let doc =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata:\n  a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    let prev = 'a';
    for (let i = 0; i < 9; i++) {
      doc += `  b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
      prev = `b${i}`;
    }
    expectOneLine(check(folder({ 'lol.yaml': doc })), /lol\.yaml: not valid YAML \(.*alias/i);
  });

  test('a document nested 100,000 levels deep', () => {
    const doc = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: ${'['.repeat(100000)}${']'.repeat(100000)}\n`;
    expectOneLine(check(folder({ 'deep.yaml': doc })), /deep\.yaml: not valid YAML \(.*nested too deeply\)/);
  });

  test('a document nested past the depth limit the parser accepts', () => {
    const doc = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: ${'['.repeat(300)}${']'.repeat(300)}\n`;
    expectOneLine(
      check(folder({ 'deep.yaml': doc })),
      /deep\.yaml: not valid YAML \(.*nested deeper than 256 levels\)/,
    );
  });

  test('bytes that are not UTF-8', () => {
    const dir = folder();
    fs.writeFileSync(
      path.join(dir, 'latin1.yaml'),
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: caf\xe9 }\n', 'latin1'),
    );
    expectOneLine(check(dir), /latin1\.yaml: line 3, column 22: byte 0xe9 is not UTF-8/);
  });

  test('duplicate keys, with their line', () => {
    const dir = folder({
      'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata:\n  a: "1"\n  a: "2"\n',
    });
    expectOneLine(check(dir), /dup\.yaml: not valid YAML \(line 6, column 3, data\.a: duplicate key "a"\)/);
  });
});
