import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFolder, formatFolderCheck, readManifests } from '../../lib/preflight';
import { PlatformError } from '../../lib/platform-file';
import { runPreflight } from '../support/run-app';
import { policyReportValidator } from './crd-schema';

const FIXTURES = path.join(__dirname, 'fixtures');
const APP = path.join(FIXTURES, 'app');
const PLATFORM = path.join(FIXTURES, 'platform');

describe('checkFolder', () => {
  test('GIVEN an application folder THEN each object is judged against the platform policies', () => {
    const check = checkFolder({ target: APP, platformManifests: [PLATFORM] });
    expect(check.policyCount).toBe(2);
    expect(check.objectCount).toBe(4);
    const rel = (f?: string): string | undefined => f && path.relative(FIXTURES, f);
    expect(
      check.result.results.map((r) => [
        r.policy,
        `${r.resource.kind}/${r.resource.name}`,
        r.result,
        r.blocking,
        rel(r.source),
      ]),
    ).toEqual([
      ['disallow-latest-tag', 'Job/migrate', 'pass', false, 'app/jobs/outside-tenant.yaml'],
      ['disallow-latest-tag', 'CronJob/report', 'pass', false, 'app/jobs/report.yaml'],
      ['require-run-as-non-root', 'CronJob/report', 'fail', true, 'app/jobs/report.yaml'],
      ['disallow-latest-tag', 'Deployment/web', 'fail', false, 'app/web.yaml'],
      ['require-run-as-non-root', 'Deployment/web', 'pass', false, 'app/web.yaml'],
    ]);
    expect(check.result.violations.map((v) => v.resource.name)).toEqual(['report']);
  });

  test('the printed report: non-passes tagged with what the cluster would do, then the counts', () => {
    const text = formatFolderCheck(checkFolder({ target: APP, platformManifests: [PLATFORM] }));
    const lines = text.split('\n').map((l) => l.replace(FIXTURES + path.sep, ''));
    expect(lines).toEqual([
      'DENY  require-run-as-non-root: CronJob/dev-demo/report (app/jobs/report.yaml:11:9): Containers must set securityContext.runAsNonRoot to true.',
      'AUDIT disallow-latest-tag: Deployment/dev-demo/web (app/web.yaml:17:11): images must be pinned: nginxinc/nginx-unprivileged:latest',
      '2 policies, 4 objects: pass 3, fail 2, warn 0, error 0, skip 0; 1 would be denied',
    ]);
  });

  test('with a reports folder, the PolicyReports are written and valid', () => {
    const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'folder-reports-'));
    const check = checkFolder({ target: APP, platformManifests: [PLATFORM], reportsDir });
    expect(check.reportFiles.map((f) => path.basename(f))).toEqual(['policy-reports.yaml']);
    expect(check.result.toPolicyReports().map((r) => r.metadata.namespace ?? '')).toEqual([
      '',
      'dev-demo',
      'sandbox',
    ]);
    const validate = policyReportValidator();
    for (const r of check.result.toPolicyReports()) expect(validate(r)).toEqual([]);
  });

  test('unreadable input is a PlatformError naming the path', () => {
    expect(() => checkFolder({ target: path.join(FIXTURES, 'nope'), platformManifests: [PLATFORM] })).toThrow(
      PlatformError,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-yaml-'));
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'a: [1,\n');
    expect(() => readManifests(dir)).toThrow(
      new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/broken.yaml: not valid YAML`),
    );
  });

  test('List objects are unpacked and documents that are not objects are skipped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'list-'));
    fs.writeFileSync(
      path.join(dir, 'list.yaml'),
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n---\n---\n- just a list\n',
    );
    expect(readManifests(dir).manifests.map((m) => m.metadata.name)).toEqual(['a']);
  });
});

describe('the preflight command', () => {
  const runCommand = (args: string[]) => runPreflight(args);

  test('exits 1 on an Enforce violation: the DENY line on stdout, the reason for the exit code on stderr', () => {
    const { out, err, code } = runCommand(['--policies', PLATFORM, APP]);
    expect(code).toBe(1);
    expect(out).toContain('2 policies, 4 objects: pass 3, fail 2');
    expect(out).toContain('DENY  require-run-as-non-root: CronJob/dev-demo/report');
    expect(err).toMatch(
      /^preflight: 1 violation of Enforce \(Deny\) policies; the cluster would reject .*app \(the DENY lines above\)\n$/,
    );
  });

  test('exits 0 when only Audit policies fail', () => {
    const { out, code } = runCommand(['--policies', PLATFORM, path.join(APP, 'web.yaml')]);
    expect(code).toBe(0);
    expect(out).toContain('nothing would be denied');
  });

  test('the platform file is the default source of policies', () => {
    // The catalog is the platform's own; whatever it holds, the exit code follows the DENY lines.
    const { out, code } = runCommand([APP]);
    expect(out).toMatch(/^\d+ policies, 4 objects/m);
    expect(code).toBe(/^DENY /m.test(out) ? 1 : 0);
  });

  test('a usage error exits 1 with the usage', () => {
    const { err, code } = runCommand(['--bogus', APP]);
    expect(code).toBe(1);
    expect(err).toContain('usage: preflight');
    expect(runCommand([]).err).toContain('expected one folder, received 0');
  });
});
