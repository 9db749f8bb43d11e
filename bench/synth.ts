// `npm run bench`: how synth time grows with the number of tenants, against bare apps that emit
// the same output: a cdk8s app with the same objects in one chart, a cdktf app with the same
// resources, data sources and outputs. Medians of several runs; each run is a fresh process, as
// in a pipeline. BENCH_RUNS (default 5) and BENCH_SIZES (default 10,100,1000) tune it. The table
// it prints is the one in docs/scale.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, ApiObject, Chart, YamlOutputType } from 'cdk8s';
import {
  App as TfApp,
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
import { parseAllDocuments } from 'yaml';
import { generatePlatformFile } from './platforms';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, '.bench');
const BUILD = path.join(ROOT, 'build');

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

/** The bare cdk8s app: every object of a JSON file as an ApiObject of one chart. */
function bareCdk8s(input: string, outdir: string): void {
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

type Blocks = Record<string, Record<string, Record<string, unknown>>>;
interface TerraformJson {
  readonly terraform?: Record<string, unknown>;
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly resource?: Blocks;
  readonly data?: Blocks;
  readonly output?: Record<string, { value: unknown } & Record<string, unknown>>;
}

/** Sets the Terraform JSON attributes of an element with cdktf's escape hatch. */
function withBody<T extends TerraformElement>(element: T, body: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(body)) element.addOverride(key, value);
  return element;
}

/** A provider block of a given type (TerraformProvider is abstract). */
class BareProvider extends TerraformProvider {}

/**
 * The bare cdktf app: the stacks of a cdktf.out folder again, each resource, data source,
 * provider and output a construct of its own with the same attributes, without the platform.
 */
function bareCdktf(input: string, outdir: string): void {
  const app = new TfApp({ outdir });
  const stacksDir = path.join(input, 'stacks');
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const json = JSON.parse(
      fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8'),
    ) as TerraformJson;
    const stack = new TerraformStack(app, name);
    const required = (json.terraform?.required_providers ?? {}) as Record<string, { source: string }>;
    for (const [type, configs] of Object.entries(json.provider ?? {}))
      configs.forEach((c, i) => {
        const source = required[type]?.source ?? type;
        const config = { terraformResourceType: type, terraformProviderSource: source };
        withBody(new BareProvider(stack, `p-${type}-${i}`, config), c);
      });
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const [n, body] of Object.entries(byName))
        withBody(new TerraformResource(stack, n, { terraformResourceType: type }), body).overrideLogicalId(n);
    for (const [type, byName] of Object.entries(json.data ?? {}))
      for (const [n, body] of Object.entries(byName))
        withBody(new TerraformDataSource(stack, n, { terraformResourceType: type }), body).overrideLogicalId(
          n,
        );
    for (const [n, o] of Object.entries(json.output ?? {}))
      withBody(new TerraformOutput(stack, n, { value: o.value }), o).overrideLogicalId(n);
  }
  app.synth();
}

interface Row {
  readonly tenants: number;
  readonly objects: number;
  readonly resources: number;
  /** Medians, in milliseconds, by program. */
  readonly ms: Record<Program, number>;
}

type Program = 'synth' | 'kubernetes' | 'azure' | 'bareCdk8s' | 'bareCdktf';

/** The Terraform blocks (resources, data sources, outputs) of a cdktf.out folder. */
function countTerraformBlocks(dir: string): number {
  let n = 0;
  const stacksDir = path.join(dir, 'stacks');
  for (const name of fs.readdirSync(stacksDir)) {
    const json = JSON.parse(
      fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8'),
    ) as TerraformJson;
    for (const blocks of [json.resource ?? {}, json.data ?? {}])
      for (const byName of Object.values(blocks)) n += Object.keys(byName).length;
    n += Object.keys(json.output ?? {}).length;
  }
  return n;
}

/** The marginal cost between the smallest and the largest size, per unit of `per`. */
function marginal(rows: readonly Row[], program: Program, per: (r: Row) => number): number {
  const a = rows[0];
  const b = rows[rows.length - 1];
  return (b.ms[program] - a.ms[program]) / Math.max(1, per(b) - per(a));
}

