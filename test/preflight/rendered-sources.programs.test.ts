// The check judges Kubernetes objects, not the sources they are rendered from: a kustomization or
// a Helm chart is named with the command that renders it, and its rendered output can be piped in.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { checkFolder, readManifests } from '../../lib/preflight';
import { readStandardInput } from '../../lib/preflight/stdin';
import { PlatformError } from '../../lib/platform-file';
import { compiled } from '../support/compiled';
import { runPreflight, spawnApp, STACK_FRAME } from '../support/run-app';

const ROOT = path.resolve(__dirname, '..', '..');
const VIOLATIONS = path.join(ROOT, 'test', 'preflight', 'fixtures', 'violations');

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rendered-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const WEB = fs.readFileSync(path.join(VIOLATIONS, 'web.yaml'), 'utf8');
const COMPLIANT_CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: dev-demo }\n';
const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "api.fullname" . }}
  labels:
    {{- include "api.labels" . | nindent 4 }}
`;

let dist: string;
beforeAll(() => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'rendered-dist-'));
  synthKubernetesPlatform({
    configFile: 'apps/platform.yaml',
    outputsFile: 'apps/platform-outputs.example.json',
    outdir: dist,
    reportsDir: `${dist}-reports`,
  });
});

describe('kustomize', () => {
  test('a folder with a kustomization is one source to render, its files are not read', () => {
    const app = folder({
      'overlays/prod/kustomization.yaml': 'namespace: dev-demo\nresources: [../../base]\n',
      'base/kustomization.yml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': WEB,
    });
    const set = readManifests(app);
    expect(set.manifests).toEqual([]);
    expect(set.skipped.map((s) => [path.relative(app, s.file), s.renderWith])).toEqual([
      ['base', `kustomize build ${path.join(app, 'base')}`],
      ['overlays/prod', `kustomize build ${path.join(app, 'overlays', 'prod')}`],
    ]);
  });

  test('the kustomization folder as the target: nothing judged, and the message says what to run', () => {
    const app = folder({ 'kustomization.yaml': 'resources: [web.yaml]\n', 'web.yaml': WEB });
    const run = runPreflight(['--policies', dist, app]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      `${app}: a kustomization, not manifests: check what \`kustomize build ${app}\` prints`,
    );
    expect(run.err).not.toMatch(STACK_FRAME);
  });

  test('a kustomize Kustomization object in a file of another name is not judged either', () => {
    const app = folder({
      'all.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [x.yaml]\n---\n${COMPLIANT_CM}`,
    });
    const set = readManifests(app);
    expect(set.manifests.map((m) => m.kind)).toEqual(['ConfigMap']);
    expect(set.skipped[0]).toMatchObject({ document: '1', renderWith: 'kustomize build' });
  });

  test("Flux's Kustomization is a Kubernetes object, and is judged", () => {
    const flux =
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: apps, namespace: flux-system }\nspec: { path: ./apps }\n';
    expect(readManifests(folder({ 'apps.yaml': flux })).manifests.map((m) => m.kind)).toEqual([
      'Kustomization',
    ]);
  });
});

describe('Helm', () => {
  test('a chart folder is one source to render; a template is named, not a YAML error', () => {
    const app = folder({
      'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\n',
      'chart/templates/deployment.yaml': TEMPLATE,
      'loose/deployment.yaml': TEMPLATE,
      'settings.yaml': COMPLIANT_CM,
    });
    const set = readManifests(app);
    expect(set.manifests.map((m) => m.metadata.name)).toEqual(['settings']);
    expect(set.skipped.map((s) => [path.relative(app, s.file), s.reason])).toEqual([
      [
        'chart',
        `a Helm chart (Chart.yaml), not manifests: check what \`helm template <release> ${path.join(app, 'chart')}\` renders, with the values the pipeline installs it with`,
      ],
      [
        'loose/deployment.yaml',
        'a template, not YAML (`{{ include "api.fullname" . }}` at line 4): check what `helm template` renders from its chart',
      ],
    ]);
  });

  test('a template whose actions read as YAML (`{{ x }}` is a map in a map) is caught too', () => {
    const app = folder({
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n',
    });
    expect(readManifests(app).skipped[0].reason).toMatch(
      /^a template, not YAML \(`\{\{ \.Release\.Name \}\}` at line 4\)/,
    );
  });

  test('valid YAML holding {{ }} in strings (an Argo workflow, an alert template) is judged as written', () => {
    const cm = `${COMPLIANT_CM}data:\n  alert.tmpl: '{{ .CommonLabels.alertname }}'\n`;
    expect(readManifests(folder({ 'cm.yaml': cm })).manifests).toHaveLength(1);
  });

  test('the rest is judged and reported; the run fails naming each source and the commands', () => {
    const app = folder({
      'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\n',
      'chart/templates/deployment.yaml': TEMPLATE,
      'settings.yaml': COMPLIANT_CM,
      'web.yaml': WEB.replace('privileged: true', 'privileged: false').replace(
        'busybox:latest',
        'busybox:1.36',
      ),
    });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rendered-out-'));
    const run = runPreflight(['--policies', dist, '--format', `sarif=${path.join(out, 'p.sarif')}`, app]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/nothing would be denied/);
    expect(run.err).toContain(
      'preflight: 1 source must be rendered before it can be checked; the rest was judged:',
    );
    expect(run.err).toContain(`  - ${path.join(app, 'chart')}: a Helm chart (Chart.yaml)`);
    expect(run.err).toMatch(/kustomize build <folder> \| cdk-aks-preflight --policies dist -; helm template/);
    expect(
      JSON.parse(fs.readFileSync(path.join(out, 'p.sarif'), 'utf8')).runs[0].invocations[0]
        .executionSuccessful,
    ).toBe(false);
  });
});

