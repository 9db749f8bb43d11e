import * as fs from 'node:fs';
import {
  loadPlatformFile,
  parsePlatform,
  PlatformValidationError,
  systemNamespaces,
  validatePlatform,
} from '../../lib/platform-file';
import { errorsOf, toYaml, validPlatform } from './fixtures';

function mutate(fn: (p: Record<string, any>) => void): Record<string, any> {
  const p = validPlatform();
  fn(p);
  return p;
}

describe('platform file: valid input', () => {
  test('the reference platform loads with its defaults applied', () => {
    const spec = loadPlatformFile('apps/platform.yaml');
    expect(spec.name).toBe('aw-capsule');
    expect(spec.cluster.network).toEqual({ plugin: 'azure', mode: 'overlay', policy: 'calico' });
    expect(spec.cluster.systemPool.zones).toEqual(['1', '2', '3']);
    expect(spec.cluster.systemPool.maxPods).toBeGreaterThanOrEqual(50);
    expect(spec.kyverno.replicas).toEqual({ admission: 3, background: 2, cleanup: 2, reports: 2 });
    expect(spec.capsule.replicas).toBe(2);
    expect(spec.tenants.map((t) => t.name)).toEqual(['dev', 'staging']);
    expect(spec.tenants[1].namespaceQuota).toBe(10);
    expect(spec.workloads[0].resources.limits.memory).toBe('128Mi');
    // a workload that sets no resources gets the defaults
    expect(validatePlatform(validPlatform()).workloads[0].resources).toMatchObject({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
  });

  test('derived defaults: resource groups and the proxy DNS label follow the name', () => {
    const spec = validatePlatform(
      mutate((p) => {
        delete p.azure.resourceGroup;
        delete p.azure.nodeResourceGroup;
        delete p.capsule.proxy;
      }),
    );
    expect(spec.azure.resourceGroup).toBe('aw-capsule');
    expect(spec.azure.nodeResourceGroup).toBe('aw-capsule-nodes');
    expect(spec.capsule.proxy.dnsLabel).toBe('aw-capsule-capsule-proxy');
  });

  test('object ids are normalised to lowercase; zones given as numbers become strings', () => {
    const spec = validatePlatform(
      mutate((p) => {
        p.groups.sre.objectId = '0FD5E5BB-39BB-468C-B343-DCDFB01E92D0';
        p.cluster.systemPool.zones = [1, 2];
      }),
    );
    expect(spec.groups.sre.objectId).toBe('0fd5e5bb-39bb-468c-b343-dcdfb01e92d0');
    expect(spec.cluster.systemPool.zones).toEqual(['1', '2']);
  });

  test('a private API server needs no authorized ranges', () => {
    const spec = validatePlatform(
      mutate((p) => {
        p.cluster.apiServer = { private: true };
        p.capsule.proxy.internalIp = '10.224.0.250';
      }),
    );
    expect(spec.cluster.apiServer.private).toBe(true);
  });
});

describe('platform file: each rule rejects bad input with the path and the value', () => {
  const cases: Array<[string, (p: Record<string, any>) => void, RegExp]> = [
    [
      'unknown key, with a suggestion',
      (p) => (p.tenants[0].namespaceQuotas = 5),
      /^tenants\[0\]\.namespaceQuotas: unknown key \(did you mean "namespaceQuota"\?\)/,
    ],
    ['unknown top-level key', (p) => (p.tenant = []), /^tenant: unknown key \(did you mean "tenants"\?\)/],
    ['missing required key', (p) => delete p.azure.location, /^azure\.location: is required/],
    [
      'wrong type',
      (p) => (p.tenants[0].namespaceQuota = 'five'),
      /^tenants\[0\]\.namespaceQuota: must be a number, got "five"/,
    ],
    [
      'name not a DNS label',
      (p) => (p.tenants[0].name = 'Dev_Team'),
      /^tenants\[0\]\.name: "Dev_Team" must be a DNS label/,
    ],
    [
      'tenant name too long for its namespaces',
      (p) => (p.tenants[1].name = 'a'.repeat(41)),
      /^tenants\[1\]\.name: "a{41}" must be a DNS label.*at most 40/,
    ],
    ['platform name', (p) => (p.name = 'AW'), /^name: "AW" must be 3 to 40 lowercase/],
    [
      'workload name must start with a letter',
      (p) => (p.workloads[0].name = '1api'),
      /^workloads\[0\]\.name: "1api" must be a DNS label starting with a letter/,
    ],
    [
      'object id not a UUID',
      (p) => (p.groups.sre.objectId = 'sre-group'),
      /^groups\.sre\.objectId: "sre-group" must be an object id \(UUID/,
    ],
    [
      'member not a UUID',
      (p) => (p.groups.dev.members = ['alice@example.com']),
      /^groups\.dev\.members\[0\]: "alice@example.com" must be an object id/,
    ],
    [
      'group with both displayName and objectId',
      (p) => (p.groups.sre.displayName = 'sre'),
      /^groups\.sre: needs exactly one of displayName .* and objectId/,
    ],
    ['group with neither', (p) => (p.groups.sre = {}), /^groups\.sre: needs exactly one of displayName/],
    [
      'members of an existing group',
      (p) => (p.groups.sre.members = ['0fd5e5bb-39bb-468c-b343-dcdfb01e92d1']),
      /^groups\.sre\.members: can only be set on a group the infra stack creates/,
    ],
    [
      'group key',
      (p) => (p.groups.Ops = { displayName: 'ops' }),
      /^groups\.Ops: key "Ops" must be a group key/,
    ],
    [
      'quantity that does not parse',
      (p) => (p.tenants[0].quota['requests.memory'] = '16GG'),
      /^tenants\[0\]\.quota\.requests\.memory: "16GG" must be a Kubernetes quantity/,
    ],
    [
      'quota resource name',
      (p) => (p.tenants[0].quota['request.cpu'] = '1'),
      /^tenants\[0\]\.quota\.request\.cpu: "1" is budgeted under a name that is not a ResourceQuota resource name/,
    ],
    [
      'negative quantity',
      (p) => (p.workloads[0].resources = { requests: { cpu: '-1' } }),
      /^workloads\[0\]\.resources\.requests\.cpu: "-1" must be a Kubernetes quantity/,
    ],
    [
      'CIDR that does not parse',
      (p) => (p.cluster.apiServer.authorizedIpRanges = ['203.0.113.0/33']),
      /^cluster\.apiServer\.authorizedIpRanges\[0\]: "203\.0\.113\.0\/33" must be an IPv4 range in CIDR notation/,
    ],
    [
      'CIDR with host bits',
      (p) => (p.cluster.apiServer.authorizedIpRanges = ['203.0.113.7/24']),
      /^cluster\.apiServer\.authorizedIpRanges\[0\]: "203\.0\.113\.7\/24" has host bits set/,
    ],
    [
      'CIDR open to the internet',
      (p) => (p.cluster.apiServer.authorizedIpRanges = ['0.0.0.0/0']),
      /^cluster\.apiServer\.authorizedIpRanges\[0\]: "0\.0\.0\.0\/0" opens the API server to the whole internet/,
    ],
    [
      'API server neither private nor restricted',
      (p) => (p.cluster.apiServer = {}),
      /^cluster\.apiServer: needs authorizedIpRanges .* or private: true/,
    ],
    [
      'API server both private and restricted',
      (p) => (p.cluster.apiServer.private = true),
      /^cluster\.apiServer: sets both private: true and authorizedIpRanges/,
    ],
    [
      'enum: network policy',
      (p) => (p.cluster.network.policy = 'weave'),
      /^cluster\.network\.policy: must be one of "calico", "cilium", "azure", got "weave"/,
    ],
    [
      'enum: pod security',
      (p) => (p.kyverno.podSecurity = 'privileged'),
      /^kyverno\.podSecurity: must be one of "baseline", "restricted", got "privileged"/,
    ],
    [
      'enum: action',
      (p) => (p.kyverno.action = 'enforce'),
      /^kyverno\.action: must be one of "Audit", "Enforce", got "enforce"/,
    ],
    [
      'Kyverno admission replicas below 3',
      (p) => (p.kyverno.replicas.admission = 1),
      /^kyverno\.replicas\.admission: 1 must be at least 3 for high availability/,
    ],
    [
      'Kyverno background replicas below 2',
      (p) => (p.kyverno.replicas.background = 1),
      /^kyverno\.replicas\.background: 1 must be at least 2/,
    ],
    [
      'Kyverno cleanup replicas below 2',
      (p) => (p.kyverno.replicas.cleanup = 1),
      /^kyverno\.replicas\.cleanup: 1 must be at least 2/,
    ],
    [
      'Kyverno reports replicas below 2',
      (p) => (p.kyverno.replicas.reports = 1),
      /^kyverno\.replicas\.reports: 1 must be at least 2/,
    ],
    ['Capsule replicas below 2', (p) => (p.capsule.replicas = 1), /^capsule\.replicas: 1 must be at least 2/],
    [
      'tenant without owners',
      (p) => (p.tenants[0].owners = []),
      /^tenants\[0\]\.owners: a tenant needs at least one owner group/,
    ],
    [
      'pool min above max',
      (p) => (p.cluster.systemPool.minCount = 6),
      /^cluster\.systemPool\.minCount: 6 is greater than maxCount \(5\)/,
    ],
    [
      'max pods below 50',
      (p) => (p.cluster.systemPool.maxPods = 30),
      /^cluster\.systemPool\.maxPods: 30 must be at least 50/,
    ],
    [
      'user pool name',
      (p) => (p.cluster.userPools[0].name = 'apps-pool'),
      /^cluster\.userPools\[0\]\.name: "apps-pool" must be a node pool name/,
    ],
    ['unpinned image', (p) => (p.workloads[0].image = 'nginx'), /^workloads\[0\]\.image: "nginx" has no tag/],
    [
      'latest image',
      (p) => (p.workloads[0].image = 'nginx:latest'),
      /^workloads\[0\]\.image: "nginx:latest" uses the mutable tag "latest"/,
    ],
    [
      'label key',
      (p) => (p.workloads[0].labels = { 'bad key': 'x' }),
      /^workloads\[0\]\.labels\.bad key: key "bad key" must be a Kubernetes label key/,
    ],
    ['port out of range', (p) => (p.workloads[0].port = 70000), /^workloads\[0\]\.port: 70000 .*65535/],
    ['no admin group', (p) => (p.admins = []), /^admins: needs at least one admin group/],
  ];
  test.each(cases)('%s', (_name, fn, expected) => {
    const errors = errorsOf(mutate(fn));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });
});

describe('platform file: whole-platform rules', () => {
  const cases: Array<[string, (p: Record<string, any>) => void, RegExp]> = [
    [
      'admin group that does not exist',
      (p) => p.admins.push('ops'),
      /^admins\[1\]: "ops" is not a key of groups \(known: admins, tenants, dev, staging, sre\)/,
    ],
    [
      'Capsule users group that does not exist',
      (p) => (p.capsule.users = 'users'),
      /^capsule\.users: "users" is not a key of groups/,
    ],
    [
      'owner group that does not exist',
      (p) => (p.tenants[0].owners = ['qa']),
      /^tenants\[0\]\.owners\[0\]: "qa" is not a key of groups/,
    ],
    [
      'Capsule users group is an admin group',
      (p) => (p.capsule.users = 'admins'),
      /^capsule\.users: "admins" is also an admin group/,
    ],
    [
      'owner is an admin group',
      (p) => (p.tenants[0].owners = ['admins']),
      /^tenants\[0\]\.owners\[0\]: "admins" is an admin group/,
    ],
    [
      'duplicate tenant',
      (p) => (p.tenants[1].name = 'dev'),
      /^tenants\[1\]\.name: "dev" is also the name of tenants\[0\]/,
    ],
    [
      'tenant name prefixing another tenant',
      (p) => p.tenants.push({ name: 'dev-team', owners: ['dev'] }),
      /^tenants\[2\]\.name: "dev-team" starts with "dev-", the namespace prefix of tenants\[0\]/,
    ],
    [
      'tenant name prefixing a system namespace',
      (p) => p.tenants.push({ name: 'kube', owners: ['dev'] }),
      /^tenants\[2\]\.name: "kube" would prefix the system namespace kube-system, kube-public, kube-node-lease/,
    ],
    [
      'duplicate group display name',
      (p) => (p.groups.staging.displayName = 'CAPSULEDEVGROUP'),
      /^groups\.staging\.displayName: "CAPSULEDEVGROUP" is also the display name of groups\.dev/,
    ],
    [
      'duplicate group object id',
      (p) => (p.groups.ops = { objectId: p.groups.sre.objectId }),
      /^groups\.ops\.objectId: "0fd5e5bb-39bb-468c-b343-dcdfb01e92d0" is also the object id of groups\.sre/,
    ],
    [
      'duplicate user pool',
      (p) => p.cluster.userPools.push({ name: 'apps' }),
      /^cluster\.userPools\[1\]\.name: "apps" is used by another user pool/,
    ],
    [
      'tenant node pool that does not exist',
      (p) => (p.tenants[0].nodePool = 'gpu'),
      /^tenants\[0\]\.nodePool: "gpu" is not the name of a cluster\.userPools entry \(known: apps\)/,
    ],
    [
      'workload of an unknown tenant',
      (p) => (p.workloads[0].tenant = 'prod'),
      /^workloads\[0\]\.tenant: "prod" is not the name of a tenant \(known: dev, staging\)/,
    ],
    [
      'workload namespace without the tenant prefix',
      (p) => (p.workloads[0].namespace = 'demo'),
      /^workloads\[0\]\.namespace: "demo" must start with "dev-"/,
    ],
    [
      'workload in a system namespace',
      (p) => {
        p.capsule.forceTenantPrefix = false;
        p.workloads[0].namespace = 'kube-system';
      },
      /^workloads\[0\]\.namespace: "kube-system" is a system namespace/,
    ],
    [
      'namespace shared by two tenants',
      (p) => {
        p.capsule.forceTenantPrefix = false;
        p.workloads.push({ ...p.workloads[0], name: 'other', tenant: 'staging' });
      },
      /^workloads\[1\]\.namespace: "dev-demo" already belongs to tenant "dev"/,
    ],
    [
      'duplicate workload',
      (p) => p.workloads.push({ ...p.workloads[0] }),
      /^workloads\[1\]\.name: "demo-api" is also the name of workloads\[0\] in namespace dev-demo/,
    ],
    [
      'requests above limits',
      (p) => (p.workloads[0].resources = { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } }),
      /^workloads\[0\]\.resources\.requests\.memory: "1Gi" is more than the memory limit "512Mi"/,
    ],
    [
      'more workload namespaces than the namespace quota',
      (p) => {
        p.tenants[0].namespaceQuota = 1;
        p.workloads.push({ ...p.workloads[0], namespace: 'dev-other' });
      },
      /^tenants\[0\]\.namespaceQuota: 1 is less than the 2 namespaces its workloads need/,
    ],
    [
      'default request above default limit',
      (p) => (p.tenants[0].limits = { defaultRequest: { cpu: '2' }, default: { cpu: '1' } }),
      /^tenants\[0\]\.limits\.defaultRequest\.cpu: "2" is more than the default limit "1"/,
    ],
  ];
  test.each(cases)('%s', (_name, fn, expected) => {
    const errors = errorsOf(mutate(fn));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });
});

describe('platform file: reporting', () => {
  test('all the errors of a file are reported together, in one error', () => {
    const errors = errorsOf(
      mutate((p) => {
        p.kyverno.replicas.admission = 1;
        p.groups.sre.objectId = 'x';
        p.tenants[0].quota['requests.memory'] = 'lots';
      }),
    );
    expect(errors).toHaveLength(3);
  });

  test('the message names the file and counts the errors', () => {
    expect(() => parsePlatform(toYaml(mutate((p) => (p.kyverno.action = 'Deny'))), 'my.yaml')).toThrow(
      /^my\.yaml: 1 error\n {2}- kyverno\.action: must be one of "Audit", "Enforce", got "Deny"$/,
    );
  });

  test('YAML syntax errors report the line', () => {
    expect(() => parsePlatform('name: aw\ntenants: [\n', 'bad.yaml')).toThrow(
      /bad\.yaml: .*\n {2}- line \d+, column \d+: /,
    );
  });

  test('duplicate YAML keys are an error with their line', () => {
    expect(() => parsePlatform('name: aaa\nname: bbb\n', 'dup.yaml')).toThrow(
      /- name: line 2, column 1: duplicate key "name"/,
    );
  });

  test('a file that is not a mapping', () => {
    expect(() => parsePlatform('- a\n- b\n', 'list.yaml')).toThrow(
      /list\.yaml: 1 error\n {2}- must be a mapping of keys, got \["a","b"\]/,
    );
  });

  test('a missing file names the file', () => {
    expect(() => loadPlatformFile('does/not/exist.yaml')).toThrow(
      /cannot read the platform file does\/not\/exist\.yaml: no such file or folder \(ENOENT\)/,
    );
  });

  test('the reference platform file parses to the same spec from YAML and from data', () => {
    const fromFile = parsePlatform(fs.readFileSync('apps/platform.yaml', 'utf8'));
    expect(fromFile.groups.dev.displayName).toBe('capsuleDevGroup');
  });
});

describe('platform file: YAML aliases', () => {
  test('an unresolved alias is a validation error, not a crash', () => {
    expect(() => parsePlatform('*nothing\n', 'alias.yaml')).toThrow(PlatformValidationError);
    expect(() => parsePlatform('*nothing\n', 'alias.yaml')).toThrow(/alias\.yaml: 1 error\n {2}- YAML: /);
  });
});

test('a self-referencing YAML value is reported, not a crash', () => {
  expect(() => parsePlatform('name: &x [*x]\n', 'cycle.yaml')).toThrow(
    /name: must be a string, got a self-referencing value/,
  );
});

describe('platform file: rules added after review', () => {
  test('pool names whose rotation names collide are rejected', () => {
    expect(
      errorsOf(
        mutate((p) => {
          p.cluster.userPools = [{ name: 'frontend01' }, { name: 'frontend02' }];
        }),
      ),
    ).toEqual([
      'cluster.userPools[0].name: "frontend01" would rotate as "frontend0tmp", which collides with pool "frontend02": make the first 9 characters of pool names differ',
      'cluster.userPools[1].name: "frontend02" would rotate as "frontend0tmp", which collides with pool "frontend01": make the first 9 characters of pool names differ',
    ]);
  });

  test('a Capsule administrator group must exist and not be an admin group', () => {
    expect(errorsOf(mutate((p) => (p.capsule.administrators = [{ kind: 'Group', name: 'admins' }])))).toEqual(
      [
        'capsule.administrators[0].name: "admins" is an admin group, which Capsule ignores: it cannot be an administrator too',
      ],
    );
    expect(
      errorsOf(mutate((p) => (p.capsule.administrators = [{ kind: 'ServiceAccount', name: 'flux' }]))),
    ).toEqual(['capsule.administrators[0].name: "flux" must be "<namespace>:<service account name>"']);
  });

  test('Calico namespaces are system namespaces when Calico enforces network policies', () => {
    const spec = validatePlatform(validPlatform());
    expect(systemNamespaces(spec)).toEqual(expect.arrayContaining(['calico-system', 'tigera-operator']));
    const cilium = validatePlatform(mutate((p) => (p.cluster.network.policy = 'cilium')));
    expect(systemNamespaces(cilium)).not.toContain('calico-system');
  });

  test('the subscription id must be a UUID', () => {
    expect(errorsOf(mutate((p) => (p.azure.subscriptionId = 'my-sub')))).toEqual([
      expect.stringMatching(/^azure\.subscriptionId: "my-sub" must be an object id/),
    ]);
  });
});

describe('platform file: the same text twice in one process', () => {
  test('the second result equals the first, is a copy of its own, and is named by its own source', () => {
    const text = toYaml(validPlatform());
    const first = parsePlatform(text, 'a.yaml');
    const second = parsePlatform(text, 'a.yaml');
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    (first.tenants[0] as { name: string }).name = 'changed';
    expect(parsePlatform(text, 'a.yaml').tenants[0].name).toBe(validPlatform().tenants[0].name);

    const bad = toYaml({ ...validPlatform(), tenants: 'x' });
    expect(() => parsePlatform(bad, 'b.yaml')).toThrow(/^b\.yaml/);
    expect(() => parsePlatform(bad, 'c.yaml')).toThrow(/^c\.yaml/);
    // Another text is parsed anew.
    expect(parsePlatform(toYaml({ ...validPlatform(), name: 'other' }), 'a.yaml').name).toBe('other');
  });
});
