import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  groupKeysNeededByKubernetes,
  groupObjectIdOutputName,
  loadPlatformFile,
  platformInputsFromEnv,
  PlatformError,
  readOutputsFile,
  resolveGroupObjectIds,
  resolvePlatformOutputs,
  resolveWorkloadIdentities,
  validatePlatform,
  workloadClientIdOutputName,
} from '../../lib/platform-file';
import { validPlatform } from './fixtures';

const DEV = 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58';
const STAGING = 'e5a0d7b4-2c9f-4e13-b8d6-1f4a3c7e9b02';

describe('group object ids for the Kubernetes YAML', () => {
  const spec = validatePlatform(validPlatform());

  test('the Kubernetes side needs the tenant owner groups and the admin groups', () => {
    expect(groupKeysNeededByKubernetes(spec)).toEqual(['admins', 'dev', 'sre', 'staging']);
    expect(groupKeysNeededByKubernetes({ ...spec, tenants: [] })).toEqual([]);
  });

  test('output names are stable identifiers', () => {
    expect(groupObjectIdOutputName('dev')).toBe('group_dev_object_id');
    expect(groupObjectIdOutputName('platform-admins')).toBe('group_platform_admins_object_id');
  });

  test('reads the cdktf --outputs-file format, nested by construct path', () => {
    const outputs = {
      infra: { identity: { group_dev_object_id: DEV.toUpperCase() }, group_staging_object_id: STAGING },
    };
    const ids = resolveGroupObjectIds(spec, ['dev', 'staging', 'sre'], outputs, 'outputs.json');
    expect(ids.get('dev')).toBe(DEV);
    expect(ids.get('staging')).toBe(STAGING);
    expect(ids.get('sre')).toBe('0fd5e5bb-39bb-468c-b343-dcdfb01e92d0'); // referenced: no output needed
  });

  test('reads the terraform output -json format', () => {
    const outputs = { group_dev_object_id: { value: DEV, type: 'string', sensitive: false } };
    expect(resolveGroupObjectIds(spec, ['dev'], outputs, 'tf.json').get('dev')).toBe(DEV);
  });

  test('a missing id names the group and how to get it', () => {
    expect(() => resolveGroupObjectIds(spec, ['dev', 'staging'], { infra: {} }, 'outputs.json')).toThrow(
      PlatformError,
    );
    expect(() => resolveGroupObjectIds(spec, ['dev', 'staging'], { infra: {} }, 'outputs.json')).toThrow(
      /group "dev" \(capsuleDevGroup\): outputs\.json has no output group_dev_object_id\n {2}- group "staging" \(capsuleStagingGroup\)[^]*cdktf deploy infra --outputs-file/,
    );
  });

  test('no outputs file at all names the variable', () => {
    expect(() => resolveGroupObjectIds(spec, ['dev'], undefined)).toThrow(
      /no outputs file was given \(PLATFORM_OUTPUTS\)/,
    );
  });

  test('a value that is not an object id is rejected, never passed through', () => {
    expect(() =>
      resolveGroupObjectIds(
        spec,
        ['dev'],
        { group_dev_object_id: '${azuread_group.dev.object_id}' },
        'o.json',
      ),
    ).toThrow(
      /output group_dev_object_id in o\.json is "\$\{azuread_group\.dev\.object_id\}", not an object id/,
    );
  });

  test('the example outputs file covers every group of the reference platform', () => {
    const reference = loadPlatformFile('apps/platform.yaml');
    const outputs = readOutputsFile('apps/platform-outputs.example.json');
    const ids = resolveGroupObjectIds(reference, Object.keys(reference.groups), outputs, 'example');
    expect(ids.size).toBe(Object.keys(reference.groups).length);
  });

  test('unreadable or invalid outputs files are user errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ not json');
    expect(() => readOutputsFile(bad)).toThrow(/is not JSON/);
    expect(() => readOutputsFile(path.join(dir, 'none.json'))).toThrow(
      /cannot read the outputs file .*ENOENT/,
    );
  });
});

