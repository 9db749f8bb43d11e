// `npm run bench`: how synth time grows with the number of tenants, against a bare cdk8s app that
// emits the same objects in one chart. Medians of several runs; each run is a fresh process, as
// in a pipeline. BENCH_RUNS (default 5) and BENCH_SIZES (default 10,100,1000) tune it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, ApiObject, Chart, YamlOutputType } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { generatePlatformFile } from './platforms';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, '.bench');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time of one fresh node process, in milliseconds. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return ms;
}

function readObjects(dir: string): unknown[] {
  const objects: unknown[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      const o = doc.toJSON();
      if (o) objects.push(o);
    }
  }
  return objects;
}

/** The bare app: every object of a JSON file as an ApiObject of one chart. */
function bareApp(input: string, outdir: string): void {
  const objects = JSON.parse(fs.readFileSync(input, 'utf8')) as Array<{
    apiVersion: string;
    kind: string;
    metadata: { name: string };
  }>;
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_APP });
  const chart = new Chart(app, 'bare');
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
  app.synth();
}

function main(): void {
  if (process.argv[2] === '--bare') {
    bareApp(process.argv[3], process.argv[4]);
    return;
  }
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  const env = { CDK8S_CHECK_UPGRADE: 'false', CHECKPOINT_DISABLE: '1' };
  const rows: Array<{ tenants: number; objects: number; kubernetes: number; azure: number; bare: number }> =
    [];
  for (const n of sizes) {
    const config = path.join(WORK, `platform-${n}.yaml`);
    fs.writeFileSync(config, generatePlatformFile(n));
    const k8sOut = path.join(WORK, `dist-${n}`);
    const tfOut = path.join(WORK, `cdktf-${n}`);
    const bareOut = path.join(WORK, `bare-${n}`);
    const k8s: number[] = [];
    const tf: number[] = [];
    const bare: number[] = [];
    let objects = 0;
    for (let r = 0; r < runs; r++) {
      k8s.push(
        timeProcess(['build/apps/kubernetes.js'], {
          ...env,
          PLATFORM_CONFIG: config,
          CDK8S_OUTDIR: k8sOut,
          PLATFORM_REPORTS: path.join(WORK, `reports-${n}`),
        }),
      );
      tf.push(timeProcess(['build/apps/azure.js'], { ...env, PLATFORM_CONFIG: config, CDKTF_OUTDIR: tfOut }));
      if (r === 0) {
        const all = readObjects(k8sOut);
        objects = all.length;
        fs.writeFileSync(path.join(WORK, `objects-${n}.json`), JSON.stringify(all));
      }
      bare.push(timeProcess([__filename, '--bare', path.join(WORK, `objects-${n}.json`), bareOut], env));
    }
    rows.push({ tenants: n, objects, kubernetes: median(k8s), azure: median(tf), bare: median(bare) });
    process.stdout.write(`measured ${n} tenants (${runs} runs)\n`);
  }

  const fmt = (v: number) => v.toFixed(0).padStart(8);
  console.log(`\nmedians of ${runs} runs, milliseconds per fresh process`);
  console.log('tenants  objects  kubernetes   azure    bare   k8s/bare');
  for (const r of rows) {
    console.log(
      `${String(r.tenants).padStart(7)} ${String(r.objects).padStart(8)} ${fmt(r.kubernetes)}   ${fmt(r.azure)} ${fmt(r.bare)}   ${(r.kubernetes / r.bare).toFixed(2).padStart(6)}`,
    );
  }
  if (rows.length >= 2) {
    const a = rows[0];
    const b = rows[rows.length - 1];
    const perObject = (t1: number, t0: number) => (t1 - t0) / Math.max(1, b.objects - a.objects);
    const ours = perObject(b.kubernetes, a.kubernetes);
    const bareCost = perObject(b.bare, a.bare);
    console.log(`\nmarginal cost per object, ${a.tenants} → ${b.tenants} tenants:`);
    console.log(
      `  kubernetes app ${(ours * 1000).toFixed(1)} µs, bare chart ${(bareCost * 1000).toFixed(1)} µs, ratio ${(ours / bareCost).toFixed(2)} (target ≤ 2)`,
    );
    console.log(`  azure app ${((b.azure - a.azure) / (b.tenants - a.tenants)).toFixed(2)} ms per tenant`);
  }
}

main();
