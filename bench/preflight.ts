// Two measures of the preflight.
//
// 1. Preflight cost against synth cost on a large platform: N tenants, each owned by an existing
//    Entra group (objectId, so no outputs file is needed) and running one workload.
//
//      npm run -s build && node build/bench/preflight.js platform [tenants=1000] [runs=5]
//
// 2. The folder check is linear in the objects of one namespace: the same check (the reference
//    platform's policies, PolicyReports written) on 1,000 then 2,000 Deployments in one
//    namespace; the target is 2,000 objects ≤ 2.2 × 1,000 objects.
//
//      npm run -s build && node build/bench/preflight.js folder [objects=1000,2000] [runs=5]
//
// 3. What the report formats add to the folder check at 8,000 objects (4,000 Deployments, each
//    with its Service, in one namespace; every other Deployment without probes, so 2,000
//    violations to locate and report; about 5 MB of YAML, within the 8 MiB limit): the check
//    with its printed text, against the same check also writing SARIF, JUnit and Markdown; the
//    target is at most 1.2×.
//
//      npm run -s build && node build/bench/preflight.js formats [objects=8000] [runs=5]
//
// Without arguments (`npm run bench:preflight`), all three run with their defaults.
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
import { synthKubernetesPlatform } from '../lib/kubernetes/synth';
import {
  checkFolder,
  formatFolderCheck,
  Preflight,
  renderReport,
  ReportFormat,
  writePolicyReports,
} from '../lib/preflight';
import { readYaml } from '../lib/platform-file/yaml';
import { groupKeysNeededByKubernetes, loadPlatformFile, resolveGroupObjectIds } from '../lib/platform-file';

const mode = process.argv[2];

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
  // The reference's vault belongs to its dev tenant, which the generated platform does not have.
  const spec = { ...reference, groups, admins: ['admins'], tenants: tenantList, workloads, keyVaults: {} };
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

