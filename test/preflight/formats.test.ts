// The folder check's reports where CI systems show them: SARIF, JUnit and Markdown, each checked
// against its published schema and for what a developer needs: which file and line broke which
// control.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { checkFolder, ReportFormat, type FolderCheck } from '../../lib/preflight';
import { junitErrors, sarifValidator } from './report-schemas';

const ROOT = path.resolve(__dirname, '..', '..');
const VIOLATIONS = path.join('test', 'preflight', 'fixtures', 'violations');
const TIME = '2030-01-02T03:04:05Z';

/** The fixtures' violations: policy, object, file (relative to the repository) and line:column. */
const EXPECTED = [
  [
    'disallow-host-namespaces',
    'Job/dev-demo/migrate',
    'jobs/migrate.yaml',
    11,
    7,
    'spec.template.spec.hostPID',
  ],
  ['disallow-host-namespaces', 'Pod/dev-demo/debug', 'pods.json', 14, 9, 'spec.hostNetwork'],
  ['require-probes', 'Pod/dev-demo/debug', 'pods.json', 22, 11, 'spec.containers[0]'],
  [
    'disallow-latest-tag',
    'Deployment/dev-demo/web',
    'web.yaml',
    33,
    11,
    'spec.template.spec.containers[1].image',
  ],
  [
    'disallow-privileged-containers',
    'Deployment/dev-demo/web',
    'web.yaml',
    38,
    13,
    'spec.template.spec.containers[1].securityContext.privileged',
  ],
] as const;

let dist: string;
let out: string;
let check: FolderCheck;
const read = (name: string): string => fs.readFileSync(path.join(out, name), 'utf8');

function run(outDir: string): FolderCheck {
  return checkFolder({
    target: VIOLATIONS,
    platformManifests: [dist],
    evaluationTime: TIME,
    sourceRoot: ROOT,
    reports: [
      { format: ReportFormat.SARIF, file: path.join(outDir, 'preflight.sarif') },
      { format: ReportFormat.JUNIT, file: path.join(outDir, 'junit.xml') },
      { format: ReportFormat.MARKDOWN, file: path.join(outDir, 'summary.md') },
    ],
  });
}

beforeAll(() => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'formats-dist-'));
  synthKubernetesPlatform({
    configFile: 'apps/platform.yaml',
    outputsFile: 'apps/platform-outputs.example.json',
    outdir: dist,
    reportsDir: `${dist}-reports`,
  });
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'formats-out-'));
  check = run(out);
});

test('every result knows its file, document, line and column; failures point at their field', () => {
  const failed = check.result.results.filter((r) => r.result === 'fail');
  expect(
    failed.map((r) => [
      r.policy,
      `${r.resource.kind}/${r.resource.namespace}/${r.resource.name}`,
      path.relative(VIOLATIONS, r.location!.file),
      r.field!.line,
      r.field!.column,
      r.field!.path,
    ]),
  ).toEqual(EXPECTED);
  // The object itself: its first key, its document; inside a List, the item.
  const web = check.result.results.find((r) => r.resource.name === 'web' && r.resource.kind === 'Service')!;
  expect(web.location).toEqual({ file: path.join(VIOLATIONS, 'web.yaml'), document: 2, line: 43, column: 1 });
  const debug = failed.find((r) => r.resource.name === 'debug')!;
  expect(debug.location).toEqual({
    file: path.join(VIOLATIONS, 'pods.json'),
    document: 1,
    item: 'items[0]',
    line: 5,
    column: 5,
  });
  expect(check.result.results.filter((r) => r.result === 'pass').every((r) => r.field === undefined)).toBe(
    true,
  );
});

