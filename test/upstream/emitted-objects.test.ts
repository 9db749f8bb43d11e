// Every kind of object the library writes is checked against the upstream API that will receive
// it: custom resources against their vendored CRD (vendor/), core kinds against kubernetes-models.
// The kinds are found in the sources, so a new kind without a schema or a producer here fails.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildApplication } from '../../examples/app-team/main';
import { buildPlatform } from '../../examples/platform-repo/main';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { Preflight } from '../../lib/preflight';
import { validatePlatform } from '../../lib/platform-file';
import {
  richPlatform,
  synthPlatform,
  REFERENCE_OUTPUTS,
  REFERENCE_PLATFORM,
} from '../kubernetes/workloads/fixtures';
import { customResourceErrors, findCrd, validateWithKubernetesModels } from './schemas';

const ROOT = path.resolve(__dirname, '../..');

function yamlObjects(dir: string): any[] {
  return fs
    .readdirSync(dir)
    .sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON()));
}

function referencePlatform(): any[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'upstream-reference-'));
  const outdir = path.join(root, 'dist');
  const reportsDir = path.join(root, 'reports');
  synthKubernetesPlatform({
    configFile: REFERENCE_PLATFORM,
    outputsFile: REFERENCE_OUTPUTS,
    outdir,
    reportsDir,
  });
  return [...yamlObjects(outdir), ...yamlObjects(reportsDir)];
}

/** Every platform-file option, with the given policy API, and the preflight's reports on it. */
function everyOption(policyApi: string): any[] {
  const p = richPlatform();
  p.kyverno = {
    ...p.kyverno,
    policyApi,
    imageVerification: {
      images: ['ghcr.io/example/*'],
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'https://github.com/example/api/.github/workflows/release.yaml@refs/heads/main',
      action: 'Audit',
    },
    exceptions: [
      {
        name: 'cache-root',
        policies: ['require-run-as-nonroot'],
        namespace: 'dev-demo',
        workloads: ['cache'],
        reason: 'the image needs root until the next release',
        ...(policyApi === 'policies.kyverno.io/v1' ? { expiresAt: '2030-01-01T00:00:00Z' } : {}),
      },
    ],
  };
  const objects = synthPlatform(validatePlatform(p, `platform with ${policyApi}`));
  const reports = new Preflight({ policies: objects, objects, evaluationTime: '2026-01-01T00:00:00Z' })
    .evaluate()
    .toPolicyReports();
  return [...objects, ...reports];
}

function examples(): any[] {
  const groups = {
    admins: '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13',
    payments: 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58',
    search: 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02',
  };
  return [
    ...Testing.synth(buildPlatform(Testing.app(), groups)),
    ...Testing.synth(buildApplication(Testing.app())),
  ];
}

/** `kind` of every object literal in the sources that write objects (the constructs, the reports). */
function kindsInSources(): string[] {
  const kinds = new Set<string>();
  const walk = (p: string) => {
    if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    else if (p.endsWith('.ts'))
      for (const m of fs.readFileSync(p, 'utf8').matchAll(/\b(?:kind: |report\()'([A-Z]\w+)'/g))
        kinds.add(m[1]);
  };
  walk(path.join(ROOT, 'lib/kubernetes'));
  walk(path.join(ROOT, 'lib/preflight/report.ts'));
  // Subject and reference kinds, not objects.
  for (const k of ['Group', 'User', 'ServiceAccount']) kinds.delete(k);
  return [...kinds].sort();
}

describe('every emitted object against the upstream API that receives it', () => {
  const sources: Record<string, any[]> = {
    'the reference platform (dist and reports)': referencePlatform(),
    'every platform-file option, policies.kyverno.io/v1': everyOption('policies.kyverno.io/v1'),
    'every platform-file option, kyverno.io/v1 (legacy)': everyOption('kyverno.io/v1'),
    'the examples': examples(),
  };
  // What Capsule copies into every tenant namespace is validated like the rest.
  const replicated = Object.values(sources)
    .flat()
    .filter((o) => o.kind === 'GlobalTenantResource')
    .flatMap((g) => g.spec.resources.flatMap((r: any) => r.rawItems ?? []));
  const all = [...Object.values(sources).flat(), ...replicated];
  const custom = all.filter((o) => findCrd(o.apiVersion, o.kind));
  const core = validateWithKubernetesModels(all.filter((o) => !findCrd(o.apiVersion, o.kind)));

  test.each(Object.keys(sources))('%s: custom resources match their vendored CRD', (source) => {
    expect(customResourceErrors(sources[source])).toEqual([]);
  });

  test('core objects match kubernetes-models, and no object is left without a schema', () => {
    expect(core.errors).toEqual([]);
    expect([...new Set(core.unknown)]).toEqual([]);
    expect(core.checked.length + custom.length).toBe(all.length);
  });

  test('every kind the sources emit is produced above, so none escapes the check', () => {
    const produced = new Set(all.map((o) => o.kind));
    expect(kindsInSources().filter((k) => !produced.has(k))).toEqual([]);
  });

  test('every custom resource kind the library emits has its CRD vendored', () => {
    const kinds = [...new Set(custom.map((o) => `${o.apiVersion} ${o.kind}`))].sort();
    expect(kinds).toEqual([
      'capsule.clastix.io/v1beta2 GlobalResourceQuota',
      'capsule.clastix.io/v1beta2 GlobalTenantResource',
      'capsule.clastix.io/v1beta2 Tenant',
      'kyverno.io/v1 ClusterPolicy',
      'kyverno.io/v2 PolicyException',
      'policies.kyverno.io/v1 GeneratingPolicy',
      'policies.kyverno.io/v1 ImageValidatingPolicy',
      'policies.kyverno.io/v1 PolicyException',
      'policies.kyverno.io/v1 ValidatingPolicy',
      'secrets-store.csi.x-k8s.io/v1 SecretProviderClass',
      'wgpolicyk8s.io/v1alpha2 ClusterPolicyReport',
      'wgpolicyk8s.io/v1alpha2 PolicyReport',
    ]);
  });
});