function platformBench(tenants: number, runs: number): void {
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

/**
 * `count` Deployments in one namespace, 100 to a file, every other one missing its probes; with
 * `services`, each followed by its Service (then `count` objects are half Deployments).
 */
function applicationFolder(count: number, services = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-app-${count}-`));
  for (let f = 0; f * 100 < count; f++) {
    const docs: string[] = [];
    for (let i = f * 100; i < Math.min(count, (f + 1) * 100); i++) {
      const probes =
        i % 2 === 0
          ? { readinessProbe: { tcpSocket: { port: 8080 } }, livenessProbe: { tcpSocket: { port: 8080 } } }
          : {};
      docs.push(
        YAML.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: `app-${i}`,
            namespace: 'dev-demo',
            labels: { 'app.kubernetes.io/name': `app-${i}` },
          },
          spec: {
            replicas: 2,
            selector: { matchLabels: { 'app.kubernetes.io/name': `app-${i}` } },
            template: {
              metadata: {
                labels: { 'app.kubernetes.io/name': `app-${i}`, 'app.kubernetes.io/tier': 'backend' },
              },
              spec: {
                automountServiceAccountToken: false,
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 10001,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [
                  {
                    name: 'app',
                    image: 'nginxinc/nginx-unprivileged:1.27.3',
                    ports: [{ containerPort: 8080 }],
                    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                    ...probes,
                  },
                ],
              },
            },
          },
        }),
      );
    }
    if (services)
      for (let k = docs.length - 1; k >= 0; k--) {
        const i = f * 100 + k;
        docs.splice(
          k + 1,
          0,
          YAML.stringify({
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: `app-${i}`, namespace: 'dev-demo' },
            spec: {
              selector: { 'app.kubernetes.io/name': `app-${i}` },
              ports: [{ port: 80, targetPort: 8080 }],
            },
          }),
        );
      }
    fs.writeFileSync(path.join(dir, `apps-${String(f).padStart(3, '0')}.yaml`), docs.join('---\n'));
  }
  return dir;
}

function folderBench(counts: number[], runs: number): void {
  // The platform's output, as an application's CI would fetch it.
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dist-'));
  synthKubernetesPlatform({
    configFile: 'apps/platform.yaml',
    outputsFile: 'apps/platform-outputs.example.json',
    outdir: dist,
    reportsDir: `${dist}-reports`,
  });
  const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-folder-reports-'));
  const targets = new Map(counts.map((count) => [count, applicationFolder(count)]));
  const times = new Map(counts.map((count) => [count, [] as number[]]));
  const results = new Map<number, number>();
  // Rounds alternate the sizes, so that a change of load on the machine weighs on each alike.
  for (let run = -1; run < runs; run++) {
    for (const count of counts) {
      const t = performance.now();
      const check = checkFolder({ target: targets.get(count)!, platformManifests: [dist], reportsDir });
      if (run >= 0) times.get(count)!.push(performance.now() - t); // round -1 warms up
      results.set(count, check.result.results.length);
    }
  }
  const medians = new Map(counts.map((count) => [count, median(times.get(count)!)]));
  for (const count of counts) {
    console.log(
      `  ${String(count).padStart(5)} objects in one namespace, ${results.get(count)} results, reports written: ${medians.get(count)!.toFixed(0)} ms (median of ${runs})`,
    );
    fs.rmSync(targets.get(count)!, { recursive: true, force: true });
  }
  for (let i = 1; i < counts.length; i++) {
    const ratio = medians.get(counts[i])! / medians.get(counts[i - 1])!;
    const size = counts[i] / counts[i - 1];
    console.log(
      `  ${counts[i]} / ${counts[i - 1]} objects: ${ratio.toFixed(2)}× (linear: ${size.toFixed(1)}×; target ≤ ${(size * 1.1).toFixed(1)}×)`,
    );
  }

  // The duplicate-key check of YAML: the `yaml` library's own took 105 s on this ConfigMap.
  const keys = 80000;
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big }\ndata:\n${Array.from({ length: keys }, (_, i) => `  k${i}: v${i}\n`).join('')}`;
  const t = performance.now();
  readYaml(text);
  console.log(
    `  a ConfigMap of ${keys.toLocaleString('en-US')} keys (${(text.length / 1e6).toFixed(1)} MB) parsed with its duplicate-key check: ${(performance.now() - t).toFixed(0)} ms`,
  );
  fs.rmSync(dist, { recursive: true, force: true });
  fs.rmSync(`${dist}-reports`, { recursive: true, force: true });
  fs.rmSync(reportsDir, { recursive: true, force: true });
}

function formatsBench(count: number, runs: number): void {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dist-'));
  synthKubernetesPlatform({
    configFile: 'apps/platform.yaml',
    outputsFile: 'apps/platform-outputs.example.json',
    outdir: dist,
    reportsDir: `${dist}-reports`,
  });
  const target = applicationFolder(count / 2, true);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-formats-'));
  const reports = [
    { format: ReportFormat.SARIF, file: path.join(out, 'preflight.sarif') },
    { format: ReportFormat.JUNIT, file: path.join(out, 'junit.xml') },
    { format: ReportFormat.MARKDOWN, file: path.join(out, 'summary.md') },
  ];
  const variants = [
    { name: 'text only', reports: [] },
    { name: 'text + SARIF + JUnit + Markdown', reports },
  ];
  const times = variants.map(() => [] as number[]);
  const cpu = variants.map(() => [] as number[]);
  let results = 0;
  let failures = 0;
  let located = 0;
  // Rounds alternate the variants, so that a change of load on the machine weighs on each alike.
  // CPU time (user + system, this process) is printed too: on a shared machine it varies less
  // than the wall clock.
  for (let run = -1; run < runs; run++) {
    variants.forEach((v, i) => {
      const t = performance.now();
      const c = process.cpuUsage();
      const check = checkFolder({ target, platformManifests: [dist], reports: v.reports });
      formatFolderCheck(check);
      const used = process.cpuUsage(c);
      if (run >= 0) {
        // round -1 warms up
        times[i].push(performance.now() - t);
        cpu[i].push((used.user + used.system) / 1000);
      }
      results = check.result.results.length;
      const failed = check.result.results.filter((r) => r.result !== 'pass');
      failures = failed.length;
      located = failed.filter((r) => r.field !== undefined).length;
    });
  }
  const sizes = reports.map(
    (r) => `${path.basename(r.file)} ${(fs.statSync(r.file).size / 1e6).toFixed(1)} MB`,
  );
  console.log(
    `  ${count} objects, ${results} results, ${failures} failures (${located} located at a field); ${sizes.join(', ')}`,
  );
  const wall = times.map(median);
  const cpus = cpu.map(median);
  variants.forEach((v, i) =>
    console.log(
      `  ${v.name.padEnd(32)} ${wall[i].toFixed(0)} ms wall, ${cpus[i].toFixed(0)} ms CPU (medians of ${runs})`,
    ),
  );
  console.log(
    `  with the formats / without: ${(wall[1] / wall[0]).toFixed(2)}× wall, ${(cpus[1] / cpus[0]).toFixed(2)}× CPU (target ≤ 1.20×)`,
  );
  // The rendering alone, which the difference above hides in the machine's noise.
  const check = checkFolder({ target, platformManifests: [dist] });
  const input = {
    results: check.result.results,
    policies: check.policies,
    notJudged: check.result.notJudged,
    skipped: check.skipped,
    ignoredExceptions: check.ignoredExceptions,
    summary: check.result.summary,
    objectCount: check.objectCount,
    evaluationTime: check.evaluationTime,
    sourceRoot: process.cwd(),
  };
  for (const r of reports) {
    const render: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t = performance.now();
      renderReport(r.format, input);
      render.push(performance.now() - t);
    }
    console.log(`  rendering ${r.format.padEnd(8)} ${median(render).toFixed(0)} ms (median of ${runs})`);
  }
  for (const dir of [dist, `${dist}-reports`, target, out]) fs.rmSync(dir, { recursive: true, force: true });
}

if (mode === 'platform' || mode === undefined) {
  console.log('Preflight against synth:');
  platformBench(Number(process.argv[3] ?? 1000), Number(process.argv[4] ?? 5));
}
if (mode === 'folder' || mode === undefined) {
  console.log('Folder check, linear in the objects of one namespace:');
  const counts = (process.argv[3] ?? '1000,2000').split(',').map(Number);
  folderBench(counts, Number(process.argv[4] ?? 5));
}
if (mode === 'formats' || mode === undefined) {
  console.log('Report formats at 8,000 objects:');
  formatsBench(Number(process.argv[3] ?? 8000), Number(process.argv[4] ?? 5));
}
