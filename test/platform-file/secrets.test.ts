import { keyVaultAccesses, validatePlatform } from '../../lib/platform-file';
import { errorsOf, validPlatform } from './fixtures';

type Json = Record<string, any>;

const KV_ID =
  '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/secrets/providers/Microsoft.KeyVault/vaults/kv-shared';
const ACR_ID =
  '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/images/providers/Microsoft.ContainerRegistry/registries/SharedImages';
const CLIENT = '5c3f1a2b-8d4e-4f60-9a7b-0c1d2e3f4a5b';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** The test platform with a vault per tenant and the dev workload reading the dev vault. */
function withVaults(mutate: (p: Json) => void = () => undefined): Json {
  const p = validPlatform();
  p.keyVaults = { dev: {}, staging: {} };
  p.workloads[0].keyVault = { secrets: [{ name: 'db-password' }] };
  p.workloads.push({
    name: 'mailer',
    tenant: 'staging',
    namespace: 'staging-mail',
    kind: 'Job',
    image: 'ghcr.io/example/mailer:1.0.0',
  });
  mutate(p);
  return p;
}

describe('keyVaults', () => {
  test('one vault per tenant, under its name: the tenant and the name default from the key', () => {
    const spec = validatePlatform(withVaults());
    expect(spec.keyVaults).toEqual({
      dev: { tenant: 'dev', name: 'aw-capsule-dev' },
      staging: { tenant: 'staging', name: 'aw-capsule-staging' },
    });
    expect(keyVaultAccesses(spec)).toEqual([
      expect.objectContaining({ workloadIndex: 0, vaultKey: 'dev', vaultName: 'aw-capsule-dev' }),
    ]);
  });

  test('a referenced vault takes its name from the resource id', () => {
    const spec = validatePlatform(
      withVaults((p) => (p.keyVaults.shared = { tenant: 'dev', resourceId: KV_ID })),
    );
    expect(spec.keyVaults.shared).toEqual({ tenant: 'dev', name: 'kv-shared', resourceId: KV_ID });
  });

  test.each<[string, (p: Json) => void, string[]]>([
    [
      'a key that is no tenant',
      (p) => (p.keyVaults.devv = {}),
      [
        'keyVaults.devv: "devv" is not the name of a tenant: name the vault after its tenant or set tenant (known: dev, staging)',
      ],
    ],
    [
      'an unknown tenant',
      (p) => (p.keyVaults.shared = { tenant: 'prod' }),
      ['keyVaults.shared.tenant: "prod" is not the name of a tenant (known: dev, staging)'],
    ],
    [
      'a default name longer than Azure allows',
      (p) => (p.name = 'a-platform-with-a-long-name'),
      [
        'keyVaults.dev.name: is not set, and the default "a-platform-with-a-long-name-dev" (<name>-<key>) must be a Key Vault name: 3 to 24 letters, digits and single \'-\', starting with a letter and ending with a letter or digit: set a name',
        'keyVaults.staging.name: is not set, and the default "a-platform-with-a-long-name-staging" (<name>-<key>) must be a Key Vault name: 3 to 24 letters, digits and single \'-\', starting with a letter and ending with a letter or digit: set a name',
      ],
    ],
    [
      'a name with a double hyphen',
      (p) => (p.keyVaults.dev.name = 'kv--dev'),
      [
        'keyVaults.dev.name: "kv--dev" must be a Key Vault name: 3 to 24 letters, digits and single \'-\', starting with a letter and ending with a letter or digit',
      ],
    ],
    [
      'two vaults with one name (case does not matter to Azure)',
      (p) => (p.keyVaults.staging.name = 'AW-Capsule-Dev'),
      ['keyVaults.staging.name: "AW-Capsule-Dev" is also the vault name of keyVaults.dev'],
    ],
    [
      'settings of a referenced vault',
      (p) => (p.keyVaults.shared = { tenant: 'dev', resourceId: KV_ID, sku: 'premium', name: 'kv-other' }),
      [
        'keyVaults.shared.name: "kv-other" cannot be set with resourceId: the name comes from the resource id',
        'keyVaults.shared.sku: "premium" cannot be set with resourceId: the referenced resource is managed elsewhere',
      ],
    ],
    [
      'a resource id of another kind of resource',
      (p) => (p.keyVaults.shared = { tenant: 'dev', resourceId: ACR_ID }),
      [
        `keyVaults.shared.resourceId: "${ACR_ID.slice(0, 76)}... must be a Key Vault resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>`,
      ],
    ],
    [
      'soft delete retention out of range',
      (p) => (p.keyVaults.dev.softDeleteRetentionDays = 120),
      ['keyVaults.dev.softDeleteRetentionDays: 120 must be at most 90'],
    ],
  ])('refused: %s', (_what, mutate, errors) => {
    expect(errorsOf(withVaults(mutate))).toEqual(errors);
  });
});

