import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthAzurePlatform } from '../../lib/azure/synth';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { SynthStep } from '../../lib/output/synth-output';
import { leftovers, readTree, run, start, startPaused, type Run } from '../output/child';

// The two apps as a pipeline runs them: child processes of the TypeScript sources.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const K8S = 'apps/kubernetes.ts';
const AZURE = 'apps/azure.ts';
const EXAMPLE_OUTPUTS = path.join(ROOT, 'apps/platform-outputs.example.json');

/** A tree of Terraform output with the local state paths (relative to the synth's working directory) set aside. */
function terraformTree(dir: string): Record<string, string> | undefined {
  const tree = readTree(dir);
  if (!tree) return tree;
  for (const f of Object.keys(tree))
    tree[f] = tree[f].replace(/"path": "[^"]*(terraform\.\w+\.tfstate)"/g, '"path": "$1"');
  return tree;
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'apps-'));
}

/** A user mistake: exit 1, exactly one line on stderr (prefixed by the app), nothing on stdout. */
function expectOneLine(r: Run, app: string, message: RegExp): void {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
  expect(r.stderr.split('\n')).toEqual([expect.stringMatching(message), '']);
  expect(r.stderr.startsWith(`${app}: `)).toBe(true);
}

/** The reference platform with a change in every output file, to tell the new output from the previous one. */
function changedPlatform(dir: string): string {
  const file = path.join(dir, 'changed.yaml');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(path.join(ROOT, 'apps/platform.yaml'), 'utf8')
      .replace('action: Enforce', 'action: Audit')
      .replace('namespaceQuota: 5', 'namespaceQuota: 6')
      .replace('replicas: 2', 'replicas: 3')
      .replace('maxCount: 10', 'maxCount: 12'),
  );
  return file;
}

describe('what the apps print on success', () => {
  test('Kubernetes: the reference platform said first, then the outputs file, each file with its objects, the reports', async () => {
    const out = tmp();
    const r = await run(K8S, [], {
      cwd: ROOT,
      env: { CDK8S_OUTDIR: path.join(out, 'dist'), PLATFORM_REPORTS: path.join(out, 'reports') },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'kubernetes: platform file apps/platform.yaml (the reference platform: PLATFORM_CONFIG is not set)',
    );
    expect(lines[1]).toMatch(
      /^ {2}outputs file +apps\/platform-outputs\.example\.json \(the example outputs of the reference platform\)$/,
    );
    const files = fs.readdirSync(path.join(out, 'dist')).sort();
    expect(files).toEqual(['kyverno-policies.k8s.yaml', 'tenants.k8s.yaml', 'workloads.k8s.yaml']);
    files.forEach((f, i) => {
      const docs = parseAllDocuments(fs.readFileSync(path.join(out, 'dist', f), 'utf8')).length;
      expect(lines[2 + i]).toMatch(new RegExp(`^ {2}wrote ${path.join(out, 'dist', f)} +${docs} objects$`));
    });
    const reports = parseAllDocuments(fs.readFileSync(path.join(out, 'reports/policy-reports.yaml'), 'utf8'));
    expect(lines[5]).toMatch(
      new RegExp(
        `^ {2}wrote ${path.join(out, 'reports/policy-reports.yaml')} +${reports.length} PolicyReports: pass \\d+, fail 0, warn 0, error 0, skip 0$`,
      ),
    );
    expect(lines).toHaveLength(6);
  });

  test('Terraform: the platform file, then each stack with its resources', async () => {
    const out = tmp();
    const config = changedPlatform(out);
    const r = await run(AZURE, [], { cwd: out, env: { PLATFORM_CONFIG: config } });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`azure: platform file ${config}`);
    const stacks = ['infra', 'addons'].map((s) => {
      const json = JSON.parse(fs.readFileSync(path.join(out, 'cdktf.out/stacks', s, 'cdk.tf.json'), 'utf8'));
      const n = (o: object | undefined) =>
        Object.values(o ?? {}).reduce((k, b) => k + Object.keys(b).length, 0);
      return {
        s,
        resources: n(json.resource),
        data: n(json.data),
        outputs: Object.keys(json.output ?? {}).length,
      };
    });
    expect(stacks[0].resources).toBeGreaterThan(10);
    expect(lines.slice(1)).toEqual(
      stacks.map((x) =>
        expect.stringMatching(
          new RegExp(
            `^ {2}wrote cdktf\\.out/stacks/${x.s}/cdk\\.tf\\.json +${x.resources} resources, ${x.data} data sources?, ${x.outputs} outputs?$`,
          ),
        ),
      ),
    );
  });
});

