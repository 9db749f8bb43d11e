// Broken or hostile platform and outputs files: one clear line naming the key, a non-zero exit,
// never a stack trace, never a value silently changed.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
// The module object itself (not a namespace copy), so that a spy on it reaches the code under test.
import fsModule from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthKubernetesPlatform } from '../../lib/kubernetes/synth';
import { fifoWithWriter, runCaptured, spawnApp, STACK_FRAME, type AppRun } from '../support/run-app';

const REFERENCE = fs.readFileSync('apps/platform.yaml', 'utf8');
const OUTPUTS = 'apps/platform-outputs.example.json';

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(tmp('hostile-spec-'), name);
  fs.writeFileSync(p, content);
  return p;
}

/** The reference platform with `from` replaced by `to` (which must occur). */
function platform(from: string, to: string): string {
  expect(REFERENCE).toContain(from);
  return file('platform.yaml', REFERENCE.replace(from, to));
}

/** The Kubernetes app, as `node build/apps/kubernetes.js` runs it, on these files. */
function synth(configFile: string, outputsFile: string | undefined = OUTPUTS): AppRun {
  const outdir = tmp('hostile-dist-');
  return runCaptured('kubernetes', () =>
    synthKubernetesPlatform({ configFile, outputsFile, outdir, reportsDir: `${outdir}-reports` }),
  );
}

/** Exit 1, no stack trace, and `line` among the lines of stderr (the message names the key). */
function expectRefused(run: AppRun, line: RegExp): void {
  expect(run.err).not.toMatch(STACK_FRAME);
  expect(run.code).toBe(1);
  expect(run.err.split('\n')).toContainEqual(expect.stringMatching(line));
}

const CONFIG = "config: { NGINX_ENTRYPOINT_QUIET_LOGS: '1' }";
const LABELS = 'labels: { app.kubernetes.io/tier: backend }';

describe('keys JavaScript objects already have', () => {
  test.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])('config key %s', (key) => {
    expectRefused(
      synth(platform(CONFIG, `config: { ${key}: '1' }`)),
      new RegExp(
        `^ {2}- workloads\\[0\\]\\.config\\.${key}: the key "${key}" is the name of a built-in property of JavaScript objects, which cdk8s cannot write$`,
      ),
    );
  });

  test('a label key constructor', () => {
    expectRefused(
      synth(platform(LABELS, 'labels: { app.kubernetes.io/tier: backend, constructor: x }')),
      /^ {2}- workloads\[0\]\.labels\.constructor: the key "constructor" is the name of a built-in property/,
    );
  });

  test.each([
    ['config', CONFIG, 'config: { __proto__: "1" }', 'workloads[0].config.__proto__'],
    ['labels', LABELS, 'labels: { __proto__: { a: b } }', 'workloads[0].labels.__proto__'],
    ['groups', 'groups:\n', 'groups:\n  __proto__: { displayName: x }\n', 'groups.__proto__'],
  ])('__proto__ in %s is refused, not dropped', (_, from, to, key) => {
    expectRefused(
      synth(platform(from, to)),
      new RegExp(
        `^ {2}- ${key.replace(/[.[\]]/g, '\\$&')}: line \\d+, column \\d+: the key "__proto__" is not allowed`,
      ),
    );
  });
});

describe('values never silently changed', () => {
  test('bytes that are not UTF-8 name the key, not a U+FFFD in an Entra display name', () => {
    const text = REFERENCE.replace('capsuleDevGroup', 'capsuleDev\u0000Group');
    const bytes = Buffer.from(text, 'utf8');
    bytes[bytes.indexOf(0)] = 0xff;
    expectRefused(
      synth(file('latin.yaml', bytes)),
      /^ {2}- groups\.dev\.displayName: line \d+, column 33: byte 0xff is not UTF-8 \(save the file as UTF-8\)$/,
    );
  });

  test('1e400 is out of range, not "null"', () => {
    expectRefused(
      synth(platform('    replicas: 2\n', '    replicas: 1e400\n')),
      /^ {2}- workloads\[0\]\.replicas: line \d+, column 15: 1e400 is out of range: numbers must be finite$/,
    );
  });

  test('a 30-digit number is refused as written, not rounded', () => {
    expectRefused(
      synth(platform('    replicas: 2\n', '    replicas: 123456789012345678901234567890\n')),
      /^ {2}- workloads\[0\]\.replicas: line \d+, column 15: 123456789012345678901234567890 is larger than 2\^53 and cannot be read exactly; write it as a string$/,
    );
  });

  test('a decimal with more digits than a double holds', () => {
    expectRefused(
      synth(platform('    replicas: 2\n', '    replicas: 2.0000000000000000001\n')),
      /workloads\[0\]\.replicas: .*2\.0000000000000000001 has more than 15 significant digits/,
    );
  });

  test('duplicate keys are found in linear time, with their line (80,000 keys)', () => {
    const keys = Array.from({ length: 80000 }, (_, i) => `K${i}: v`).join(', ');
    expectRefused(
      synth(platform(CONFIG, `config: { ${keys}, K79999: w }`)),
      /^ {2}- workloads\[0\]\.config\.K79999: line \d+, column \d+: duplicate key "K79999"$/,
    );
  });
});

