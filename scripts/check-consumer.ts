// `npm run check:consumer [name@version ...]`: packs the package, installs it from the registry
// into a copy of examples/platform-repo (whose pinned constructs/cdk8s/cdktf are other patch
// versions than this repository's; arguments override them), then compiles, synthesizes and checks
// that each peer is installed once. Needs the npm registry; not part of `npm test`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  compile,
  copyExample,
  installedVersion,
  installFromRegistry,
  packPackage,
  peerDependencies,
  resolvedCopies,
  synth,
} from './consumer-project';

function main(): number {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-aks-platform-check-'));
  const project = path.join(work, 'platform-repo');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const tarball = packPackage(work);
    say(`packed ${path.basename(tarball)} (${fs.statSync(tarball).size} bytes)`);

    copyExample(project);
    const manifestFile = path.join(project, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const arg of process.argv.slice(2)) {
      const at = arg.lastIndexOf('@');
      if (at <= 0) throw new Error(`expected name@version, received ${JSON.stringify(arg)}`);
      manifest.dependencies[arg.slice(0, at)] = arg.slice(at + 1);
    }
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    installFromRegistry(project, tarball);

    const peers = Object.keys(peerDependencies());
    const copies = resolvedCopies(project, peers);
    let failures = 0;
    for (const name of peers) {
      const wanted = manifest.dependencies[name] ?? `${peerDependencies()[name]} (installed as a peer)`;
      const n = copies[name].length;
      if (n !== 1) failures++;
      say(
        `${n === 1 ? 'ok  ' : 'FAIL'} ${name} ${installedVersion(project, name)} (asked ${wanted}): ${n} cop${n === 1 ? 'y' : 'ies'}`,
      );
    }

    compile(project);
    say('ok   tsc -p tsconfig.json (strict, no esModuleInterop, no Node types, declarations checked)');
    const out = synth(project);
    const yamlFiles = fs.readdirSync(out.kubernetes);
    const tf = JSON.parse(fs.readFileSync(path.join(out.terraform, 'stacks/infra/cdk.tf.json'), 'utf8'));
    const resources = Object.values<Record<string, unknown>>(tf.resource).reduce(
      (n, r) => n + Object.keys(r).length,
      0,
    );
    say(
      `ok   synth: ${yamlFiles.join(', ')} (cdk8s), stacks/infra/cdk.tf.json with ${resources} resources (cdktf)`,
    );
    say(
      failures === 0 ? 'consumer check passed' : `consumer check FAILED: ${failures} peer(s) installed twice`,
    );
    return failures === 0 ? 0 : 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (e) {
  process.stderr.write(`check:consumer: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