describe('npm run synth: both apps, the Azure app in a second thread on two cores', () => {
  const SYNTH = 'apps/synth.ts';
  const reference = {
    PLATFORM_CONFIG: path.join(ROOT, 'apps/platform.yaml'),
    PLATFORM_OUTPUTS: EXAMPLE_OUTPUTS,
  };

  test('the Kubernetes summary first, then the Azure one; the same files as the apps one after the other', async () => {
    const [both, apart] = [tmp(), tmp()];
    const r = await run(SYNTH, [], { cwd: both, env: reference });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^\S/.test(l)).map((l) => l.split(':')[0])).toEqual(['kubernetes', 'azure']);
    expect(lines.findIndex((l) => l.startsWith('azure:'))).toBeGreaterThan(
      lines.findIndex((l) => l.includes('policy-reports.yaml')),
    );
    await run(K8S, [], { cwd: apart, env: reference });
    await run(AZURE, [], { cwd: apart, env: reference });
    for (const dir of ['dist', 'reports'])
      expect(readTree(path.join(both, dir))).toEqual(readTree(path.join(apart, dir)));
    expect(terraformTree(path.join(both, 'cdktf.out'))).toEqual(terraformTree(path.join(apart, 'cdktf.out')));
  });

  test('a failed Kubernetes synth: its message alone, exit 1, no Terraform written, nothing left behind', async () => {
    const cwd = tmp();
    // The reference platform named explicitly, without its outputs file: the Kubernetes app needs
    // the group ids, the Azure app does not (it would succeed on its own).
    const r = await run(SYNTH, [], { cwd, env: { PLATFORM_CONFIG: path.join(ROOT, 'apps/platform.yaml') } });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^kubernetes: the Kubernetes YAML needs the ids of groups/);
    expect(r.stderr).not.toMatch(/^azure:/m);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('a failed Azure synth after a good Kubernetes one: the YAML written, the Azure message, exit 1', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'file'), 'not a folder');
    const r = await run(SYNTH, [], { cwd, env: { ...reference, CDKTF_OUTDIR: 'file' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^kubernetes: /);
    expect(r.stdout).not.toMatch(/^azure:/m);
    expect(r.stderr).toBe('azure: outdir file is a file, not a folder\n');
    expect(fs.readdirSync(cwd).sort()).toEqual(['dist', 'file', 'reports']);
  });
});

test('a reader that closes the output early (`npm run synth | head -1`) is no failure', async () => {
  const child = start(AZURE, [], {
    cwd: tmp(),
    env: { PLATFORM_CONFIG: path.join(ROOT, 'apps/platform.yaml') },
  });
  child.stdout!.destroy();
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
});