describe('values Kubernetes would reject are refused at synth, naming the key', () => {
  test('a 1 MB exception reason (annotations are limited to 256 KiB)', () => {
    const exception = `kyverno:\n  exceptions:\n    - { name: e, policies: [require-probes], namespace: dev-demo, workloads: [demo-api], reason: ${'x'.repeat(1_000_000)} }\n`;
    expectRefused(
      synth(platform('kyverno:\n', exception)),
      /^ {2}- kyverno\.exceptions\[0\]\.reason: "x+\.\.\. is longer than 4 KiB: it is written as an annotation/,
    );
  });

  test('a ConfigMap over 1 MiB', () => {
    expectRefused(
      synth(platform(CONFIG, `config: { BIG: ${'x'.repeat(1024 * 1024)} }`)),
      /^ {2}- workloads\[0\]\.config: adds up to more than 1 MiB of keys and values, the limit of a Kubernetes ConfigMap$/,
    );
  });

  const cronJob = (schedule: string, writable = '[]') =>
    platform(
      'workloads:\n',
      `workloads:\n  - { name: nightly, tenant: dev, namespace: dev-demo, kind: CronJob, image: 'awcapsule.azurecr.io/jobs/nightly:1.0.0', schedule: '${schedule}', writablePaths: ${writable} }\n`,
    );

  test.each([
    ['99 99 99 99 99', 'has minute "99", outside 0-59'],
    ['0 24 * * *', 'has hour "24", outside 0-23'],
    ['0 0 0 * *', 'has day of month "0", outside 1-31'],
    ['0 0 1 13 *', 'has month "13", outside 1-12'],
    ['0 0 * * 8', 'has day of week "8", outside 0-6'],
    ['*/0 * * * *', 'has a minute step of 0'],
    ['30-10 * * * *', 'has the minute range "30-10", which starts after it ends'],
    ['0 0 * * * *', 'must be five cron fields'],
  ])('cron %s', (schedule, reason) => {
    expectRefused(
      synth(cronJob(schedule)),
      new RegExp(
        `^ {2}- workloads\\[0\\]\\.schedule: "${schedule.replace(/[*]/g, '\\*')}" ${reason.replace(/[()]/g, '\\$&')}`,
      ),
    );
  });

  test('standard schedules pass: names, lists, ranges and steps', () => {
    for (const s of ['30 2 * * *', '*/15 0-6 1,15 JAN-jun MON-FRI', '0 0 ? * sun'])
      expect(synth(cronJob(s)).err).toBe('');
  });

  test.each(['/proc', '/sys/fs', '/dev'])('writablePaths: [%s]', (p) => {
    expectRefused(
      synth(cronJob('0 0 * * *', `[${p}]`)),
      new RegExp(`^ {2}- workloads\\[0\\]\\.writablePaths\\[0\\]: "${p}" must not be in /proc, /sys, /dev`),
    );
  });
});

describe('the outputs file', () => {
  const outputs = (o: unknown) => file('outputs.json', JSON.stringify(o));
  const ids = {
    admins: '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13',
    tenants: '8d4e6f20-1b3c-4a7e-8f95-6c2a1d9e0b47',
    dev: 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58',
    staging: 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02',
  };
  // The demo workload's identity is there too: only the groups change from test to test.
  const infra = (o: Record<string, string>) => ({
    azure_tenant_id: '2c5d8e91-4f7a-4b36-9e0d-7a1f3c6b8d24',
    'workload_identity_dev-demo_demo-api_client_id': '9a4e2b7c-1d3f-4c85-b6e0-5f8a2d9c3e71',
    ...Object.fromEntries(Object.entries(o).map(([k, v]) => [`group_${k}_object_id`, v])),
  });
  const reference = file('platform.yaml', REFERENCE);

  test('one object id for every group: refused, naming the groups', () => {
    const same = infra({ admins: ids.admins, tenants: ids.admins, dev: ids.admins, staging: ids.admins });
    expectRefused(
      synth(reference, outputs({ infra: same })),
      /^ {2}- groups "admins", "dev", "staging" all have the object id 3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13: each Entra group has its own id/,
    );
  });

  test('two nested outputs with different values: refused, not the first taken', () => {
    const o = { infra: { ...infra(ids), nested: { deeper: infra({ dev: ids.staging }) } } };
    expectRefused(
      synth(reference, outputs(o)),
      /^ {2}- group "dev" \(capsuleDevGroup\): .*outputs\.json has 2 outputs group_dev_object_id with different values/,
    );
  });

  test('the same output twice with one value is fine', () => {
    const o = { infra: { ...infra(ids), nested: infra({ dev: ids.dev.toUpperCase() }) } };
    expect(synth(reference, outputs(o)).err).toBe('');
  });

  test('the nil UUID is refused', () => {
    const o = { infra: infra({ ...ids, staging: '00000000-0000-0000-0000-000000000000' }) };
    expectRefused(
      synth(reference, outputs(o)),
      /^ {2}- group "staging" \(capsuleStagingGroup\): output group_staging_object_id in .* is "00000000-0000-0000-0000-000000000000", the nil UUID, a placeholder$/,
    );
  });

  test('the nil UUID as a group objectId in the platform file is refused', () => {
    expectRefused(
      synth(
        platform(
          '  staging: { displayName: capsuleStagingGroup }',
          '  staging: { objectId: 00000000-0000-0000-0000-000000000000 }',
        ),
      ),
      /^ {2}- groups\.staging\.objectId: "00000000-0000-0000-0000-000000000000" is the nil UUID/,
    );
  });

  test('a JSON document nested 100,000 levels deep', () => {
    const deep = `{"infra": ${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}}`;
    expectRefused(
      synth(reference, file('deep.json', deep)),
      /^kubernetes: the outputs file .*deep\.json \(PLATFORM_OUTPUTS\) is nested more than 64 levels deep: it is not a Terraform outputs file$/,
    );
  });
});

