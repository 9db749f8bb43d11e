import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { parse } from 'yaml';
import { synthAzurePlatform } from '../../lib/azure/synth';
import { groupObjectIdOutputName, PlatformError, PlatformValidationError } from '../../lib/platform-file';
import { chartValuesValidator } from '../upstream/schemas';
import { allStrings, only, platform, resources, synthPlatform } from './helpers';

const SRE = '0fd5e5bb-39bb-468c-b343-dcdfb01e92d0';
const CLUSTER_REF = /^\$\{azurerm_kubernetes_cluster\.aks\.id\}$/;
const groupRef = (key: string) => `\${azuread_group.group_${key}.object_id}`;

describe('the infra stack of the reference platform', () => {
  const { infra, outdir } = synthPlatform();

  test('creates every displayName group and none of the referenced ones', () => {
    const groups = resources(infra, 'azuread_group');
    expect(Object.keys(groups).sort()).toEqual([
      'group_admins',
      'group_dev',
      'group_staging',
      'group_tenants',
    ]);
    expect(groups.group_dev).toMatchObject({
      display_name: 'capsuleDevGroup',
      security_enabled: true,
      mail_enabled: false,
    });
    expect(allStrings(infra).some((s) => s.includes('azuread_user'))).toBe(false);
  });

  test('outputs the object id of every group, by the name the Kubernetes app reads', () => {
    expect(infra.output).toMatchObject({
      [groupObjectIdOutputName('admins')]: { value: groupRef('admins') },
      [groupObjectIdOutputName('dev')]: { value: groupRef('dev') },
      [groupObjectIdOutputName('tenants')]: { value: groupRef('tenants') },
      // referenced: the literal id
      [groupObjectIdOutputName('sre')]: { value: SRE },
    });
    expect(
      Object.keys(infra.output)
        .filter((k) => k.startsWith('group_'))
        .sort(),
    ).toEqual(['admins', 'dev', 'sre', 'staging', 'tenants'].map(groupObjectIdOutputName).sort());
  });

  test('nests every tenant owner group, referenced ones included, into the Capsule users group', () => {
    const edges = Object.values(resources(infra, 'azuread_group_member')).map((m) => [
      m.group_object_id,
      m.member_object_id,
    ]);
    expect(edges.sort()).toEqual(
      [
        [groupRef('tenants'), groupRef('dev')],
        [groupRef('tenants'), groupRef('staging')],
        [groupRef('tenants'), SRE],
      ].sort(),
    );
  });

  test('admins are the cluster admin groups', () => {
    const aks = only(infra, 'azurerm_kubernetes_cluster');
    expect(aks.azure_active_directory_role_based_access_control.admin_group_object_ids).toEqual([
      groupRef('admins'),
    ]);
    expect(aks).toMatchObject({
      name: 'aw-capsule-aks',
      location: 'francecentral',
      node_resource_group: 'aw-capsule-vm',
    });
  });

  test('every role assignment: role, principal and the cluster as scope', () => {
    const grants = Object.entries(resources(infra, 'azurerm_role_assignment')).map(([id, r]) => {
      expect(r.scope).toMatch(CLUSTER_REF);
      expect(r.principal_type).toBe('Group');
      return [id, r.role_definition_name, r.principal_id];
    });
    expect(grants.sort()).toEqual(
      [
        ['access_admins_cluster_user', 'Azure Kubernetes Service Cluster User Role', groupRef('admins')],
        ['access_dev_cluster_user', 'Azure Kubernetes Service Cluster User Role', groupRef('dev')],
        ['access_dev_reader', 'Reader', groupRef('dev')],
        ['access_staging_cluster_user', 'Azure Kubernetes Service Cluster User Role', groupRef('staging')],
        ['access_staging_reader', 'Reader', groupRef('staging')],
        ['access_sre_cluster_user', 'Azure Kubernetes Service Cluster User Role', SRE],
        ['access_sre_reader', 'Reader', SRE],
      ].sort(),
    );
  });

  test('the user pools of the file', () => {
    expect(resources(infra, 'azurerm_kubernetes_cluster_node_pool')).toEqual({
      aks_pool_apps: expect.objectContaining({
        name: 'apps',
        min_count: 3,
        max_count: 10,
        host_encryption_enabled: true,
        os_disk_type: 'Ephemeral',
      }),
    });
  });

  test('keeps the state path relative (no path of the synthesizing machine)', () => {
    const state: string = infra.terraform.backend.local.path;
    expect(state).not.toMatch(/^\//);
    expect(path.resolve(outdir, 'stacks', 'infra', state)).toBe(path.resolve('terraform.infra.tfstate'));
  });

  test('snapshot of the resource addresses', () => {
    const addresses = Object.entries(infra.resource).flatMap(([type, rs]) =>
      Object.keys(rs as object).map((n) => `${type}.${n}`),
    );
    expect(addresses.sort()).toMatchSnapshot();
  });
});

describe('the addons stack of the reference platform', () => {
  const { addons } = synthPlatform();
  const remote = (name: string) =>
    expect.stringMatching(
      new RegExp(`^\\$\\{data\\.terraform_remote_state\\.[\\w]+\\.outputs\\.${name}\\}$`),
    );
  const values = (name: string) => parse(resources(addons, 'helm_release')[name].values[0]);

  test('reads the cluster from infra and authenticates with kubelogin', () => {
    const helm = addons.provider.helm[0].kubernetes;
    expect(helm.host).toEqual(
      remote('cross_stack_output_azurerm_kubernetes_cluster_aks_kube_config_0__host'),
    );
    expect(helm.cluster_ca_certificate).toMatch(
      /^\$\{base64decode\(data\.terraform_remote_state\.\w+\.outputs\.\w+cluster_ca_certificate\)\}$/,
    );
    expect(helm.exec.command).toBe('kubelogin');
    expect(helm).not.toHaveProperty('client_key');
    expect(helm).not.toHaveProperty('token');
  });

  test('installs the four releases, in dependency order', () => {
    const releases = resources(addons, 'helm_release');
    expect(Object.keys(releases).sort()).toEqual(['capsule', 'capsule_proxy', 'cert_manager', 'kyverno']);
    // Static references: Terraform refuses an interpolation ("${...}") in depends_on.
    expect(releases.capsule.depends_on).toEqual(['helm_release.cert_manager']);
    expect(releases.capsule_proxy.depends_on).toEqual([
      'helm_release.cert_manager',
      'helm_release.capsule',
      'kubernetes_secret_v1.capsule_proxy_ca_secret',
    ]);
    expect(releases.cert_manager).not.toHaveProperty('depends_on');
    expect(releases.kyverno).not.toHaveProperty('depends_on');
  });

  test('spec values flow into the charts: replicas, groups, DNS label, namespaces', () => {
    const kyverno = values('kyverno');
    expect(kyverno.admissionController.replicas).toBe(3);
    expect(kyverno.features.policyExceptions.namespace).toBe('kyverno-exceptions');
    const capsule = values('capsule');
    expect(capsule.manager.options.users).toEqual([
      { kind: 'Group', name: remote('cross_stack_output_azuread_group_group_tenants_object_id') },
    ]);
    expect(capsule.manager.options.ignoreUserWithGroups).toEqual([
      remote('cross_stack_output_azuread_group_group_admins_object_id'),
    ]);
    expect(capsule.manager.options.forceTenantPrefix).toBe(true);
    const proxy = values('capsule_proxy');
    expect(proxy.service.annotations['service.beta.kubernetes.io/azure-dns-label-name']).toBe(
      'aw-capsule-proxy',
    );
    expect(proxy.certManager.certificate.dnsNames).toEqual([
      'aw-capsule-proxy.francecentral.cloudapp.azure.com',
    ]);
  });

  test('a changed platform file changes the values', () => {
    const { addons: other } = synthPlatform(
      platform((p) => {
        p.kyverno.replicas.admission = 4;
        p.kyverno.exceptionNamespace = 'policy-exceptions';
        p.capsule.replicas = 3;
        p.capsule.proxy = { dnsLabel: 'tenants-api', replicas: 1 };
        p.capsule.users = 'sre';
        p.azure.location = 'westeurope';
      }),
    );
    const v = (n: string) => parse(resources(other, 'helm_release')[n].values[0]);
    expect(v('kyverno').admissionController.replicas).toBe(4);
    expect(v('kyverno').features.policyExceptions.namespace).toBe('policy-exceptions');
    expect(v('capsule').replicaCount).toBe(3);
    expect(v('capsule').manager.options.users).toEqual([{ kind: 'Group', name: SRE }]);
    expect(v('capsule_proxy').replicaCount).toBe(1);
    expect(v('capsule_proxy').options.leaderElection).toBe(false);
    expect(v('capsule_proxy').certManager.certificate.dnsNames).toEqual([
      'tenants-api.westeurope.cloudapp.azure.com',
    ]);
  });
});

describe('no secret reaches the Terraform', () => {
  const FORBIDDEN = [
    /password/i,
    /client[_-]?secret/i,
    /insecure[_-]skip[_-]tls[_-]verify/i,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    /client[_-]?key/i,
    /\btoken\s*[:=]/i,
    /kube_admin_config/i,
    /primary_shared_key|secondary_shared_key/i,
  ];

  test.each([
    ['the reference platform', platform()],
    [
      'a private cluster with a referenced users group',
      platform((p) => {
        p.cluster.apiServer = { private: true };
        p.capsule.proxy.internalIp = '10.224.0.250';
        p.capsule.users = 'sre';
      }),
    ],
  ])('%s: no string of either stack looks like a credential', (_what, spec) => {
    const { infra, addons } = synthPlatform(spec);
    const offending = [...allStrings(infra), ...allStrings(addons)].filter((s) =>
      FORBIDDEN.some((re) => re.test(s)),
    );
    expect(offending).toEqual([]);
  });

  test('the scan catches a planted secret', () => {
    const strings = allStrings({
      provider: { helm: [{ kubernetes: { password: 'x' } }] },
      values: ['insecure-skip-tls-verify: true'],
    });
    expect(strings.filter((s) => FORBIDDEN.some((re) => re.test(s)))).toHaveLength(2);
  });

  test('the outputs that carry cluster data are sensitive', () => {
    const { infra } = synthPlatform();
    for (const [name, o] of Object.entries<any>(infra.output)) {
      if (name.includes('kube_config')) expect(o.sensitive).toBe(true);
    }
  });
});

describe("Capsule chart values against the charts' values.schema.json (vendor/)", () => {
  const { addons } = synthPlatform();
  test.each<[string, 'capsule' | 'capsule-proxy']>([
    ['capsule', 'capsule'],
    ['capsule_proxy', 'capsule-proxy'],
  ])('%s', (name, chart) => {
    const validate = chartValuesValidator(chart);
    const ok = validate(parse(resources(addons, 'helm_release')[name].values[0]));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('platform file checks of the cluster section', () => {
  test.each<[string, (p: Record<string, any>) => void, RegExp]>([
    ['no user pool', (p) => (p.cluster.userPools = []), /cluster\.userPools: needs at least one user pool/],
    [
      'a patch version with an upgrade channel',
      (p) => (p.cluster.kubernetesVersion = '1.33.2'),
      /cluster\.kubernetesVersion: "1\.33\.2" pins a patch version while upgrade\.channel is "patch".*"1\.33"/,
    ],
    [
      'node-image with another node OS channel',
      (p) => (p.cluster.upgrade = { channel: 'node-image', nodeOs: 'SecurityPatch' }),
      /cluster\.upgrade\.nodeOs: "SecurityPatch" cannot be combined with upgrade\.channel "node-image"/,
    ],
    [
      'cilium without overlay',
      (p) => (p.cluster.network = { policy: 'cilium', mode: 'vnet' }),
      /cluster\.network\.mode: "vnet" cannot be combined with policy "cilium"/,
    ],
    [
      'an unknown OS disk type',
      (p) => (p.cluster.systemPool.osDiskType = 'Temp'),
      /cluster\.systemPool\.osDiskType: must be one of "Ephemeral", "Managed", got "Temp"/,
    ],
  ])('%s', (_what, mutate, message) => {
    expect(() => platform(mutate)).toThrow(PlatformValidationError);
    expect(() => platform(mutate)).toThrow(message);
  });

  test('a patch version is fine when automatic upgrades are off; hardening can be opted out per pool', () => {
    const spec = platform((p) => {
      p.cluster.kubernetesVersion = '1.33.2';
      p.cluster.upgrade = { channel: 'none' };
      p.cluster.userPools[0].hostEncryption = false;
      p.cluster.userPools[0].osDiskType = 'Managed';
    });
    const { infra } = synthPlatform(spec);
    expect(only(infra, 'azurerm_kubernetes_cluster')).toMatchObject({
      kubernetes_version: '1.33.2',
      automatic_upgrade_channel: 'none',
    });
    expect(only(infra, 'azurerm_kubernetes_cluster_node_pool')).toMatchObject({
      host_encryption_enabled: false,
      os_disk_type: 'Managed',
    });
    expect(only(infra, 'azurerm_kubernetes_cluster').default_node_pool.host_encryption_enabled).toBe(true);
  });
});

describe('the Azure app', () => {
  test('writes the infra and addons stacks of the platform file', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-app-'));
    synthAzurePlatform({ configFile: 'apps/platform.yaml', outdir });
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['addons', 'infra']);
    const addons = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/addons/cdk.tf.json'), 'utf8'));
    expect(Object.keys(addons.resource.helm_release).sort()).toEqual([
      'capsule',
      'capsule_proxy',
      'cert_manager',
      'kyverno',
    ]);
  });

  test('a wrong platform file is a PlatformError naming the key, and nothing is written', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-app-'));
    const file = path.join(dir, 'platform.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync('apps/platform.yaml', 'utf8').replace('userPools:', 'userPools: []\n  oldPools:'),
    );
    const outdir = path.join(dir, 'out');
    expect(() => synthAzurePlatform({ configFile: file, outdir })).toThrow(PlatformError);
    expect(() => synthAzurePlatform({ configFile: file, outdir })).toThrow(/cluster\.oldPools: unknown key/);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
