/**
 * Lets Terraform itself read every synthesized stack: `terraform init -backend=false` on a copy
 * of each `<outdir>/stacks/<stack>`. Terraform parses and checks the whole configuration before
 * it installs providers; providers cannot be downloaded offline, so that failure, and only that
 * one, is tolerated. When the providers can be installed (network or mirror), `terraform
 * validate` runs as well.
 *
 * Usage: node build/scripts/terraform-check.js [outdir=cdktf.out] [--offline]
 * (--offline never contacts a registry: providers are looked up in an empty folder.)
 * TERRAFORM=<path> selects the binary; the default is `terraform` on the PATH.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What Terraform said about one stack. */
export interface StackCheck {
  readonly stack: string;
  /** Why the stack is refused; empty when Terraform accepted it. */
  readonly problems: string[];
  /** true when providers were installed and `terraform validate` passed too. */
  readonly validated: boolean;
  /** Everything Terraform printed. */
  readonly output: string;
}

/** The two ways a provider installation fails; both are judged on their reason below. */
const PROVIDER_INSTALL_ERRORS = ['Failed to query available provider packages', 'Failed to install provider'];

/**
 * Reasons that only say the provider could not be fetched. "No available releases match" (a
 * wrong version constraint) is not among them: that one is a configuration error.
 */
const UNREACHABLE =
  /could not connect to registry\.terraform\.io|was not found in any of the search locations|dial tcp|no such host|connection refused|i\/o timeout|TLS handshake timeout|network is unreachable/;

/** One diagnostic Terraform printed. */
export interface Diagnostic {
  readonly severity: 'Error' | 'Warning';
  readonly summary: string;
  /** Summary and detail on one line. */
  readonly text: string;
}

/** Terraform's diagnostics in `-no-color` output (some come boxed with │ ╷ ╵). */
export function diagnostics(output: string): Diagnostic[] {
  const found: { severity: 'Error' | 'Warning'; summary: string; lines: string[] }[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.replace(/^[│╷╵]\s?/, '');
    const header = /^(Error|Warning): (.*)$/.exec(line);
    if (header)
      found.push({ severity: header[1] as 'Error' | 'Warning', summary: header[2].trim(), lines: [] });
    else found[found.length - 1]?.lines.push(line);
  }
  return found.map((d) => ({
    severity: d.severity,
    summary: d.summary,
    text: `${d.summary} ${d.lines.join(' ')}`.replace(/\s+/g, ' ').trim(),
  }));
}

/**
 * Judges the output of `terraform init`: the problems that make the configuration unacceptable,
 * or none. A failed init passes only when every error is a provider that could not be fetched
 * and Terraform had reached the provider installation (so the configuration was read).
 */
export function judgeInit(output: string, exitCode: number): string[] {
  const problems: string[] = [];
  if (/Terraform encountered problems during initiali[sz]ation/.test(output)) {
    problems.push('Terraform found problems in the configuration');
  }
  const all = diagnostics(output);
  for (const d of all) {
    if (d.severity === 'Warning' && /\bcdk\.tf\.json\b/.test(d.text)) {
      problems.push(`configuration warning: ${d.summary}`);
    }
    if (d.severity !== 'Error') continue;
    const providerOnly = PROVIDER_INSTALL_ERRORS.includes(d.summary) && UNREACHABLE.test(d.text);
    if (!providerOnly) problems.push(`error: ${d.summary}`);
  }
  if (exitCode !== 0) {
    if (!all.some((d) => d.severity === 'Error')) {
      problems.push(`terraform init exited with ${exitCode} without an error message`);
    }
    if (!output.includes('Initializing provider plugins...')) {
      problems.push('terraform init stopped before installing providers');
    }
  }
  return [...new Set(problems)];
}

/** The Terraform binary: $TERRAFORM, or `terraform` on the PATH; undefined when there is none. */
export function terraformBinary(): string | undefined {
  if (process.env.TERRAFORM) return process.env.TERRAFORM;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'terraform');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function run(terraform: string, args: string[], cwd: string): { code: number; output: string } {
  const r = spawnSync(terraform, args, {
    cwd,
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
  });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export interface CheckOptions {
  /** Never contact a registry (providers are looked up in an empty folder). @default false */
  readonly offline?: boolean;
  /** @default terraformBinary() */
  readonly terraform?: string;
}

/** Runs the check on a copy of one stack folder (the original is left untouched). */
export function checkStack(stackDir: string, options: CheckOptions = {}): StackCheck {
  const terraform = options.terraform ?? terraformBinary();
  if (terraform === undefined) throw new Error('terraform is not on the PATH (or set TERRAFORM=<path>)');
  const stack = path.basename(stackDir);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `terraform-check-${stack}-`));
  try {
    const copy = path.join(work, stack);
    // Without .terraform: it holds providers of an earlier deploy, hundreds of megabytes.
    fs.cpSync(stackDir, copy, { recursive: true, filter: (src) => path.basename(src) !== '.terraform' });
    const args = ['init', '-backend=false', '-input=false', '-no-color'];
    if (options.offline) {
      const empty = path.join(work, 'no-providers');
      fs.mkdirSync(empty);
      args.push(`-plugin-dir=${empty}`);
    }
    const init = run(terraform, args, copy);
    const problems = judgeInit(init.output, init.code);
    if (init.code !== 0 || problems.length > 0) {
      return { stack, problems, validated: false, output: init.output };
    }
    const validate = run(terraform, ['validate', '-no-color'], copy);
    return {
      stack,
      problems: validate.code === 0 ? [] : ['terraform validate refused the configuration'],
      validated: validate.code === 0,
      output: `${init.output}${validate.output}`,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Checks every stack of a cdktf output folder (`<outdir>/stacks/*`). */
export function checkSynthesizedStacks(outdir: string, options: CheckOptions = {}): StackCheck[] {
  const stacksDir = path.join(outdir, 'stacks');
  const stacks = fs.existsSync(stacksDir)
    ? fs
        .readdirSync(stacksDir)
        .filter((s) => fs.existsSync(path.join(stacksDir, s, 'cdk.tf.json')))
        .sort()
    : [];
  if (stacks.length === 0) throw new Error(`no synthesized stack in ${stacksDir}: run npm run synth first`);
  return stacks.map((s) => checkStack(path.join(stacksDir, s), options));
}

function main(argv: string[]): number {
  const offline = argv.includes('--offline');
  const outdir = argv.find((a) => !a.startsWith('--')) ?? 'cdktf.out';
  const terraform = terraformBinary();
  if (terraform === undefined) {
    console.error('terraform-check: terraform is not on the PATH (or set TERRAFORM=<path>)');
    return 1;
  }
  let failed = false;
  for (const r of checkSynthesizedStacks(outdir, { offline, terraform })) {
    if (r.problems.length === 0) {
      const how = r.validated ? 'validated' : 'configuration read; providers not installed (offline)';
      console.log(`terraform-check: ${r.stack}: ok, ${how}`);
    } else {
      failed = true;
      console.error(`terraform-check: ${r.stack}: REFUSED\n${r.output}`);
      for (const p of r.problems) console.error(`terraform-check: ${r.stack}: ${p}`);
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`terraform-check: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
