import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { QuotaOrigin } from '../../lib/kubernetes/capsule';
import { PlatformError, validatePlatform } from '../../lib/platform-file';
import { formatTenantSummaries, summarizeTenants, tenantsCommand } from '../../lib/summary/tenants';
import { run } from '../output/child';
import { validPlatform } from '../platform-file/fixtures';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE_OUTPUTS = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'apps/platform-outputs.example.json'), 'utf8'),
);
const DEV_ID = EXAMPLE_OUTPUTS.infra.group_dev_object_id;
const KUBECONFIG = 'apiVersion: v1\nkind: Config\n';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tenants-'));
}

/** A platform file and outputs file on disk, as the command reads them. */
function files(
  platform: Record<string, any>,
  outputs?: unknown,
): { configFile: string; outputsFile?: string } {
  const dir = tmp();
  const configFile = path.join(dir, 'platform.yaml');
  fs.writeFileSync(configFile, stringify(platform));
  if (outputs === undefined) return { configFile };
  const outputsFile = path.join(dir, 'outputs.json');
  fs.writeFileSync(outputsFile, JSON.stringify(outputs));
  return { configFile, outputsFile };
}

describe('summarizeTenants', () => {
  const spec = validatePlatform(validPlatform());

  test('owners with names and ids, namespaces, the budget and where it comes from', () => {
    const [dev, staging] = summarizeTenants(spec, EXAMPLE_OUTPUTS, 'outputs.json');
    expect(dev.owners).toEqual([{ key: 'dev', displayName: 'capsuleDevGroup', objectId: DEV_ID }]);
    // A referenced group: its id comes from the platform file itself.
    expect(staging.owners[1]).toEqual({
      key: 'sre',
      displayName: undefined,
      objectId: '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0',
    });
    expect(dev.platformNamespaces).toEqual(['dev-demo']);
    expect(dev.budgetOrigin).toBe(QuotaOrigin.EXPLICIT);
    expect(dev.budget).toContainEqual({ resource: 'requests.cpu', hard: '8' });
    expect(staging.budgetOrigin).toBe(QuotaOrigin.DEFAULT);
    expect(staging.budget).toContainEqual({ resource: 'pods', hard: '100' });
    expect(dev.kubeconfigOutput).toBe('tenant_dev_kubeconfig');
    expect(dev.kubeconfig).toBeUndefined();
  });

  test('without outputs, created groups have no id yet; with the addons outputs, the kubeconfig is there', () => {
    expect(summarizeTenants(spec)[0].owners[0].objectId).toBeUndefined();
    // `cdktf deploy infra addons --outputs-file`: outputs by stack.
    const outputs = { ...EXAMPLE_OUTPUTS, addons: { tenant_dev_kubeconfig: KUBECONFIG } };
    expect(summarizeTenants(spec, outputs).map((s) => s.kubeconfig)).toEqual([KUBECONFIG, undefined]);
    // `terraform output -json` of the addons stack.
    const terraform = { tenant_staging_kubeconfig: { value: KUBECONFIG, type: 'string' } };
    expect(summarizeTenants(spec, terraform)[1].kubeconfig).toBe(KUBECONFIG);
  });
});

describe('formatTenantSummaries', () => {
  test('the reference tenant dev, as its owners read it', () => {
    const spec = validatePlatform(validPlatform());
    const text = formatTenantSummaries(summarizeTenants(spec, EXAMPLE_OUTPUTS, 'outputs.json').slice(0, 1), {
      outputsFile: 'outputs.json',
    });
    expect(text).toBe(
      [
        'tenant dev',
        `  owners           capsuleDevGroup (dev) ${DEV_ID}`,
        '  namespaces       at most 5, named dev-<name>; created by the platform: dev-demo',
        '  budget           limits.memory 32Gi, pods 100, requests.cpu 8, requests.memory 16Gi (from the platform file)',
        '  service types    ClusterIP',
        '  ingress classes  none',
        '  storage classes  default',
        "  egress           DNS (CoreDNS), the tenant's own namespaces",
        '  kubeconfig       output tenant_dev_kubeconfig of the addons stack (not in outputs.json: `cdktf deploy infra addons --outputs-file outputs.json`)',
        '  login            kubectl --kubeconfig aw-capsule-dev.kubeconfig get namespaces   (signed in with az login)',
        '',
      ].join('\n'),
    );
  });

  test('every option shows: several owners, opt-out budget, service types, classes, internet egress', () => {
    const p = validPlatform();
    Object.assign(p.tenants[1], {
      quota: 'none',
      serviceTypes: { loadBalancer: true, externalName: true },
      ingressClasses: ['nginx'],
      storageClasses: ['managed-csi', 'azurefile-csi'],
      internetEgress: true,
    });
    const text = formatTenantSummaries(summarizeTenants(validatePlatform(p)).slice(1));
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'tenant staging',
        '  owners           capsuleStagingGroup (staging) object id unknown until `cdktf deploy infra` (PLATFORM_OUTPUTS)',
        '                   referenced group (sre) 0fd5e5bb-39bb-468c-b343-dcdfb01e92d0',
        "  budget           none (quota: none): the tenant's namespaces can take the whole cluster",
        '  service types    ClusterIP, LoadBalancer, ExternalName',
        '  ingress classes  nginx',
        '  storage classes  managed-csi, azurefile-csi',
        "  egress           DNS (CoreDNS), the tenant's own namespaces, the internet (no private or Azure platform address)",
      ]),
    );
  });
});