describe('SARIF', () => {
  test('valid against the published SARIF 2.1.0 schema', () => {
    expect(sarifValidator()(JSON.parse(read('preflight.sarif')))).toEqual([]);
  });

  test('the validator is not blind: a line 0 and an unknown property are refused', () => {
    const log = JSON.parse(read('preflight.sarif'));
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    log.runs[0].results[0].file = 'x';
    const errors = sarifValidator()(log).join('\n');
    expect(errors).toMatch(/startLine must be >= 1/);
    expect(errors).toMatch(/must NOT have additional properties/);
  });

  test('one result per violation, at its file and line, relative to the source root', () => {
    const log = JSON.parse(read('preflight.sarif'));
    const [runLog] = log.runs;
    expect(log.version).toBe('2.1.0');
    expect(runLog.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${ROOT}/`);
    expect(
      runLog.results.map((r: any) => {
        const p = r.locations[0].physicalLocation;
        return [
          r.ruleId,
          r.message.text.split(':')[0],
          p.artifactLocation.uri,
          p.region.startLine,
          p.region.startColumn,
          r.properties.field,
        ];
      }),
    ).toEqual(EXPECTED.map(([p, o, f, l, c, field]) => [p, o, `${VIOLATIONS}/${f}`, l, c, field]));
    for (const r of runLog.results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(r.level).toBe('error');
      expect(runLog.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      // The object's own line, for a result that points at a field.
      expect(r.relatedLocations[0].physicalLocation.region.startLine).toBeLessThan(
        r.locations[0].physicalLocation.region.startLine,
      );
    }
  });

  test('rules come from the policies: title, description, help, severity', () => {
    const rules = JSON.parse(read('preflight.sarif')).runs[0].tool.driver.rules;
    expect(rules).toHaveLength(check.policyCount);
    const privileged = rules.find((r: any) => r.id === 'disallow-privileged-containers');
    expect(privileged.shortDescription.text).toBe('Disallow Privileged Containers');
    expect(privileged.fullDescription.text).toMatch(/privileged/i);
    expect(privileged.help.text).toMatch(/Containers must not set securityContext.privileged to true/);
    expect(privileged.help.text).toMatch(/Deny: the cluster rejects/);
    expect(privileged.defaultConfiguration.level).toBe('error');
    expect(privileged.properties['security-severity']).toBe('8.0');
    const tier = rules.find((r: any) => r.id === 'restrict-app-tier-label');
    expect(tier.defaultConfiguration.level).toBe('warning');
  });
});

describe('JUnit', () => {
  test('valid against the Ant JUnit XSD', async () => {
    expect(await junitErrors(read('junit.xml'))).toEqual([]);
  });

  test('one test case per object × policy, one failure per violation, with file and line', () => {
    const xml = read('junit.xml');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(check.result.results.length);
    const failures = [
      ...xml.matchAll(
        /<testcase name="([^"]+)" classname="([^"]+)"[^>]*>\s*<failure type="(\w+)" message="[^"]*">([^\n]*)/g,
      ),
    ];
    expect(failures.map((m) => [m[1], m[2], m[3], m[4]])).toEqual(
      EXPECTED.map(([p, o, f, l, c, field]) => [
        p,
        o,
        'Deny',
        `${path.join(VIOLATIONS, f)}:${l}:${c} (${field})`,
      ]),
    );
    expect(xml).toContain(`timestamp="2030-01-02T03:04:05"`);
  });

  test('a broken schema check is caught: the validator is not blind', async () => {
    const broken = read('junit.xml').replace(/ hostname="localhost"/, '');
    expect((await junitErrors(broken)).join('\n')).toMatch(/hostname/);
  });
});

describe('Markdown', () => {
  test('a headline, the counts, a table per policy and the failures with where they are', () => {
    const md = read('summary.md');
    const lines = md.split('\n');
    expect(lines[0]).toBe('### Preflight: 5 violations the cluster would deny');
    expect(md).toContain(
      `${check.policyCount} policies, 4 objects: 70 passed, 5 failed, 0 warned, 0 errors, 0 excepted.`,
    );
    expect(md).toContain('| `disallow-privileged-containers` | Deny | high | 2 | **1** |');
    const rows = lines.filter((l) => l.startsWith('| DENY |'));
    expect(rows).toHaveLength(5);
    expect(rows).toContain(
      `| DENY | \`disallow-privileged-containers\` | \`Deployment/dev-demo/web\` | \`${VIOLATIONS}/web.yaml:38:13\` | Containers must not set securityContext.privileged to true. Containers: sidecar |`,
    );
  });
});

