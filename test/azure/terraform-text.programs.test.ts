import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { parse } from 'yaml';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { AksCluster } from '../../lib/azure/aks-cluster';
import { AksHelmProvider } from '../../lib/azure/addons/aks-helm-provider';
import { CapsuleProxyRelease } from '../../lib/azure/addons/capsule-proxy-release';
import { CapsuleRelease, CapsuleSubjectKind } from '../../lib/azure/addons/capsule-release';
import { CertManagerRelease } from '../../lib/azure/addons/cert-manager-release';
import { KyvernoRelease } from '../../lib/azure/addons/kyverno-release';
import { ApiServerAccess } from '../../lib/azure/cluster-options';
import { ClusterAccess } from '../../lib/azure/cluster-access';
import { ContainerInsights } from '../../lib/azure/container-insights';
import { ControlPlaneIdentity } from '../../lib/azure/control-plane-identity';
import { ControlPlaneLogs } from '../../lib/azure/control-plane-logs';
import { ManagedPrometheus } from '../../lib/azure/managed-prometheus';
import { EntraGroup } from '../../lib/azure/entra-group';
import { terraformText } from '../../lib/azure/private/terraform-text';
import { PlatformError } from '../../lib/platform-file';
import { terraformBinary } from '../../scripts/terraform-check';
import { allStrings, foreignTemplates, resources, synth, testStack } from './helpers';

/** Text Terraform would run if it reached a string unescaped. */
const TEMPLATE = '${file("/etc/passwd")} %{ for x in ["a"] }${x}%{ endfor }';
/** The same text as Terraform must receive it. */
const ESCAPED = '$${file("/etc/passwd")} %%{ for x in ["a"] }$${x}%%{ endfor }';
const ADMINS = '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13';
const USERS = '8d4e6f20-1b3c-4a7e-8f95-6c2a1d9e0b47';

/** Builds one of each construct with TEMPLATE in every free-text prop. */
function everyFreeTextProp(stack: TerraformStack): void {
  const admins = new EntraGroup(stack, 'admins', {
    displayName: `admins ${TEMPLATE}`,
    description: `description ${TEMPLATE}`,
  });
  const cluster = new AksCluster(stack, 'aks', {
    name: 'demo-aks',
    location: `francecentral${TEMPLATE}`,
    resourceGroupName: `demo${TEMPLATE}`,
    nodeResourceGroup: `demo-nodes${TEMPLATE}`,
    adminGroupObjectIds: [admins.objectId],
    apiServerAccess: ApiServerAccess.fromIpRanges(['203.0.113.0/24']),
    systemPool: { orchestratorVersion: `1.33${TEMPLATE}` },
    maintenanceUtcOffset: '+01:00',
    controlPlaneIdentity: ControlPlaneIdentity.userAssigned(),
    managedPrometheusEnabled: true,
    defenderEnabled: true,
  });
  cluster.addUserPool({ name: 'apps', orchestratorVersion: `1.33${TEMPLATE}` });
  new AksCluster(stack, 'byo', {
    name: 'byo-aks',
    location: 'francecentral',
    resourceGroupName: 'demo',
    adminGroupObjectIds: [ADMINS],
    apiServerAccess: ApiServerAccess.privateEndpoint(),
    logAnalyticsWorkspaceId: `/subscriptions/x/workspaces/w${TEMPLATE}`,
  });
  new ControlPlaneLogs(stack, 'audit', {
    name: `audit${TEMPLATE}`,
    clusterId: `/clusters/c${TEMPLATE}`,
    workspaceId: `/workspaces/w${TEMPLATE}`,
    retentionDays: 90,
  });
  new ManagedPrometheus(stack, 'prometheus', {
    clusterName: 'demo-aks',
    clusterId: `/clusters/c${TEMPLATE}`,
    location: `francecentral${TEMPLATE}`,
    resourceGroupName: `demo${TEMPLATE}`,
  });
  new ContainerInsights(stack, 'insights', {
    name: `rule${TEMPLATE}`,
    location: `francecentral${TEMPLATE}`,
    resourceGroupName: `demo${TEMPLATE}`,
    workspaceId: `/workspaces/w${TEMPLATE}`,
    clusterId: `/clusters/c${TEMPLATE}`,
  });
  new ClusterAccess(stack, 'access', {
    clusterId: `/clusters/c${TEMPLATE}`,
    adminGroups: [{ name: 'admins', objectId: ADMINS }],
  });
  new AksHelmProvider(stack, 'helm-aks', {
    host: `https://demo${TEMPLATE}`,
    clusterCaCertificateBase64: 'Q0E=',
    loginMode: `azurecli${TEMPLATE}`,
  });
  const certManager = new CertManagerRelease(stack, 'cert-manager', { version: `v1.19.1${TEMPLATE}` });
  new KyvernoRelease(stack, 'kyverno', { version: `3.9.0${TEMPLATE}` });
  const capsule = new CapsuleRelease(stack, 'capsule', {
    certManager,
    usersGroupObjectId: USERS,
    adminGroupObjectIds: [admins.objectId],
    version: `0.14.0${TEMPLATE}`,
    administrators: [{ kind: CapsuleSubjectKind.USER, name: `deployer${TEMPLATE}` }],
  });
  new CapsuleProxyRelease(stack, 'capsule-proxy', {
    certManager,
    capsule,
    dnsLabel: 'demo-proxy',
    location: 'francecentral',
    adminGroupObjectIds: [admins.objectId],
    allowedSourceRanges: [`203.0.113.0/24${TEMPLATE}`],
    version: `0.14.0${TEMPLATE}`,
  });
}