describe('tenantsCommand (npm run tenants)', () => {
  test('the reference platform: the files read, the proxy, every tenant', () => {
    const { text, written } = tenantsCommand({
      configFile: path.join(ROOT, 'apps/platform.yaml'),
      outputsFile: path.join(ROOT, 'apps/platform-outputs.example.json'),
    });
    expect(written).toEqual([]);
    expect(text).toMatch(
      /^tenants: platform file .*apps\/platform\.yaml\n {2}outputs file {2}.*platform-outputs\.example\.json\n\n/,
    );
    expect(text).toContain('capsule-proxy: https://aw-capsule-proxy.francecentral.cloudapp.azure.com\n');
    expect(text.match(/^tenant \w+$/gm)).toEqual(['tenant dev', 'tenant staging']);
  });

  test('--kubeconfigs writes each tenant kubeconfig from the outputs file, and says so', () => {
    const outputs = {
      ...EXAMPLE_OUTPUTS,
      addons: {
        tenant_dev_kubeconfig: `${KUBECONFIG}# dev\n`,
        tenant_staging_kubeconfig: `${KUBECONFIG}# staging\n`,
      },
    };
    const inputs = files(validPlatform(), outputs);
    const dir = path.join(tmp(), 'kubeconfigs');
    const { text, written } = tenantsCommand(inputs, dir);
    expect(written).toEqual([
      path.join(dir, 'aw-capsule-dev.kubeconfig'),
      path.join(dir, 'aw-capsule-staging.kubeconfig'),
    ]);
    expect(fs.readFileSync(written[1], 'utf8')).toBe(`${KUBECONFIG}# staging\n`);
    expect(text).toContain(`  wrote ${written[0]}`);
    expect(text).toContain('  kubeconfig       output tenant_dev_kubeconfig of the addons stack\n');
  });

  test('--kubeconfigs without the addons outputs fails, naming the tenants and what to run', () => {
    const inputs = files(validPlatform(), EXAMPLE_OUTPUTS);
    const dir = path.join(tmp(), 'kubeconfigs');
    expect(() => tenantsCommand(inputs, dir)).toThrow(PlatformError);
    expect(() => tenantsCommand(inputs, dir)).toThrow(
      `no kubeconfig for tenant dev, staging in ${inputs.outputsFile}: run \`cdktf deploy infra addons --outputs-file outputs.json\` and set PLATFORM_OUTPUTS=outputs.json`,
    );
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('a private cluster: the proxy at its internal address', () => {
    const p = validPlatform();
    p.cluster.apiServer = { private: true };
    p.capsule.proxy.internalIp = '10.224.0.250';
    expect(tenantsCommand(files(p)).text).toContain('capsule-proxy: https://10.224.0.250\n');
  });

  test('the app: summary on stdout; an unknown argument is one line on stderr and exit 1', async () => {
    const ok = await run('apps/tenants.ts', [], { cwd: ROOT });
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' });
    expect(ok.stdout).toContain('tenant staging\n');
    const bad = await run('apps/tenants.ts', ['--kubeconfig', 'x'], { cwd: ROOT });
    expect({ code: bad.code, stdout: bad.stdout }).toEqual({ code: 1, stdout: '' });
    expect(bad.stderr).toBe(
      'tenants: unknown argument "--kubeconfig"; usage: npm run tenants [-- --kubeconfigs <folder>]\n',
    );
  });
});