describe("a workload's keyVault", () => {
  test.each<[string, (p: Json) => void, string[]]>([
    [
      "a tenant naming another tenant's vault",
      (p) => (p.workloads[0].keyVault.vault = 'staging'),
      [
        'workloads[0].keyVault.vault: "staging" is the vault of tenant staging: a workload of tenant dev cannot read it',
      ],
    ],
    [
      "a tenant naming another tenant's vault by its Azure name",
      (p) =>
        Object.assign(p.workloads[0].keyVault, {
          name: 'aw-capsule-staging',
          clientId: CLIENT,
          tenantId: TENANT,
        }),
      [
        'workloads[0].keyVault.name: "aw-capsule-staging" is the vault of tenant staging (keyVaults.staging): a workload of tenant dev cannot read it',
      ],
    ],
    [
      'its own vault by its Azure name',
      (p) =>
        Object.assign(p.workloads[0].keyVault, {
          name: 'aw-capsule-dev',
          clientId: CLIENT,
          tenantId: TENANT,
        }),
      ['workloads[0].keyVault.name: "aw-capsule-dev" is the vault keyVaults.dev: write vault: dev'],
    ],
    [
      'a tenant without a vault',
      (p) => delete p.keyVaults.dev,
      [
        'workloads[0].keyVault: reads from the vault of tenant dev, and keyVaults has no entry "dev": declare keyVaults.dev (the tenant\'s vault), name another vault of the tenant with vault, or one made elsewhere with name',
      ],
    ],
    [
      'an unknown vault',
      (p) => (p.workloads[0].keyVault.vault = 'devv'),
      ['workloads[0].keyVault.vault: "devv" is not a key of keyVaults (known: dev, staging)'],
    ],
    [
      'a vault made elsewhere without its identity',
      (p) => (p.workloads[0].keyVault.name = 'kv-elsewhere'),
      [
        'workloads[0].keyVault.clientId: is required with name (a vault the platform does not declare): give the client id of an identity made elsewhere, or declare the vault under keyVaults',
        'workloads[0].keyVault.tenantId: is required with name (a vault the platform does not declare)',
      ],
    ],
    [
      'both vault and name',
      (p) =>
        Object.assign(p.workloads[0].keyVault, {
          vault: 'dev',
          name: 'kv-elsewhere',
          clientId: CLIENT,
          tenantId: TENANT,
        }),
      [
        'workloads[0].keyVault.vault: is set with name: name a declared vault (vault) or one made elsewhere (name), not both',
      ],
    ],
    [
      'a tenant id for the identity the platform creates',
      (p) => (p.workloads[0].keyVault.tenantId = TENANT),
      [
        'workloads[0].keyVault.tenantId: only goes with clientId (an identity made elsewhere): the identity the infra stack creates is in the platform tenant',
      ],
    ],
    [
      'one identity made elsewhere for two tenants',
      (p) => {
        p.workloads[0].keyVault.clientId = CLIENT;
        p.workloads[1].keyVault = { clientId: CLIENT.toUpperCase(), secrets: [{ name: 'smtp' }] };
      },
      [
        `workloads[1].keyVault.clientId: "${CLIENT}" is also the client id of workloads[0] of tenant dev: no identity is shared between tenants`,
      ],
    ],
  ])('refused: %s', (_what, mutate, errors) => {
    expect(errorsOf(withVaults(mutate))).toEqual(errors);
  });

  test('an identity made elsewhere: for a declared vault, or with a vault made elsewhere', () => {
    const spec = validatePlatform(
      withVaults((p) => {
        p.workloads[0].keyVault.clientId = CLIENT;
        p.workloads[1].keyVault = {
          name: 'kv-mail',
          clientId: TENANT,
          tenantId: TENANT,
          secrets: [{ name: 'smtp' }],
        };
      }),
    );
    expect(keyVaultAccesses(spec).map((a) => [a.vaultKey, a.vaultName, a.clientId, a.tenantId])).toEqual([
      ['dev', 'aw-capsule-dev', CLIENT, undefined],
      [undefined, 'kv-mail', TENANT, TENANT],
    ]);
  });

  test('workloads of one tenant may share an identity made elsewhere', () => {
    expect(() =>
      validatePlatform(
        withVaults((p) => {
          p.workloads[0].keyVault.clientId = CLIENT;
          p.workloads.push({
            ...p.workloads[0],
            name: 'demo-worker',
            keyVault: { ...p.workloads[0].keyVault },
          });
        }),
      ),
    ).not.toThrow();
  });
});