describe('mistakes in the environment: one line, exit 1, nothing written', () => {
  // The messages themselves are tested in-process (test/apps/synth.test.ts); here, that each
  // reaches the user as one line and nothing else.
  test('an empty PLATFORM_CONFIG, a mistyped one, an output folder that is a file', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'file'), 'not a folder');
    const [empty, typo, tfFile] = await Promise.all([
      run(K8S, [], { cwd, env: { PLATFORM_CONFIG: '' } }),
      run(K8S, [], { cwd, env: { PLATFORM_CONFIG: 'apps/platfrom.yaml' } }),
      run(AZURE, [], {
        cwd,
        env: { PLATFORM_CONFIG: path.join(ROOT, 'apps/platform.yaml'), CDKTF_OUTDIR: 'file' },
      }),
    ]);
    expectOneLine(
      empty,
      'kubernetes',
      /^kubernetes: PLATFORM_CONFIG is set but empty \(""\): name your platform file, or unset it to synthesize the reference platform apps\/platform\.yaml$/,
    );
    expectOneLine(typo, 'kubernetes', /apps\/platfrom\.yaml/);
    expectOneLine(tfFile, 'azure', /^azure: outdir file is a file, not a folder$/);
    expect(fs.readdirSync(cwd)).toEqual(['file']);
  });
});