/**
 * What Terraform makes of strings, asked to Terraform itself: `terraform console` evaluates
 * them as locals of a scratch configuration (no provider needed).
 */
function terraformReads(terraform: string, strings: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-reads-'));
  const locals = Object.fromEntries(strings.map((s, i) => [`s${i}`, s]));
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals }));
  const list = strings.map((_s, i) => `local.s${i}`).join(', ');
  const r = spawnSync(terraform, ['console', '-no-color'], {
    cwd: dir,
    input: `jsonencode([${list}])\n`,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(r.status).toBe(0);
  // The console prints the JSON text as a quoted string.
  return JSON.parse(JSON.parse(r.stdout.trim()));
}

describe('terraformText', () => {
  test('escapes ${ and %{ of literal text', () => {
    expect(terraformText('a ${b} %{ if c }d%{ endif } $${e}')).toBe('a $${b} %%{ if c }d%%{ endif } $$${e}');
    expect(terraformText('Budget $5, {x}, 100%')).toBe('Budget $5, {x}, 100%');
    expect(terraformText(undefined)).toBeUndefined();
  });

  test('keeps references live and escapes the text around them', () => {
    const stack = testStack();
    const group = new EntraGroup(stack, 'g', { displayName: 'g' });
    new EntraGroup(stack, 'mixed', {
      displayName: 'mixed',
      description: `\${not.this} ${group.objectId} %{ nor this }`,
    });
    new EntraGroup(stack, 'dollar', { displayName: 'dollar', description: `costs $${group.objectId}` });
    new EntraGroup(stack, 'plain', { displayName: 'plain', description: `owner ${group.objectId}` });
    const groups = resources(synth(stack), 'azuread_group');
    const ref = (name: string) =>
      Object.values(groups).find((g) => g.display_name === name).description as string;
    const live = /\$\{azuread_group\.g_[\w]+\.object_id\}/;
    expect(ref('mixed')).toMatch(
      /^\$\$\{not\.this\} \$\{azuread_group\.g_\w+\.object_id\} %%\{ nor this \}$/,
    );
    // A "$" right before a reference would escape it: it is written as an expression of its own.
    expect(ref('dollar')).toMatch(/^costs \$\{"\$"\}\$\{azuread_group\.g_\w+\.object_id\}$/);
    expect(ref('plain')).toMatch(live);
    expect(ref('plain').startsWith('owner ${')).toBe(true);
  });

  test('a reference alone is passed through untouched', () => {
    const stack = testStack();
    const group = new EntraGroup(stack, 'g', { displayName: 'g' });
    expect(terraformText(group.objectId)).toBe(group.objectId);
  });
});

describe('every free-text prop of the constructs', () => {
  const stack = testStack();
  everyFreeTextProp(stack);
  const tf = synth(stack);

  test('reaches Terraform escaped: nothing but the constructs’ own references is evaluated', () => {
    expect(foreignTemplates(tf)).toEqual([]);
    // and the text did reach the configuration, escaped
    const escaped = allStrings(tf).filter((s) => s.includes(ESCAPED));
    expect(escaped.length).toBeGreaterThanOrEqual(20);
  });

  test('chart values keep the text as written for Helm', () => {
    const releases = resources(tf, 'helm_release');
    const capsule = Object.values(releases).find((r) => r.chart === 'capsule');
    expect(parse(capsule.values[0]).manager.options.administrators[0].name).toBe(`deployer${ESCAPED}`);
    expect(capsule.depends_on).toHaveLength(1);
  });

  test('a CA certificate that is not base64 is refused (a function argument is not escaped by cdktf)', () => {
    expect(
      () =>
        new AksHelmProvider(testStack(), 'p', {
          host: 'https://x',
          clusterCaCertificateBase64: '%{ if true }x',
        }),
    ).toThrow(PlatformError);
    expect(
      () =>
        new AksHelmProvider(testStack(), 'p', {
          host: 'https://x',
          clusterCaCertificateBase64: '%{ if true }x',
        }),
    ).toThrow(/AksHelmProvider\.clusterCaCertificateBase64 must be base64 .*got "%\{ if true \}x"/);
  });

  const terraform = terraformBinary();
  (terraform ? test : test.skip)(
    `Terraform reads the literal text back as written${terraform ? '' : ' [skipped: terraform is not on the PATH]'}`,
    () => {
      // Strings without any reference: Terraform can evaluate them on their own.
      const literal = allStrings(tf).filter((s) => s.includes('$${file(') && !/(^|[^$])\$\{[a-z]/.test(s));
      expect(literal.length).toBeGreaterThanOrEqual(15);
      const read = terraformReads(terraform!, literal);
      read.forEach((value) => expect(value).toContain(TEMPLATE));
      expect(read).toContain(`admins ${TEMPLATE}`);
      expect(read).toContain(`description ${TEMPLATE}`);
    },
  );
});

describe('escaping across stacks', () => {
  test('chart values keep the cross-stack references live and the text escaped', () => {
    const app = Testing.app() as App;
    const infra = new TerraformStack(app, 'infra');
    new AzureadProvider(infra, 'azuread', {});
    const users = new EntraGroup(infra, 'users', { displayName: 'users' });
    const addons = new TerraformStack(app, 'addons');
    new HelmProvider(addons, 'helm', {});
    new CapsuleRelease(addons, 'capsule', {
      certManager: new CertManagerRelease(addons, 'cert-manager'),
      usersGroupObjectId: users.objectId,
      adminGroupObjectIds: [ADMINS],
      administrators: [{ kind: CapsuleSubjectKind.USER, name: `ci ${TEMPLATE}` }],
    });
    app.synth();
    const tf = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks/addons/cdk.tf.json'), 'utf8'));
    const values: string = Object.values(resources(tf, 'helm_release')).find((r) => r.chart === 'capsule')
      .values[0];
    expect(foreignTemplates(tf)).toEqual([]);
    const parsed = parse(values);
    expect(parsed.manager.options.users[0].name).toMatch(
      /^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+\}$/,
    );
    expect(parsed.manager.options.administrators[0].name).toBe(`ci ${ESCAPED}`);
  });
});