function main(): void {
  if (process.argv[2] === '--bare-cdk8s') return bareCdk8s(process.argv[3], process.argv[4]);
  if (process.argv[2] === '--bare-cdktf') return bareCdktf(process.argv[3], process.argv[4]);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
  if (!Number.isInteger(runs) || runs < 1 || sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(
      `BENCH_RUNS and BENCH_SIZES take positive integers (received ${runs}, ${sizes.join(',')})`,
    );
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  const env = { CDK8S_CHECK_UPGRADE: 'false', CHECKPOINT_DISABLE: '1' };
  const rows: Row[] = [];
  for (const n of sizes) {
    const config = path.join(WORK, `platform-${n}.yaml`);
    fs.writeFileSync(config, generatePlatformFile(n));
    const out = (what: string) => path.join(WORK, `${what}-${n}`);
    const appEnv = {
      ...env,
      PLATFORM_CONFIG: config,
      CDK8S_OUTDIR: out('dist'),
      PLATFORM_REPORTS: out('reports'),
      CDKTF_OUTDIR: out('cdktf'),
    };
    const samples: Record<Program, number[]> = {
      synth: [],
      kubernetes: [],
      azure: [],
      bareCdk8s: [],
      bareCdktf: [],
    };
    let objects = 0;
    let resources = 0;
    for (let r = 0; r < runs; r++) {
      samples.synth.push(timeProcess([path.join(BUILD, 'apps', 'synth.js')], appEnv));
      samples.kubernetes.push(timeProcess([path.join(BUILD, 'apps', 'kubernetes.js')], appEnv));
      samples.azure.push(timeProcess([path.join(BUILD, 'apps', 'azure.js')], appEnv));
      if (r === 0) {
        const all = readObjects(out('dist'));
        objects = all.length;
        fs.writeFileSync(path.join(WORK, `objects-${n}.json`), JSON.stringify(all));
        resources = countTerraformBlocks(out('cdktf'));
      }
      samples.bareCdk8s.push(
        timeProcess(
          [__filename, '--bare-cdk8s', path.join(WORK, `objects-${n}.json`), out('bare-cdk8s')],
          env,
        ),
      );
      samples.bareCdktf.push(timeProcess([__filename, '--bare-cdktf', out('cdktf'), out('bare-cdktf')], env));
    }
    const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<
      Program,
      number
    >;
    rows.push({ tenants: n, objects, resources, ms });
    process.stdout.write(`measured ${n} tenants (${runs} runs)\n`);
  }
  process.stdout.write(report(rows, runs));
}

/** The table of medians and the marginal-cost ratios, as docs/scale.md shows them. */
function report(rows: readonly Row[], runs: number): string {
  const lines = [
    '',
    `medians of ${runs} runs, milliseconds per fresh process`,
    '',
    '| tenants | Kubernetes objects | Terraform blocks | npm run synth (both apps) | Kubernetes app | bare cdk8s | Azure app | bare cdktf |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.tenants} | ${r.objects} | ${r.resources} | ${r.ms.synth.toFixed(0)} | ${r.ms.kubernetes.toFixed(0)} | ${r.ms.bareCdk8s.toFixed(0)} | ${r.ms.azure.toFixed(0)} | ${r.ms.bareCdktf.toFixed(0)} |`,
    ),
  ];
  if (rows.length >= 2) {
    const a = rows[0];
    const b = rows[rows.length - 1];
    const perObject = (p: Program) => marginal(rows, p, (r) => r.objects) * 1000;
    const perTenant = (p: Program) => marginal(rows, p, (r) => r.tenants) * 1000;
    const ratio = (x: number, y: number) => (x / y).toFixed(2);
    const bare = perObject('bareCdk8s');
    // Both bare apps, per Kubernetes object: what the same output costs without the platform.
    const bareBoth =
      bare + (perTenant('bareCdktf') * (b.tenants - a.tenants)) / Math.max(1, b.objects - a.objects);
    lines.push(
      '',
      `marginal cost, ${a.tenants} to ${b.tenants} tenants (target: ratio at most 1.5)`,
      '',
      '| what | ours | bare | ratio |',
      '|---|---:|---:|---:|',
      `| Kubernetes app (synth, preflight, reports), per Kubernetes object, against bare cdk8s | ${perObject('kubernetes').toFixed(0)} µs | ${bare.toFixed(0)} µs | ${ratio(perObject('kubernetes'), bare)} |`,
      `| Azure app, per tenant, against bare cdktf | ${perTenant('azure').toFixed(0)} µs | ${perTenant('bareCdktf').toFixed(0)} µs | ${ratio(perTenant('azure'), perTenant('bareCdktf'))} |`,
      `| end to end (both apps, one process), per Kubernetes object, against both bare apps | ${perObject('synth').toFixed(0)} µs | ${bareBoth.toFixed(0)} µs | ${ratio(perObject('synth'), bareBoth)} |`,
      `| end to end, per Kubernetes object, against bare cdk8s alone | ${perObject('synth').toFixed(0)} µs | ${bare.toFixed(0)} µs | ${ratio(perObject('synth'), bare)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

main();
