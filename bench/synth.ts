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

type Program = 'synth' | 'kubernetes' | 'azure' | 'bareCdk8s' | 'bareCdktf';
const PROGRAMS: readonly Program[] = ['synth', 'kubernetes', 'azure', 'bareCdk8s', 'bareCdktf'];

interface Size {
  readonly tenants: number;
  readonly objects: number;
  readonly resources: number;
  /** Milliseconds of each run, by program. */
  readonly samples: Record<Program, number[]>;
}

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
  const commands = sizes.map((n) => {
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
    // A first synth, not timed, writes what the bare apps read: the objects and the stacks.
    timeProcess([path.join(BUILD, 'apps', 'synth.js')], appEnv);
    const all = readObjects(out('dist'));
    fs.writeFileSync(path.join(WORK, `objects-${n}.json`), JSON.stringify(all));
    const program: Record<Program, () => number> = {
      synth: () => timeProcess([path.join(BUILD, 'apps', 'synth.js')], appEnv),
      kubernetes: () => timeProcess([path.join(BUILD, 'apps', 'kubernetes.js')], appEnv),
      azure: () => timeProcess([path.join(BUILD, 'apps', 'azure.js')], appEnv),
      bareCdk8s: () =>
        timeProcess(
          [__filename, '--bare-cdk8s', path.join(WORK, `objects-${n}.json`), out('bare-cdk8s')],
          env,
        ),
      bareCdktf: () => timeProcess([__filename, '--bare-cdktf', out('cdktf'), out('bare-cdktf')], env),
    };
    return { tenants: n, objects: all.length, resources: countTerraformBlocks(out('cdktf')), program };
  });
  const results: Size[] = commands.map((c) => ({
    tenants: c.tenants,
    objects: c.objects,
    resources: c.resources,
    samples: Object.fromEntries(PROGRAMS.map((p) => [p, []])) as unknown as Record<Program, number[]>,
  }));
  // Each run times every program at every size, one after the other: a run's marginal costs, and
  // their ratios, come from processes that ran minutes apart at most, under the same load.
  for (let r = 0; r < runs; r++) {
    commands.forEach((c, i) => {
      for (const p of PROGRAMS) results[i].samples[p].push(c.program[p]());
    });
    process.stdout.write(`run ${r + 1} of ${runs}\n`);
  }
  process.stdout.write(report(results, runs));
}

/** Marginal cost of `program` in run `r`, from the smallest to the largest size, per unit of `per`. */
function marginal(sizes: readonly Size[], program: Program, r: number, per: (s: Size) => number): number {
  const a = sizes[0];
  const b = sizes[sizes.length - 1];
  return (b.samples[program][r] - a.samples[program][r]) / Math.max(1, per(b) - per(a));
}

/** The table of medians and the marginal-cost ratios, as docs/scale.md shows them. */
function report(sizes: readonly Size[], runs: number): string {
  const ms = (s: Size, p: Program) => median(s.samples[p]).toFixed(0);
  const lines = [
    '',
    `medians of ${runs} runs, milliseconds per fresh process`,
    '',
    '| tenants | Kubernetes objects | Terraform blocks | npm run synth (both apps) | Kubernetes app | bare cdk8s | Azure app | bare cdktf |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...sizes.map(
      (s) =>
        `| ${s.tenants} | ${s.objects} | ${s.resources} | ${ms(s, 'synth')} | ${ms(s, 'kubernetes')} | ${ms(s, 'bareCdk8s')} | ${ms(s, 'azure')} | ${ms(s, 'bareCdktf')} |`,
    ),
  ];
  if (sizes.length >= 2) {
    const a = sizes[0];
    const b = sizes[sizes.length - 1];
    const each = Array.from({ length: runs }, (_, r) => r);
    const perObject = (p: Program, r: number) => marginal(sizes, p, r, (s) => s.objects) * 1000;
    const perTenant = (p: Program, r: number) => marginal(sizes, p, r, (s) => s.tenants) * 1000;
    // Both bare apps, per Kubernetes object: what the same output costs without the platform.
    const bareBoth = (r: number) =>
      perObject('bareCdk8s', r) +
      (perTenant('bareCdktf', r) * (b.tenants - a.tenants)) / Math.max(1, b.objects - a.objects);
    // The ratio of the median marginal costs; each run's own ratio only gives the spread (a ratio
    // of two differences of noisy times is far noisier than either).
    const row = (what: string, ours: (r: number) => number, bare: (r: number) => number) => {
      const ratios = each.map((r) => ours(r) / bare(r)).sort((x, y) => x - y);
      const range =
        runs > 1 ? ` (runs: ${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)})` : '';
      const o = median(each.map(ours));
      const b = median(each.map(bare));
      return `| ${what} | ${o.toFixed(0)} µs | ${b.toFixed(0)} µs | **${(o / b).toFixed(2)}**${range} |`;
    };
    lines.push(
      '',
      `marginal cost, ${a.tenants} to ${b.tenants} tenants: medians of the ${runs} runs' own marginal costs, their ratio, and the range of the runs' own ratios (target: at most 1.5)`,
      '',
      '| what | ours | bare | ratio |',
      '|---|---:|---:|---:|',
      row(
        'Kubernetes app (synth, preflight, reports), per Kubernetes object, against bare cdk8s',
        (r) => perObject('kubernetes', r),
        (r) => perObject('bareCdk8s', r),
      ),
      row(
        'Azure app, per tenant, against bare cdktf',
        (r) => perTenant('azure', r),
        (r) => perTenant('bareCdktf', r),
      ),
      row(
        'end to end (npm run synth, both apps), per Kubernetes object, against both bare apps',
        (r) => perObject('synth', r),
        bareBoth,
      ),
      row(
        'end to end, per Kubernetes object, against bare cdk8s alone',
        (r) => perObject('synth', r),
        (r) => perObject('bareCdk8s', r),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

main();