describe('an interrupted synth leaves the previous or the new complete output', () => {
  test('Kubernetes: killed while writing, between its renames; a second synth meanwhile', async () => {
    const work = tmp();
    const config = changedPlatform(work);
    // The expected previous and new outputs, synthesized in this process.
    const expected = (configFile: string) => {
      const d = tmp();
      synthKubernetesPlatform({
        configFile,
        outputsFile: EXAMPLE_OUTPUTS,
        outdir: path.join(d, 'dist'),
        reportsDir: path.join(d, 'reports'),
      });
      return { dist: readTree(path.join(d, 'dist')), reports: readTree(path.join(d, 'reports')) };
    };
    const before = expected(path.join(ROOT, 'apps/platform.yaml'));
    const after = expected(config);
    expect(after.dist).not.toEqual(before.dist);
    expect(after.reports).not.toEqual(before.reports);

    const projects = ['writing', 'aside', 'concurrent'].map((name) => {
      const cwd = path.join(work, name);
      fs.mkdirSync(cwd);
      for (const d of ['dist', 'reports'] as const) {
        fs.mkdirSync(path.join(cwd, d));
        for (const [f, text] of Object.entries(before[d]!)) fs.writeFileSync(path.join(cwd, d, f), text);
      }
      return cwd;
    });
    const env = { PLATFORM_CONFIG: config, PLATFORM_OUTPUTS: EXAMPLE_OUTPUTS };
    const state = (cwd: string) => ({
      dist: readTree(path.join(cwd, 'dist')),
      reports: readTree(path.join(cwd, 'reports')),
    });

    const [writing, aside, first] = await Promise.all([
      startPaused(K8S, [], { cwd: projects[0], env, pauseAt: SynthStep.WRITING }),
      startPaused(K8S, [], { cwd: projects[1], env, pauseAt: SynthStep.ASIDE }),
      startPaused(K8S, [], { cwd: projects[2], env, pauseAt: SynthStep.LOCKED }),
    ]);
    writing.child.kill('SIGTERM');
    aside.child.kill('SIGKILL');
    const second = await run(K8S, [], { cwd: projects[2], env });
    first.child.kill('SIGKILL');
    await Promise.all([writing.done, aside.done, first.done]);

    // Killed while writing: the previous output, untouched.
    expect(state(projects[0])).toEqual(before);
    // Killed between the renames of dist: dist is aside, reports untouched.
    expect(state(projects[1])).toEqual({ dist: undefined, reports: before.reports });
    // A second synth while the first holds the folders: one line naming the first, nothing written.
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^kubernetes: outdir dist is being written by another synth \\(kubernetes app, pid ${first.child.pid} on [^,]+, started [^)]+\\): wait for it to finish, or delete \\S+\\.dist\\.synth\\.lock if that process is gone\\n$`,
      ),
    );
    expect(state(projects[2])).toEqual(before);

    // The next synth recovers what the killed one left, then writes the new output. (The
    // recovery of the other cases is tested with a lighter synth in test/output.)
    const next = await run(K8S, [], { cwd: projects[1], env });
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/\n {2}recovered dist +put back from an interrupted synth\n/);
    expect(state(projects[1])).toEqual(after);
    expect([
      ...leftovers(path.join(projects[1], 'dist')),
      ...leftovers(path.join(projects[1], 'reports')),
    ]).toEqual([]);
  });

  test('Terraform: killed between its renames, put back by the next synth; what terraform init left in a stack is kept', async () => {
    const work = tmp();
    const config = changedPlatform(work);
    const init = {
      'stacks/infra/.terraform.lock.hcl': '# providers',
      'stacks/infra/.terraform/terraform.tfstate': '{}',
    };
    const outdir = path.join(work, 'cdktf.out');
    synthAzurePlatform({ configFile: path.join(ROOT, 'apps/platform.yaml'), outdir });
    for (const [f, text] of Object.entries(init)) {
      fs.mkdirSync(path.dirname(path.join(outdir, f)), { recursive: true });
      fs.writeFileSync(path.join(outdir, f), text);
    }
    const before = terraformTree(outdir);
    const afterDir = path.join(tmp(), 'cdktf.out');
    synthAzurePlatform({ configFile: config, outdir: afterDir });
    const after = { ...terraformTree(afterDir), ...init };
    expect(after).not.toEqual(before);

    const env = { PLATFORM_CONFIG: config };
    const aside = await startPaused(AZURE, [], { cwd: work, env, pauseAt: SynthStep.ASIDE });
    aside.child.kill('SIGKILL');
    await aside.done;
    expect(fs.existsSync(outdir)).toBe(false);
    expect(leftovers(outdir).filter((n) => n.includes('synth-old'))).toHaveLength(1);

    const next = await run(AZURE, [], { cwd: work, env });
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/\n {2}recovered cdktf\.out +put back from an interrupted synth\n/);
    expect(terraformTree(outdir)).toEqual(after);
    expect(leftovers(outdir)).toEqual([]);
    // cdktf wrote relative paths only: nothing names the staging folder it synthesized into.
    expect(JSON.stringify(readTree(outdir))).not.toMatch(/synth-new/);
    expect(JSON.parse(readTree(outdir)!['manifest.json']).stacks.infra.synthesizedStackPath).toBe(
      'stacks/infra/cdk.tf.json',
    );
    // The local state stays at the project root, whatever folder the stacks were synthesized in.
    const infra = JSON.parse(readTree(outdir)!['stacks/infra/cdk.tf.json']);
    expect(infra.terraform.backend.local.path).toBe('../../../terraform.infra.tfstate');
  });
});

test('every npm script, cdk8s.yaml and cdktf.json app that runs build/ builds it first; the apps without a type-check', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const commands: Record<string, string> = { ...pkg.scripts };
  commands['cdk8s.yaml app'] = /^app: (.*)$/m.exec(
    fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8'),
  )![1];
  commands['cdktf.json app'] = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app;
  const unbuilt = Object.entries(commands)
    .filter(([, cmd]) => {
      const firstRun = cmd.search(/node build\//);
      return (
        firstRun >= 0 && !/(npm run -s build|node scripts\/transpile\.js) &&/.test(cmd.slice(0, firstRun))
      );
    })
    .map(([name]) => name);
  expect(unbuilt).toEqual([]);
  // The synths bring build/ up to date by transpiling what changed, then run the app in the same
  // process: never a full tsc.
  const synths = ['synth', 'synth:kubernetes', 'synth:azure', 'cdk8s.yaml app', 'cdktf.json app'];
  expect(Object.fromEntries(synths.map((n) => [n, commands[n]]))).toEqual({
    synth: 'node scripts/transpile.js apps/synth',
    'synth:kubernetes': 'node scripts/transpile.js apps/kubernetes',
    'synth:azure': 'node scripts/transpile.js apps/azure',
    'cdk8s.yaml app': 'node scripts/transpile.js apps/kubernetes',
    'cdktf.json app': 'node scripts/transpile.js apps/azure',
  });
});
