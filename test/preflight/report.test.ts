import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { Preflight, policyReports, POLICY_REPORT_SOURCE, writePolicyReports } from '../../lib/preflight';
import { policyReportValidator } from './crd-schema';
import { deployment, namespace, pinnedImages, podSpec, policy, runAsNonRoot } from './fixtures';

function mixedRun(): ReturnType<Preflight['evaluate']> {
  return new Preflight({
    policies: [
      runAsNonRoot(['Audit']),
      pinnedImages(['Audit']),
      policy('namespaces-labelled', 'has(object.metadata.labels.team)', { resources: ['namespaces'] }),
    ],
    objects: [
      namespace('team-b', { team: 'b' }),
      namespace('unlabelled'),
      deployment('web', 'team-b', podSpec({ image: 'nginx:latest' })),
      deployment('api', 'team-a', podSpec({ nonRoot: false })),
      deployment('ok', 'team-a'),
    ],
  }).evaluate();
}

describe('policyReports', () => {
  test('GIVEN Audit failures THEN one PolicyReport per namespace and a ClusterPolicyReport, with the right entries', () => {
    const reports = mixedRun().toPolicyReports();
    expect(reports.map((r) => `${r.kind} ${r.metadata.namespace ?? '-'} ${r.metadata.name}`)).toEqual([
      'ClusterPolicyReport - preflight',
      'PolicyReport team-a preflight',
      'PolicyReport team-b preflight',
    ]);
    const [cluster, teamA, teamB] = reports;
    expect(cluster.summary).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(teamA.summary).toEqual({ pass: 3, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(teamB.summary).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });

    const failure = teamA.results.find((r: any) => r.result === 'fail');
    expect(failure).toEqual({
      policy: 'require-run-as-non-root',
      rule: 'validation',
      result: 'fail',
      scored: true,
      source: POLICY_REPORT_SOURCE,
      message: 'Containers must set securityContext.runAsNonRoot to true.',
      severity: 'medium',
      category: 'Pod Security Standards (Restricted)',
      resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'team-a' }],
      properties: { validationActions: 'Audit' },
    });
    expect(cluster.results.find((r: any) => r.result === 'fail').resources).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', name: 'unlabelled' },
    ]);
    // Sorted by policy then object, whatever the input order.
    expect(teamA.results.map((r: any) => `${r.policy} ${r.resources[0].name}`)).toEqual([
      'disallow-latest-tag api',
      'disallow-latest-tag ok',
      'require-run-as-non-root api',
      'require-run-as-non-root ok',
    ]);
    expect(reports).toMatchSnapshot();
  });

  test('every report is valid against the upstream wgpolicyk8s.io CRDs and carries no timestamp', () => {
    const validate = policyReportValidator();
    for (const r of [...mixedRun().toPolicyReports(), ...policyReports([])]) {
      expect(validate(r)).toEqual([]);
      for (const result of r.results) expect(result.timestamp).toBeUndefined();
    }
  });

  test('no results still gives an empty ClusterPolicyReport', () => {
    expect(policyReports([])).toEqual([
      {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'ClusterPolicyReport',
        metadata: { name: 'preflight', labels: { 'app.kubernetes.io/managed-by': 'cdk-aks-platform' } },
        results: [],
        summary: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 },
      },
    ]);
  });
});

describe('writePolicyReports', () => {
  test('writes every report into one file, byte-identical across runs, replacing the earlier run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-'));
    fs.writeFileSync(path.join(dir, 'policy-reports.yaml'), 'stale');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    const files = writePolicyReports(dir, mixedRun().toPolicyReports());
    expect(files).toEqual([path.join(dir, 'policy-reports.yaml')]);
    expect(fs.readdirSync(dir).sort()).toEqual(['notes.txt', 'policy-reports.yaml']);
    const first = fs.readFileSync(files[0], 'utf8');
    writePolicyReports(dir, mixedRun().toPolicyReports());
    expect(fs.readFileSync(files[0], 'utf8')).toBe(first);
    const docs = YAML.parseAllDocuments(first).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}`)).toEqual([
      'ClusterPolicyReport/',
      'PolicyReport/team-a',
      'PolicyReport/team-b',
    ]);
    expect(docs[1].metadata).toEqual({
      name: 'preflight',
      namespace: 'team-a',
      labels: { 'app.kubernetes.io/managed-by': 'cdk-aks-platform' },
    });
  });
});
