import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { HardenedDeployment, KeyVaultObjectType, KeyVaultSecrets } from '../../../lib/kubernetes/workloads';
import { PlatformError } from '../../../lib/platform-file';
import { CLIENT_ID, TENANT_ID } from './fixtures';
import { secretProviderClassErrors } from './upstream-validation';

const KEY_VAULT = {
  vaultName: 'kv-dev-demo',
  tenantId: TENANT_ID,
  clientId: CLIENT_ID,
  secrets: [
    { name: 'db-password', envVar: 'DB_PASSWORD' },
    { name: 'api-tls', type: KeyVaultObjectType.CERTIFICATE, fileName: 'tls.pem' },
  ],
};

describe('Key Vault secrets through the Secrets Store CSI driver', () => {
  // Built per test (beforeEach, not at collection): mutation testing then knows which tests run which code.
  let objects: any[];
  let spc: any;
  let pod: any;
  const one = (kind: string) => objects.find((o) => o.kind === kind);
  beforeEach(() => {
    const chart = Testing.chart();
    new HardenedDeployment(chart, 'api', {
      namespace: 'dev-demo',
      image: 'ghcr.io/example/api:2.4.1',
      port: 9000,
      keyVault: KEY_VAULT,
    });
    objects = Testing.synth(chart);
    spc = one('SecretProviderClass');
    pod = one('Deployment').spec.template;
  });

  test('a SecretProviderClass for the azure provider with workload identity, valid for the upstream CRD', () => {
    expect(spc.apiVersion).toBe('secrets-store.csi.x-k8s.io/v1');
    expect(spc.spec.provider).toBe('azure');
    expect(spc.spec.parameters).toMatchObject({
      usePodIdentity: 'false',
      clientID: CLIENT_ID,
      tenantId: TENANT_ID,
      keyvaultName: 'kv-dev-demo',
    });
    const items = parse(spc.spec.parameters.objects).array.map((s: string) => parse(s));
    expect(items).toEqual([
      { objectName: 'db-password', objectType: 'secret' },
      { objectName: 'api-tls', objectType: 'cert', objectAlias: 'tls.pem' },
    ]);
    expect(secretProviderClassErrors(objects)).toEqual([]);
  });

  test('the ServiceAccount carries the client and tenant ids and the pods the workload identity label', () => {
    expect(one('ServiceAccount').metadata.annotations).toEqual({
      'azure.workload.identity/client-id': CLIENT_ID,
      'azure.workload.identity/tenant-id': TENANT_ID,
    });
    expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
    // The driver gets its token from the kubelet: the API token stays unmounted.
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  test('files on a read-only CSI volume, env from the synced Secret, and no Secret emitted', () => {
    expect(pod.spec.volumes).toContainEqual({
      name: 'key-vault',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        volumeAttributes: { secretProviderClass: 'api' },
      },
    });
    const main = pod.spec.containers[0];
    expect(main.volumeMounts).toContainEqual({
      mountPath: '/mnt/secrets-store',
      name: 'key-vault',
      readOnly: true,
    });
    expect(main.env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-kv', key: 'DB_PASSWORD' } } },
    ]);
    expect(spc.spec.secretObjects).toEqual([
      expect.objectContaining({
        secretName: 'api-kv',
        type: 'Opaque',
        data: [{ objectName: 'db-password', key: 'DB_PASSWORD' }],
      }),
    ]);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('no SecretObjects when no variable is asked for', () => {
    const c = Testing.chart();
    new KeyVaultSecrets(c, 'kv', {
      ...KEY_VAULT,
      namespace: 'dev-demo',
      name: 'files',
      secrets: [{ name: 'a' }],
    });
    expect(Testing.synth(c)[0].spec.secretObjects).toBeUndefined();
  });

  test.each([
    [{ vaultName: 'kv' }, /^KeyVaultSecrets test\/kv: vaultName: "kv" is not a Key Vault name/],
    [{ tenantId: 'contoso' }, /tenantId: "contoso" is not a UUID/],
    [{ clientId: '' }, /clientId: "" is not a UUID/],
    [{ secrets: [] }, /secrets: lists no object/],
    [{ secrets: [{ name: 'a_b' }] }, /secrets\[0\]\.name: "a_b" is not a Key Vault object name/],
    [
      { secrets: [{ name: 'a', envVar: '1X' }] },
      /secrets\[0\]\.envVar: "1X" is not an environment variable name/,
    ],
    [
      { secrets: [{ name: 'a' }, { name: 'b', fileName: 'a' }] },
      /secrets\[1\]: file "a" is used by another object/,
    ],
  ])('rejects %j when constructed', (override, message) => {
    const build = () =>
      new KeyVaultSecrets(Testing.chart(), 'kv', {
        ...KEY_VAULT,
        ...override,
        namespace: 'dev-demo',
        name: 'api',
      });
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  });
});