describe('workload identities for the Kubernetes YAML', () => {
  const CLIENT = '9a4e2b7c-1d3f-4c85-b6e0-5f8a2d9c3e71';
  const OTHER = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
  const TENANT = '2c5d8e91-4f7a-4b36-9e0d-7a1f3c6b8d24';
  const spec = validatePlatform({
    ...validPlatform(),
    keyVaults: { dev: {} },
    workloads: [
      { ...validPlatform().workloads[0], keyVault: { secrets: [{ name: 'a' }] } },
      { ...validPlatform().workloads[0], name: 'worker', keyVault: { secrets: [{ name: 'b' }] } },
    ],
  });
  const outputs = (o: Record<string, unknown>) => ({
    infra: {
      azure_tenant_id: TENANT,
      'workload_identity_dev-demo_demo-api_client_id': CLIENT,
      'workload_identity_dev-demo_worker_client_id': OTHER,
      ...o,
    },
  });

  test('output names keep the namespace and the name apart', () => {
    expect(workloadClientIdOutputName('dev-demo', 'demo-api')).toBe(
      'workload_identity_dev-demo_demo-api_client_id',
    );
    expect(workloadClientIdOutputName('dev-demo-demo', 'api')).not.toBe(
      workloadClientIdOutputName('dev-demo', 'demo-api'),
    );
  });

  test('reads the client id of each workload and the platform tenant, in either format', () => {
    const ids = resolveWorkloadIdentities(spec, outputs({}), 'outputs.json');
    expect([...ids]).toEqual([
      ['dev-demo/demo-api', { clientId: CLIENT, tenantId: TENANT }],
      ['dev-demo/worker', { clientId: OTHER, tenantId: TENANT }],
    ]);
    const tf = Object.fromEntries(
      Object.entries(outputs({}).infra).map(([k, v]) => [
        k,
        { value: String(v).toUpperCase(), type: 'string' },
      ]),
    );
    expect(resolveWorkloadIdentities(spec, tf, 'tf.json').get('dev-demo/worker')).toEqual({
      clientId: OTHER,
      tenantId: TENANT,
    });
  });

  test('a missing client id names the workload, the output and how to get it', () => {
    const o = outputs({});
    delete (o.infra as Record<string, unknown>)['workload_identity_dev-demo_worker_client_id'];
    expect(() => resolveWorkloadIdentities(spec, o, 'outputs.json')).toThrow(
      new PlatformError(
        [
          'the Kubernetes YAML needs the client ids of the workload identities the infra stack creates:',
          '  - workload dev-demo/worker (workloads[1]): outputs.json has no output workload_identity_dev-demo_worker_client_id',
          'Deploy the infra stack and pass its outputs: `cdktf deploy infra --outputs-file outputs.json` then',
          'PLATFORM_OUTPUTS=outputs.json (or `terraform output -json` of the infra stack), or give workloads[].keyVault.clientId for an identity made elsewhere.',
        ].join('\n'),
      ),
    );
  });

  test('without any outputs file, the tenant and every identity are named', () => {
    expect(() => resolveWorkloadIdentities(spec, undefined)).toThrow(
      /- the Entra tenant of workload dev-demo\/demo-api \(workloads\[0\]\), workload dev-demo\/worker \(workloads\[1\]\): no outputs file was given \(PLATFORM_OUTPUTS\)\n {2}- workload dev-demo\/demo-api \(workloads\[0\]\): no outputs file was given/,
    );
  });

  test('placeholders and shared ids are refused', () => {
    expect(() =>
      resolveWorkloadIdentities(
        spec,
        outputs({ 'workload_identity_dev-demo_worker_client_id': '00000000-0000-0000-0000-000000000000' }),
        'o.json',
      ),
    ).toThrow(
      /workload dev-demo\/worker \(workloads\[1\]\): output workload_identity_dev-demo_worker_client_id in o\.json is "00000000-0000-0000-0000-000000000000", the nil UUID, a placeholder/,
    );
    expect(() =>
      resolveWorkloadIdentities(
        spec,
        outputs({ 'workload_identity_dev-demo_worker_client_id': CLIENT }),
        'o.json',
      ),
    ).toThrow(
      `  - workload dev-demo/demo-api (workloads[0]), workload dev-demo/worker (workloads[1]) all have the client id ${CLIENT} (from o.json): each identity the infra stack creates has its own`,
    );
    expect(() =>
      resolveWorkloadIdentities(spec, outputs({ azure_tenant_id: '${data.x.tenant_id}' }), 'o.json'),
    ).toThrow(/output azure_tenant_id in o\.json is "\$\{data\.x\.tenant_id\}", not a tenant id/);
  });

  test("an identity the stack created for one tenant, given by hand to another tenant's workload, is refused", () => {
    const mixed = validatePlatform({
      ...validPlatform(),
      keyVaults: { dev: {} },
      workloads: [
        { ...validPlatform().workloads[0], keyVault: { secrets: [{ name: 'a' }] } },
        {
          ...validPlatform().workloads[0],
          tenant: 'staging',
          namespace: 'staging-jobs',
          keyVault: { name: 'kv-elsewhere', clientId: CLIENT, tenantId: TENANT, secrets: [{ name: 'b' }] },
        },
      ],
    });
    expect(() => resolveWorkloadIdentities(mixed, outputs({}), 'o.json')).toThrow(
      `  - workload dev-demo/demo-api (workloads[0]), workload staging-jobs/demo-api (workloads[1]) all have the client id ${CLIENT} (from o.json)`,
    );
  });

  test('identities made elsewhere need no output', () => {
    const external = validatePlatform({
      ...validPlatform(),
      workloads: [
        {
          ...validPlatform().workloads[0],
          keyVault: { name: 'kv-elsewhere', clientId: CLIENT, tenantId: TENANT, secrets: [{ name: 'a' }] },
        },
      ],
    });
    expect([...resolveWorkloadIdentities(external, undefined)]).toEqual([
      ['dev-demo/demo-api', { clientId: CLIENT, tenantId: TENANT }],
    ]);
  });

  test('groups and identities missing together: one message with both', () => {
    expect(() => resolvePlatformOutputs(spec, { infra: {} }, 'outputs.json')).toThrow(
      /^the Kubernetes YAML needs the ids of groups and workload identities the infra stack creates:\n {2}- group "admins".*[^]*- workload dev-demo\/worker[^]*or reference existing groups with groups\.<key>\.objectId, or give workloads\[\]\.keyVault\.clientId/,
    );
  });

  test('the example outputs file covers every identity of the reference platform', () => {
    const reference = loadPlatformFile('apps/platform.yaml');
    const outputs = readOutputsFile('apps/platform-outputs.example.json');
    const ids = resolvePlatformOutputs(reference, outputs, 'example');
    expect([...ids.workloadIdentities.keys()]).toEqual(['dev-demo/demo-api']);
  });
});

describe('inputs from the environment', () => {
  test('defaults to the reference platform and its example outputs', () => {
    expect(platformInputsFromEnv({})).toEqual({
      configFile: 'apps/platform.yaml',
      outputsFile: 'apps/platform-outputs.example.json',
      referenceDefault: true,
    });
  });
  test('never applies the example outputs to another platform file', () => {
    expect(platformInputsFromEnv({ PLATFORM_CONFIG: 'mine.yaml' })).toEqual({
      configFile: 'mine.yaml',
      outputsFile: undefined,
    });
  });
  test('PLATFORM_OUTPUTS wins', () => {
    expect(
      platformInputsFromEnv({ PLATFORM_CONFIG: 'mine.yaml', PLATFORM_OUTPUTS: 'o.json' }).outputsFile,
    ).toBe('o.json');
  });
});