describe('files that are not regular files, or too large', () => {
  test('a FIFO as the platform file: the app, run as a process, exits at once', () => {
    const fifo = path.join(tmp('hostile-fifo-'), 'platform.yaml');
    execFileSync('mkfifo', [fifo]);
    const run = spawnApp('kubernetes', [], {
      env: { PLATFORM_CONFIG: fifo, PLATFORM_OUTPUTS: OUTPUTS, CDK8S_OUTDIR: tmp('hostile-out-') },
    });
    expect(run.err).not.toMatch(STACK_FRAME);
    expect(run.err).toMatch(
      /^kubernetes: cannot read the platform file .*platform\.yaml: it is a FIFO, not a regular file\n$/,
    );
    expect(run.code).toBe(1);
  }, 120000);

  test('a FIFO as the outputs file', () => {
    const fifo = path.join(tmp('hostile-fifo-'), 'outputs.json');
    const stop = fifoWithWriter(fifo);
    try {
      expectRefused(
        synth(file('platform.yaml', REFERENCE), fifo),
        /^kubernetes: cannot read the outputs file .*outputs\.json \(PLATFORM_OUTPUTS\): it is a FIFO, not a regular file$/,
      );
    } finally {
      stop();
    }
  });

  test('/dev/zero as the platform file or the outputs file', () => {
    expectRefused(
      synth('/dev/zero'),
      /^kubernetes: cannot read the platform file \/dev\/zero: it is a character device, not a regular file$/,
    );
    expectRefused(
      synth(file('platform.yaml', REFERENCE), '/dev/zero'),
      /^kubernetes: cannot read the outputs file \/dev\/zero \(PLATFORM_OUTPUTS\): it is a character device/,
    );
  });

  test('a platform file that cannot be opened (EACCES, injected: the tests may run as root)', () => {
    const platformFile = file('platform.yaml', REFERENCE);
    const real = fsModule.openSync;
    const spy = jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      if (String(p) === platformFile) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return (real as (...a: unknown[]) => number)(p, ...rest);
    }) as typeof fs.openSync);
    try {
      expectRefused(
        synth(platformFile),
        /^kubernetes: cannot read the platform file .*platform\.yaml: permission denied \(EACCES\)$/,
      );
    } finally {
      spy.mockRestore();
    }
  });

  test('a folder as the platform file', () => {
    expectRefused(
      synth(tmp('hostile-dir-')),
      /^kubernetes: cannot read the platform file .*: it is a folder, not a regular file$/,
    );
  });

  test('a platform file past the size limit is refused before it is read', () => {
    const big = file('big.yaml', '');
    fs.truncateSync(big, 3 * 1024 * 1024);
    expectRefused(
      synth(big),
      /^kubernetes: cannot read the platform file .*big\.yaml: it is 3 MiB, more than the limit of 2 MiB$/,
    );
  });
});

describe('what the constructs refuse names the platform-file key and the construct, all problems together', () => {
  test('bad classes in a tenant and a label the workload construct owns', () => {
    const tenant = platform(
      '    owners: [staging]\n',
      '    owners: [staging]\n    storageClasses: ["Bad Class\\n", ok, other bad]\n    ingressClasses: [also bad]\n',
    );
    const text = fs
      .readFileSync(tenant, 'utf8')
      .replace(LABELS, 'labels: { cdk-aks-platform.io/ingress: x }');
    const run = synth(file('platform.yaml', text));
    expect(run.code).toBe(1);
    expect(run.err).not.toMatch(STACK_FRAME);
    expect(run.err).toBe(
      [
        'kubernetes: the constructs built from the platform file: 4 errors',
        '  - tenants[1].ingressClasses[0]: "also bad" is not a class name (Tenant tenants/staging, ingressClasses[0])',
        '  - tenants[1].storageClasses[0]: "Bad Class\\n" is not a class name (Tenant tenants/staging, storageClasses[0])',
        '  - tenants[1].storageClasses[2]: "other bad" is not a class name (Tenant tenants/staging, storageClasses[2])',
        '  - workloads[0].labels.cdk-aks-platform.io/ingress: "cdk-aks-platform.io/ingress" is set by the construct (HardenedDeployment workloads/dev-demo-demo-api, labels[0])',
        '',
      ].join('\n'),
    );
  });
});