describe('standard input (-)', () => {
  test('rendered output piped in is judged, located at its line in the stream', () => {
    const run = spawnApp('preflight', ['--policies', dist, '-'], { input: `${COMPLIANT_CM}---\n${WEB}` });
    expect(run.err).toMatch(
      /^preflight: 2 violations of Enforce \(Deny\) policies; the cluster would reject -/m,
    );
    expect(run.out).toMatch(
      /^DENY {2}disallow-privileged-containers: Deployment\/dev-demo\/web \(<stdin>:42:13\)/m,
    );
    expect(run.code).toBe(1);
  });

  test('a terminal is refused: the check would wait for someone to type', () => {
    const cmd = [process.execPath, compiled('apps/preflight.ts'), '--policies', dist, '-']
      .map((a) => `'${a}'`)
      .join(' ');
    let output: string;
    try {
      output = execFileSync('script', ['-qec', cmd, '/dev/null'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60000,
      });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout);
    }
    expect(output).toMatch(/standard input \(-\), which is a terminal: pipe them in/);
  });

  test('past the size limit of one file: refused', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stdin-')), 'big');
    fs.writeFileSync(file, 'x'.repeat(2048));
    const fd = fs.openSync(file, 'r');
    try {
      expect(() => readStandardInput(1024, fd)).toThrow(
        new PlatformError(
          'standard input holds more than the limit of 1 KiB for one file of manifests: check the rendered output in parts',
        ),
      );
    } finally {
      fs.closeSync(fd);
    }
  });

  test('the check of standard input writes no report inside a folder it reads', () => {
    const check = () =>
      checkFolder({ target: '-', platformManifests: [dist], reportsDir: path.join(dist, 'r') });
    expect(check).toThrow(/is inside the platform's output \(--policies\)/);
  });
});

describe('--format', () => {
  const app = (): string => folder({ 'settings.yaml': COMPLIANT_CM, 'web.yaml': WEB });

  test.each([
    [
      'xml=out.xml',
      /--format "xml=out.xml": "xml" is not a format; expected <format>=<file> with a format among sarif, junit, markdown/,
    ],
    ['sarif', /--format "sarif": no file to write the sarif report to; expected sarif=<file>/],
    ['junit=', /--format "junit=": no file to write the junit report to/],
  ])('%s is refused, naming the value', (value, message) => {
    const run = runPreflight(['--policies', dist, '--format', value, app()]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(message);
    expect(run.err).not.toMatch(STACK_FRAME);
  });

  test('two formats into one file are refused before anything is written', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fmt-')), 'r');
    const run = runPreflight([
      '--policies',
      dist,
      '--format',
      `sarif=${out}`,
      '--format',
      `junit=${out}`,
      app(),
    ]);
    expect(run.err).toContain(
      `preflight: --format sarif=${out} and --format junit=${out} name the same file`,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a report inside the checked folder is refused: it would be read next time', () => {
    const dir = app();
    const run = runPreflight([
      '--policies',
      dist,
      '--format',
      `markdown=${path.join(dir, 'summary.md')}`,
      dir,
    ]);
    expect(run.err).toMatch(/the markdown report .*summary\.md is inside the checked folder/);
    expect(fs.existsSync(path.join(dir, 'summary.md'))).toBe(false);
  });

  test('a folder as the file is refused', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fmt-dir-'));
    const run = runPreflight(['--policies', dist, '--format', `junit=${out}`, app()]);
    expect(run.err).toContain(`preflight: --format junit=${out}: ${out} is a folder, not a file`);
  });

  test('an existing file is replaced whole, and the files are named on stdout', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fmt-')), 'summary.md');
    fs.writeFileSync(out, 'x'.repeat(100_000));
    const run = runPreflight(['--policies', dist, '--format', `markdown=${out}`, app()]);
    expect(run.out).toContain(`wrote ${out}\n`);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^### Preflight: 2 violations the cluster would deny\n/);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['summary.md']);
  });
});
