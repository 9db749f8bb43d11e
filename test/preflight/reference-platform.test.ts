import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { policyReportValidator } from './crd-schema';

const REFERENCE = { configFile: 'apps/platform.yaml', outputsFile: 'apps/platform-outputs.example.json' };

function synth(): { reports: Record<string, string> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-reference-'));
  const reportsDir = path.join(root, 'reports');
  synthKubernetesPlatform({ ...REFERENCE, outdir: path.join(root, 'dist'), reportsDir });
  const reports: Record<string, string> = {};
  for (const f of fs.readdirSync(reportsDir).sort())
    reports[f] = fs.readFileSync(path.join(reportsDir, f), 'utf8');
  return { reports };
}

describe('the reference platform under its own policies', () => {
  test('synthesizes (no Enforce violation), with valid, byte-identical reports across runs', () => {
    const first = synth().reports;
    expect(Object.keys(first)).toEqual(['policy-reports.yaml']);
    expect(synth().reports).toEqual(first);
    const validate = policyReportValidator();
    const docs = YAML.parseAllDocuments(first['policy-reports.yaml']).map((d) => d.toJS());
    expect(docs[0].kind).toBe('ClusterPolicyReport');
    for (const doc of docs) expect(validate(doc)).toEqual([]);
  });

  test('no result is an error: every emitted policy runs on the preflight engine', () => {
    const results = Object.values(synth().reports).flatMap((t) =>
      YAML.parseAllDocuments(t).flatMap((d) => d.toJS().results),
    );
    expect(results.filter((r: { result: string }) => r.result === 'error')).toEqual([]);
  });
});
