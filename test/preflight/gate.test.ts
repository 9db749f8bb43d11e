// The folder check is a gate: whenever it cannot judge, it says why and fails.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { checkFolder } from '../../lib/preflight';
import { runPreflight, STACK_FRAME, type AppRun } from '../support/run-app';

const REFERENCE = { configFile: 'apps/platform.yaml', outputsFile: 'apps/platform-outputs.example.json' };

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A folder holding `files` (name → text). */
function folder(files: Record<string, string>): string {
  const dir = tmp('gate-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A pod controller that breaks the host-namespace and privileged controls. */
function privilegedJob(metadata: string): string {
  return `apiVersion: batch/v1
kind: Job
metadata: ${metadata}
spec:
  template:
    spec:
      hostPID: true
      restartPolicy: Never
      containers:
        - name: m
          image: busybox:1.36
          securityContext: { privileged: true }
`;
}

/** Times `text` occurs in `s`. */
function occurrences(s: string, text: string): number {
  return s.split(text).length - 1;
}

/** Exit 1, one message on stderr (once), no stack trace. */
function expectRefused(run: AppRun, reason: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.err).toMatch(reason);
  expect(run.err).not.toMatch(STACK_FRAME);
  expect(run.err.split('\n').filter((l) => /^preflight: /.test(l))).toHaveLength(1);
  expect(run.out).not.toMatch(reason);
}

let dist: string;
beforeAll(() => {
  // The platform's own output, as an application's CI would fetch it.
  dist = tmp('gate-dist-');
  synthKubernetesPlatform({ ...REFERENCE, outdir: dist, reportsDir: `${dist}-reports` });
});

describe('objects the API server creates are judged', () => {
  test('a privileged Job with generateName and no name is denied', () => {
    const app = folder({ 'job.yaml': privilegedJob('{ generateName: migrate-, namespace: dev-demo }') });
    const run = runPreflight(['--policies', dist, app]);
    // Each line points at the field: hostPID on line 7, privileged on line 12.
    expect(run.out).toMatch(
      /^DENY {2}disallow-host-namespaces: Job\/dev-demo\/migrate- \(.*job\.yaml:7:7\)/m,
    );
    expect(run.out).toMatch(
      /^DENY {2}disallow-privileged-containers: Job\/dev-demo\/migrate- \(.*job\.yaml:12:30\)/m,
    );
    expectRefused(run, /^preflight: \d+ violations of Enforce \(Deny\) policies; the cluster would reject /);
  });

  test('each violation is printed once: on stdout, and stderr only gives the exit reason', () => {
    const app = folder({ 'job.yaml': privilegedJob('{ name: migrate, namespace: dev-demo }') });
    const run = runPreflight(['--policies', dist, app]);
    const line = 'disallow-host-namespaces: Job/dev-demo/migrate';
    expect(occurrences(run.out + run.err, line)).toBe(1);
    expect(run.err.trim().split('\n')).toHaveLength(1);
    expect(run.err).toContain('(the DENY lines above)');
  });
});

describe('no policy to judge with is an error', () => {
  test('an empty --policies folder', () => {
    const run = runPreflight([
      '--policies',
      tmp('gate-none-'),
      folder({ 'job.yaml': privilegedJob('{ name: a }') }),
    ]);
    expectRefused(
      run,
      /preflight: --policies .* holds no ValidatingPolicy \(policies\.kyverno\.io\): there is nothing to judge/,
    );
    expect(run.out).toBe('');
  });

  test('a --policies folder of other objects (a failed download, the wrong folder)', () => {
    const wrong = folder({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n' });
    const run = runPreflight(['--policies', wrong, folder({ 'job.yaml': privilegedJob('{ name: a }') })]);
    expectRefused(run, /holds no ValidatingPolicy/);
  });
});

describe('what is not judged is listed, and judging nothing is an error', () => {
  test('documents that are not objects: each listed with its reason, and the run fails', () => {
    const app = folder({
      'odd.yaml':
        '- a list\n---\napiVersion: v1\nKind: ConfigMap\nmetadata: { name: x }\n---\n42\n---\nplain text\n',
    });
    const run = runPreflight(['--policies', dist, app]);
    expectRefused(run, /preflight: no object of .* was judged:/);
    expect(run.err).toContain('odd.yaml (document 1): a YAML list, not a Kubernetes object');
    expect(run.err).toContain('odd.yaml (document 2): no kind (keys are case-sensitive: found Kind)');
    expect(run.err).toContain('odd.yaml (document 3): the number 42, not a Kubernetes object');
    expect(run.err).toContain('odd.yaml (document 4): the string "plain text", not a Kubernetes object');
    expect(occurrences(run.err, 'document 2')).toBe(1);
  });

  test('an empty folder fails', () => {
    const run = runPreflight(['--policies', dist, tmp('gate-empty-')]);
    expectRefused(run, /no object of .* was judged: it holds no YAML or JSON manifest/);
  });

  test('an object without name or generateName is listed: the API server would refuse it', () => {
    const app = folder({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { namespace: dev-demo }\n' });
    const run = runPreflight(['--policies', dist, app]);
    expectRefused(
      run,
      /ConfigMap has no metadata\.name or metadata\.generateName: the API server would refuse it/,
    );
  });

  test('files that are plainly not Kubernetes (a CI workflow, Helm values) are skipped, listed once', () => {
    const app = folder({
      'ci.yaml': 'name: ci\non: [push]\njobs: { build: { runs-on: ubuntu-latest } }\n',
      'values.yaml': 'replicaCount: 2\nimage: { repository: nginx, tag: "1.27" }\n',
      'job.yaml': privilegedJob('{ name: ok, namespace: dev-demo }'),
    });
    const run = runPreflight(['--policies', dist, app]);
    expect(run.out).toMatch(/^SKIP {2}.*ci\.yaml: no document has an apiVersion or a kind: not Kubernetes$/m);
    expect(run.out).toMatch(
      /^SKIP {2}.*values\.yaml: no document has an apiVersion or a kind: not Kubernetes$/m,
    );
    expect(occurrences(run.out, 'ci.yaml')).toBe(1);
    expect(run.out).toMatch(/1 objects, 2 skipped: /);
    expect(run.code).toBe(1); // the Job is still judged (and denied)
  });

  test('objects in a namespace the policies exclude are listed as not judged, with the reason', () => {
    const app = folder({
      'sys.yaml': privilegedJob('{ name: sneaky, namespace: kube-system }'),
      'job.yaml': privilegedJob('{ name: ok, namespace: dev-demo }'),
    });
    const run = runPreflight(['--policies', dist, app]);
    expect(run.out).toMatch(
      /^SKIP {2}Job\/kube-system\/sneaky \(.*sys\.yaml:1:1\): not judged: namespace kube-system is excluded by the namespaceSelector of the \d+ policies that match Job$/m,
    );
    expect(run.out).toMatch(/2 objects, 1 not judged: /);
  });

  test('a folder whose every object is in an excluded namespace fails', () => {
    const app = folder({ 'sys.yaml': privilegedJob('{ name: sneaky, namespace: kube-system }') });
    const run = runPreflight(['--policies', dist, app]);
    expectRefused(
      run,
      /no object of .* was judged:\n {2}- Job\/kube-system\/sneaky .*: not judged: namespace kube-system is excluded/,
    );
  });

  test('gatekeeper-system is not excluded: the platform never runs Azure Policy', () => {
    const app = folder({ 'gk.yaml': privilegedJob('{ name: g, namespace: gatekeeper-system }') });
    const run = runPreflight(['--policies', dist, app]);
    expect(run.out).toMatch(/^DENY {2}disallow-host-namespaces: Job\/gatekeeper-system\/g /m);
    expect(run.code).toBe(1);
  });
});

describe('PolicyExceptions count only in the namespace Kyverno is configured for', () => {
  const exception = (namespace: string) => `apiVersion: policies.kyverno.io/v1
kind: PolicyException
metadata: { name: free-all, namespace: ${namespace} }
spec:
  policyRefs:
    - { name: disallow-host-namespaces, kind: ValidatingPolicy }
  matchConditions:
    - { name: all, expression: 'true' }
`;
  function policiesWith(namespace: string): string {
    const dir = tmp('gate-exc-');
    for (const f of fs.readdirSync(dist)) fs.copyFileSync(path.join(dist, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'exception.yaml'), exception(namespace));
    return dir;
  }
  const app = () => folder({ 'job.yaml': privilegedJob('{ name: m, namespace: dev-demo }') });

  test('--policies with exceptions needs --exception-namespace', () => {
    const run = runPreflight(['--policies', policiesWith('kyverno-exceptions'), app()]);
    expectRefused(
      run,
      /holds PolicyExceptions \(kyverno-exceptions\/free-all\), and Kyverno honours them only in the namespace it is configured for: give it \(--exception-namespace/,
    );
  });

  test('an exception in the configured namespace is honoured', () => {
    const run = runPreflight([
      '--policies',
      policiesWith('kyverno-exceptions'),
      '--exception-namespace',
      'kyverno-exceptions',
      app(),
    ]);
    expect(run.out).not.toMatch(/DENY {2}disallow-host-namespaces/);
    expect(run.out).toMatch(/DENY {2}disallow-privileged-containers/);
  });

  test('an exception elsewhere is ignored, as Kyverno ignores it, and listed', () => {
    const run = runPreflight([
      '--policies',
      policiesWith('dev-demo'),
      '--exception-namespace',
      'kyverno-exceptions',
      app(),
    ]);
    expect(run.out).toMatch(
      /^SKIP {2}PolicyException dev-demo\/free-all: outside the exception namespace, Kyverno ignores it$/m,
    );
    expect(run.out).toMatch(/^DENY {2}disallow-host-namespaces: Job\/dev-demo\/m /m);
  });

  test('with the platform file, its kyverno.exceptionNamespace applies', () => {
    const check = checkFolder({ target: app(), platform: REFERENCE });
    expect(check.ignoredExceptions).toEqual([]);
    expect(check.result.violations.map((v) => v.policy)).toContain('disallow-host-namespaces');
  });
});

describe('--reports never lands in what is read', () => {
  test('inside the checked folder: refused before anything is written', () => {
    const app = folder({ 'job.yaml': privilegedJob('{ name: ok, namespace: dev-demo }') });
    const run = runPreflight(['--policies', dist, '--reports', path.join(app, 'reports'), app]);
    expectRefused(
      run,
      /the reports folder .*reports is inside the checked folder .*: the reports would be read as manifests next time/,
    );
    expect(fs.existsSync(path.join(app, 'reports'))).toBe(false);
  });

  test('the checked folder itself, or the platform output, is refused too', () => {
    const app = folder({ 'job.yaml': privilegedJob('{ name: ok, namespace: dev-demo }') });
    expectRefused(runPreflight(['--policies', dist, '--reports', app, app]), /is inside the checked folder/);
    expectRefused(
      runPreflight(['--policies', dist, '--reports', path.join(dist, 'r'), app]),
      /is inside the platform's output \(--policies\)/,
    );
  });

  test('through a symbolic link too', () => {
    const app = folder({ 'job.yaml': privilegedJob('{ name: ok, namespace: dev-demo }') });
    const link = path.join(tmp('gate-link-'), 'app');
    fs.symlinkSync(app, link);
    expectRefused(
      runPreflight(['--policies', dist, '--reports', path.join(link, 'r'), app]),
      /is inside the checked folder/,
    );
  });
});
