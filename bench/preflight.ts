// Preflight cost against synth cost on a large platform: N tenants, each owned by an existing
// Entra group (objectId, so no outputs file is needed) and running one workload.
//
//   npm run -s build && node build/bench/preflight.js [tenants=1000] [runs=5]
//
// Each run builds the platform once, then times separately:
//   - preflight: what the preflight adds to the synth: rendering the charts to JSON, evaluating
//                every policy on every object, writing the PolicyReports;
//   - evaluate:  the evaluation alone (the part that grows with policies × objects);
//   - reports:   building and writing the PolicyReports alone;
//   - synth:     app.synth(), writing the YAML files.
// Medians are printed; the target is preflight ≤ synth.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { addKubernetesPlatform } from '../lib/kubernetes/platform';
import { Preflight, writePolicyReports } from '../lib/preflight';
import { groupKeysNeededByKubernetes, loadPlatformFile, resolveGroupObjectIds } from '../lib/spec';

const tenants = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);

function objectId(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** The reference platform with `count` tenants, each with one existing owner group and one workload. */
function platformFile(count: number): string {
  const reference = YAML.parse(fs.readFileSync('apps/platform.yaml', 'utf8'));
  const groups: Record<string, unknown> = {
    admins: { objectId: objectId(0) },
    tenants: { objectId: objectId(1) },
  };
  const tenantList: unknown[] = [];
  const workloads: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const name = `t${i}`;
    groups[`owner${i}`] = { objectId: objectId(i + 2) };
    tenantList.push({ name, owners: [`owner${i}`] });
    workloads.push({
      name: 'api',
      tenant: name,
      namespace: `${name}-apps`,
      image: 'nginxinc/nginx-unprivileged:1.27.3',
      port: 8080,
      replicas: 2,
    });
  }
  const spec = { ...reference, groups, admins: ['admins'], tenants: tenantList, workloads };
  const dir = path.join('.bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `platform-${count}.yaml`);
  fs.writeFileSync(file, YAML.stringify(spec));
  return file;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main(): void {
  const file = platformFile(tenants);
  const spec = loadPlatformFile(file);
  const ids = resolveGroupObjectIds(spec, groupKeysNeededByKubernetes(spec), undefined, undefined);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-preflight-'));
  const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reports-'));
  const times = {
    reports: [] as number[],
    build: [] as number[],
    preflight: [] as number[],
    evaluate: [] as number[],
    synth: [] as number[],
  };
  let objects = 0;
  let policies = 0;
  let results = 0;
  for (let run = 0; run < runs; run++) {
    let t = performance.now();
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    addKubernetesPlatform(app, spec, ids);
    times.build.push(performance.now() - t);

    t = performance.now();
    const manifests = app.charts.flatMap((c) => c.toJson());
    const e = performance.now();
    const preflight = new Preflight({ policies: manifests, objects: manifests });
    const result = preflight.evaluate();
    const r = performance.now();
    writePolicyReports(reportsDir, result.toPolicyReports());
    const end = performance.now();
    times.preflight.push(end - t);
    times.evaluate.push(r - e);
    times.reports.push(end - r);

    t = performance.now();
    app.synth();
    times.synth.push(performance.now() - t);

    objects = manifests.length;
    policies = preflight.policies.length;
    results = result.results.length;
    if (result.violations.length) console.log(`run ${run}: ${result.violations.length} Enforce violations`);
  }
  const ms = (xs: number[]): string => `${median(xs).toFixed(0)} ms`;
  console.log(
    `${tenants} tenants, ${objects} objects, ${policies} policies, ${results} results, ${runs} runs (medians)`,
  );
  console.log(`  build     ${ms(times.build)}  (constructs, not timed against the preflight)`);
  console.log(`  preflight ${ms(times.preflight)}  (render to JSON + evaluate + reports)`);
  console.log(`  evaluate  ${ms(times.evaluate)}`);
  console.log(`  reports   ${ms(times.reports)}`);
  console.log(`  synth     ${ms(times.synth)}  (app.synth: render + write YAML)`);
  console.log(`  preflight / synth = ${(median(times.preflight) / median(times.synth)).toFixed(2)}`);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(reportsDir, { recursive: true, force: true });
}

main();
