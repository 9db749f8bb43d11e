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
  validatePlatform,
} from '../../lib/spec';
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