test('same input and time, byte-identical reports', () => {
  const again = fs.mkdtempSync(path.join(os.tmpdir(), 'formats-again-'));
  run(again);
  for (const f of ['preflight.sarif', 'junit.xml', 'summary.md'])
    expect(fs.readFileSync(path.join(again, f), 'utf8')).toBe(read(f));
});

describe('a run with every kind of entry', () => {
  function mixedFolder(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'formats-mixed-'));
    const write = (name: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    };
    // A container name with characters XML and Markdown must escape, and a control character.
    write(
      'app.yaml',
      fs
        .readFileSync(path.join(VIOLATIONS, 'web.yaml'), 'utf8')
        .replace('name: sidecar', 'name: "side<car>&|`x`\\x01"'),
    );
    write(
      'system.yaml',
      fs
        .readFileSync(path.join(VIOLATIONS, 'jobs', 'migrate.yaml'), 'utf8')
        .replace('dev-demo', 'kube-system'),
    );
    write(
      'list.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok, namespace: dev-demo }\n---\n- not an object\n',
    );
    write('base/kustomization.yaml', 'resources: [deployment.yaml]\n');
    write('base/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: raw }\n');
    write('chart/Chart.yaml', 'apiVersion: v2\nname: api\nversion: 1.0.0\n');
    write('chart/templates/deployment.yaml', 'metadata:\n  name: {{ .Release.Name }}\n');
    write('loose-template.yaml', '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n');
    return dir;
  }

  let mixed: FolderCheck;
  let mixedOut: string;
  beforeAll(() => {
    mixedOut = fs.mkdtempSync(path.join(os.tmpdir(), 'formats-mixed-out-'));
    mixed = checkFolder({
      target: mixedFolder(),
      platformManifests: [dist],
      evaluationTime: TIME,
      reports: [
        { format: ReportFormat.SARIF, file: path.join(mixedOut, 'p.sarif') },
        { format: ReportFormat.JUNIT, file: path.join(mixedOut, 'p.xml') },
        { format: ReportFormat.MARKDOWN, file: path.join(mixedOut, 'p.md') },
      ],
    });
  });
  const text = (f: string) => fs.readFileSync(path.join(mixedOut, f), 'utf8');

  test('sources to render are listed with the command, the rest is judged', () => {
    expect(mixed.unrendered.map((s) => [path.basename(s.file), s.renderWith?.split(' ')[0]])).toEqual([
      ['base', 'kustomize'],
      ['chart', 'helm'],
      ['loose-template.yaml', 'helm'],
    ]);
    expect(mixed.result.violations.length).toBeGreaterThan(0);
  });

  test('SARIF: valid; what was not judged is in notifications; the run did not succeed', () => {
    const log = JSON.parse(text('p.sarif'));
    expect(sarifValidator()(log)).toEqual([]);
    const [inv] = log.runs[0].invocations;
    expect(inv.executionSuccessful).toBe(false);
    const notes = inv.toolExecutionNotifications.map((n: any) => `${n.level} ${n.message.text}`);
    expect(notes.filter((n: string) => n.startsWith('error '))).toHaveLength(3);
    expect(notes.join('\n')).toMatch(/Job\/kube-system\/migrate: not judged/);
    expect(notes.join('\n')).toMatch(/a YAML list, not a Kubernetes object/);
  });

  test('JUnit: valid, escaped, sources to render are errors, not-judged objects skipped', async () => {
    const xml = text('p.xml');
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml).toContain('side&lt;car&gt;&amp;|`x`\uFFFD');
    expect((xml.match(/<error type="NotRendered"/g) ?? []).length).toBe(3);
    expect(xml).toMatch(
      /<testcase name="not judged" classname="Job\/kube-system\/migrate" time="0">\s*<skipped /,
    );
  });

  test('Markdown: escaped table cells; sources to render listed first under Not checked', () => {
    const md = text('p.md');
    expect(md).toContain('side&lt;car&gt;&amp;\\|\\`x\\`');
    const notChecked = md
      .slice(md.indexOf('#### Not checked'))
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(notChecked.slice(0, 3).every((l) => l.startsWith('- **render first**'))).toBe(true);
    expect(md).toMatch(/kustomize build .*base/);
  });
});