describe('containerRegistry', () => {
  test('created: named after the platform; allowedRegistries defaults to it', () => {
    const spec = validatePlatform(withVaults((p) => (p.containerRegistry = {})));
    expect(spec.containerRegistry).toEqual({ name: 'awcapsule' });
    expect(spec.kyverno.allowedRegistries).toEqual(['awcapsule.azurecr.io']);
  });

  test('referenced: named after the resource id, in lowercase as a host', () => {
    const spec = validatePlatform(withVaults((p) => (p.containerRegistry = { resourceId: ACR_ID })));
    expect(spec.containerRegistry).toEqual({ name: 'SharedImages', resourceId: ACR_ID });
    expect(spec.kyverno.allowedRegistries).toEqual(['sharedimages.azurecr.io']);
  });

  test('an explicit allowedRegistries wins, also an empty one (no restriction)', () => {
    const listed = validatePlatform(
      withVaults((p) => {
        p.containerRegistry = {};
        p.kyverno.allowedRegistries = ['awcapsule.azurecr.io', 'docker.io/nginxinc'];
      }),
    );
    expect(listed.kyverno.allowedRegistries).toEqual(['awcapsule.azurecr.io', 'docker.io/nginxinc']);
    const none = validatePlatform(
      withVaults((p) => {
        p.containerRegistry = {};
        p.kyverno.allowedRegistries = [];
      }),
    );
    expect(none.kyverno.allowedRegistries).toEqual([]);
    expect(validatePlatform(withVaults()).kyverno.allowedRegistries).toEqual([]);
  });

  test('with the registry as the only allowed one, a tenant registry elsewhere is refused', () => {
    expect(
      errorsOf(
        withVaults((p) => {
          p.containerRegistry = {};
          p.tenants[0].registries = ['ghcr.io'];
        }),
      ),
    ).toContainEqual(
      'tenants[0].registries[0]: "ghcr.io" is not a registry of kyverno.allowedRegistries (awcapsule.azurecr.io): restrict-image-registries would refuse its images',
    );
  });

  test.each<[string, Json, string, string[]]>([
    [
      'a default name too short',
      {},
      'abc',
      [
        'containerRegistry.name: is not set, and the default "abc" (<name> without "-") must be a container registry name: 5 to 50 letters and digits: set a name',
      ],
    ],
    [
      'no public access on Standard',
      { publicNetworkAccess: false },
      'aw-capsule',
      [
        'containerRegistry.publicNetworkAccess: false needs sku Premium: only a Premium registry can be reached through a private endpoint',
      ],
    ],
    [
      'settings of a referenced registry',
      { resourceId: ACR_ID, sku: 'Premium' },
      'aw-capsule',
      [
        'containerRegistry.sku: "Premium" cannot be set with resourceId: the referenced resource is managed elsewhere',
      ],
    ],
    [
      'a name with a hyphen',
      { name: 'aw-capsule' },
      'aw-capsule',
      ['containerRegistry.name: "aw-capsule" must be a container registry name: 5 to 50 letters and digits'],
    ],
  ])('refused: %s', (_what, registry, name, errors) => {
    expect(
      errorsOf(
        withVaults((p) => {
          p.name = name;
          p.keyVaults = {};
          delete p.workloads[0].keyVault;
          p.containerRegistry = registry;
        }),
      ),
    ).toEqual(errors);
  });
});
