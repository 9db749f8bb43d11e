import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, Chart, type App } from 'cdk8s';
import * as YAML from 'yaml';
import { PreflightViolationError } from '../../lib/preflight';
import { PlatformError } from '../../lib/platform-file';
import { loadFresh } from '../support/fresh-module';
import { deployment, namespace, pinnedImages, podSpec, runAsNonRoot } from './fixtures';

// The policies and workloads of the platform come from other constructs; the synth is exercised
// here with fixture charts in their place, so each test decides what the platform emits.
let emitted: { policies: any[]; objects: any[] } = { policies: [], objects: [] };
const fixturePlatform = {
  addKubernetesPlatform: (app: App) => {
    const add = (id: string, manifests: any[]): Chart => {
      const chart = new Chart(app, id);
      manifests.forEach((m, i) => new ApiObject(chart, `o${i}`, m));
      return chart;
    };
    return {
      policies: add('kyverno-policies', emitted.policies),
      tenants: add(
        'tenants',
        emitted.objects.filter((o) => o.kind === 'Namespace'),
      ),
      workloads: add(
        'workloads',
        emitted.objects.filter((o) => o.kind !== 'Namespace'),
      ),
    };
  },
};

// A copy of the synth module that builds the fixture charts in place of the platform's.
const { synthKubernetesPlatform } = loadFresh<typeof import('../../lib/kubernetes/synth')>(
  path.resolve(__dirname, '../../lib/kubernetes/synth.ts'),
  { replaced: { [path.resolve(__dirname, '../../lib/kubernetes/platform.ts')]: fixturePlatform } },
);

const REFERENCE = { configFile: 'apps/platform.yaml', outputsFile: 'apps/platform-outputs.example.json' };

function dirs(): { outdir: string; reportsDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-synth-'));
  return { outdir: path.join(root, 'dist'), reportsDir: path.join(root, 'reports') };
}

function readReports(dir: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'policy-reports.yaml'), 'utf8')).map((d) =>
    d.toJS(),
  );
}

describe('the Kubernetes synth runs the preflight', () => {
  test('GIVEN an Enforce violation THEN the synth stops, names the workload and writes nothing', () => {
    emitted = {
      policies: [runAsNonRoot(['Deny'])],
      objects: [namespace('dev-demo'), deployment('demo-api', 'dev-demo', podSpec({ nonRoot: false }))],
    };
    const { outdir, reportsDir } = dirs();
    let thrown: unknown;
    try {
      synthKubernetesPlatform({ ...REFERENCE, outdir, reportsDir });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PreflightViolationError);
    expect(thrown).toBeInstanceOf(PlatformError); // printed without a stack trace
    expect((thrown as Error).message).toBe(
      '1 violation of Enforce (Deny) policies; nothing was written\n' +
        '  - require-run-as-non-root: Deployment/dev-demo/demo-api: Containers must set securityContext.runAsNonRoot to true.',
    );
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.existsSync(reportsDir)).toBe(false);
  });

  test('GIVEN an Audit violation THEN the YAML is written and the PolicyReport holds the failure', () => {
    emitted = {
      policies: [runAsNonRoot(['Deny']), pinnedImages(['Audit'])],
      objects: [
        namespace('dev-demo'),
        deployment('demo-api', 'dev-demo', podSpec({ image: 'nginx:latest' })),
      ],
    };
    const { outdir, reportsDir } = dirs();
    synthKubernetesPlatform({ ...REFERENCE, outdir, reportsDir });

    expect(fs.readdirSync(outdir).sort()).toEqual([
      'kyverno-policies.k8s.yaml',
      'tenants.k8s.yaml',
      'workloads.k8s.yaml',
    ]);
    expect(fs.readdirSync(reportsDir)).toEqual(['policy-reports.yaml']);
    expect(readReports(reportsDir).map((r) => r.kind)).toEqual(['ClusterPolicyReport', 'PolicyReport']);
    const report = readReports(reportsDir)[1];
    expect(report.kind).toBe('PolicyReport');
    expect(report.summary).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(report.results.find((r: any) => r.result === 'fail')).toMatchObject({
      policy: 'disallow-latest-tag',
      rule: 'validation',
      result: 'fail',
      message: 'disallow-latest-tag failed',
      resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo-api', namespace: 'dev-demo' }],
    });
  });

  test('GIVEN a compliant platform THEN the reports hold passes only', () => {
    emitted = {
      policies: [runAsNonRoot(['Deny']), pinnedImages(['Audit'])],
      objects: [namespace('dev-demo'), deployment('demo-api', 'dev-demo'), deployment('worker', 'dev-demo')],
    };
    const { outdir, reportsDir } = dirs();
    synthKubernetesPlatform({ ...REFERENCE, outdir, reportsDir });
    const results = readReports(reportsDir).flatMap((r) => r.results);
    expect(results).toHaveLength(4);
    expect(results.every((r: any) => r.result === 'pass')).toBe(true);
  });

  test('reports inside the output folder are refused (pipelines apply that folder)', () => {
    emitted = { policies: [], objects: [] };
    const { outdir } = dirs();
    expect(() =>
      synthKubernetesPlatform({ ...REFERENCE, outdir, reportsDir: path.join(outdir, 'reports') }),
    ).toThrow(/reportsDir: must be outside outdir/);
    expect(() => synthKubernetesPlatform({ ...REFERENCE, outdir, reportsDir: outdir })).toThrow(
      PlatformError,
    );
  });
});
