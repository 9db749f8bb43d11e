import { systemNamespaces, validatePlatform } from '../../lib/platform-file';
import { errorsOf, validPlatform } from './fixtures';

// The whole-file rules at their edges: each is accepted at the boundary and refused just past it,
// so that a rule weakened or dropped fails here rather than on a cluster.

function changed(fn: (p: Record<string, any>) => void): Record<string, any> {
  const p = validPlatform();
  fn(p);
  return p;
}

const accepted = (fn: (p: Record<string, any>) => void) => () => validatePlatform(changed(fn), 'test.yaml');

function refusedWith(fn: (p: Record<string, any>) => void, expected: string): void {
  expect(errorsOf(changed(fn))).toEqual([expected]);
}

describe('system namespaces', () => {
  test('the platform namespaces, and Calico’s only with the Calico policy', () => {
    const calico = validatePlatform(validPlatform(), 'test.yaml');
    expect(systemNamespaces(calico)).toEqual([
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'cert-manager',
      'kyverno',
      'kyverno-exceptions',
      'capsule-system',
      'calico-system',
      'tigera-operator',
    ]);
    const cilium = validatePlatform(
      changed((p) => (p.cluster.network.policy = 'cilium')),
      'test.yaml',
    );
    expect(systemNamespaces(cilium)).toEqual(systemNamespaces(calico).slice(0, -2));
  });

  test('the ingress controller’s namespace, when there is one', () => {
    const spec = validatePlatform(
      changed((p) => {
        p.cluster.network.policy = 'cilium';
        p.ingress = { namespace: 'ingress-nginx', className: 'nginx' };
      }),
      'test.yaml',
    );
    expect(systemNamespaces(spec).slice(-1)).toEqual(['ingress-nginx']);
    expect(systemNamespaces(spec)).toHaveLength(9);
  });

  test('each is listed once, even when two settings name the same namespace', () => {
    const spec = validatePlatform(
      changed((p) => (p.capsule.namespace = 'cert-manager')),
      'test.yaml',
    );
    expect(systemNamespaces(spec).filter((ns) => ns === 'cert-manager')).toHaveLength(1);
  });

  test.each([
    ['kube-system', 'kube-system'],
    ['default', 'default'],
    ['cert-manager', 'cert-manager'],
    ['kyverno', 'kyverno, kyverno-exceptions'],
    ['calico', 'calico-system'],
    ['tigera', 'tigera-operator'],
  ])('a tenant named %s is refused: it is or prefixes %s', (name, shadowed) => {
    refusedWith(
      (p) => p.tenants.push({ name, owners: ['dev'] }),
      `tenants[2].name: "${name}" would prefix the system namespace ${shadowed}`,
    );
  });

  test('tenants "calico" and "tigera" are fine when the cluster does not run Calico', () => {
    expect(
      accepted((p) => {
        p.cluster.network.policy = 'cilium';
        p.tenants.push({ name: 'calico', owners: ['dev'] }, { name: 'tigera', owners: ['dev'] });
      }),
    ).not.toThrow();
  });

  test('a tenant whose name only starts like a system namespace is fine', () => {
    expect(accepted((p) => p.tenants.push({ name: 'kube-sys', owners: ['dev'] }))).not.toThrow();
  });

  test('a workload in a Calico namespace is refused', () => {
    refusedWith((p) => {
      p.capsule.forceTenantPrefix = false;
      p.workloads[0].namespace = 'tigera-operator';
    }, 'workloads[0].namespace: "tigera-operator" is a system namespace');
  });
});

describe('node pools and admin groups', () => {
  test('a user pool cannot take the system pool’s name', () => {
    refusedWith(
      (p) => (p.cluster.userPools[0].name = 'system'),
      'cluster.userPools[0].name: "system" is the name of the system pool',
    );
  });

  test('an admin group listed twice is refused', () => {
    refusedWith((p) => p.admins.push('admins'), 'admins: lists the same group twice');
  });

  test('a tenant owner listed twice is refused', () => {
    refusedWith(
      (p) => (p.tenants[0].owners = ['dev', 'dev']),
      'tenants[0].owners: lists the same group twice',
    );
  });

  test('an admin group cannot be a Capsule administrator', () => {
    refusedWith(
      (p) => (p.capsule.administrators = [{ kind: 'Group', name: 'admins' }]),
      'capsule.administrators[0].name: "admins" is an admin group, which Capsule ignores: it cannot be an administrator too',
    );
  });

  test('a Capsule administrator group must be a key of groups', () => {
    expect(
      errorsOf(changed((p) => (p.capsule.administrators = [{ kind: 'Group', name: 'gitops' }]))),
    ).toEqual([
      expect.stringMatching(/^capsule\.administrators\[0\]\.name: "gitops" is not a key of groups/),
    ]);
  });

  test('a group that is no admin group can be a Capsule administrator', () => {
    expect(accepted((p) => (p.capsule.administrators = [{ kind: 'Group', name: 'sre' }]))).not.toThrow();
  });

  test('a Capsule administrator user is taken as it is', () => {
    expect(accepted((p) => (p.capsule.administrators = [{ kind: 'User', name: 'admins' }]))).not.toThrow();
  });
});

describe('references list what is known, or say none', () => {
  test('no group at all', () => {
    expect(errorsOf(changed((p) => (p.groups = {})))).toContain(
      'admins[0]: "admins" is not a key of groups (known: none)',
    );
  });

  test('no tenant at all', () => {
    expect(errorsOf(changed((p) => (p.tenants = [])))).toContain(
      'workloads[0].tenant: "dev" is not the name of a tenant (known: none)',
    );
  });

  test('every user pool, when the node pool is none of them', () => {
    refusedWith((p) => {
      p.cluster.userPools.push({ name: 'batch' });
      p.tenants[0].nodePool = 'gpu';
    }, 'tenants[0].nodePool: "gpu" is not the name of a cluster.userPools entry (known: apps, batch)');
  });

  test('no user pool at all', () => {
    expect(
      errorsOf(
        changed((p) => {
          p.cluster.userPools = [];
          p.tenants[0].nodePool = 'apps';
        }),
      ),
    ).toContain('tenants[0].nodePool: "apps" is not the name of a cluster.userPools entry (known: none)');
  });
});

describe('tenant names and the prefix rule', () => {
  test('without the prefix rule a tenant may start with another tenant’s name', () => {
    expect(
      accepted((p) => {
        p.capsule.forceTenantPrefix = false;
        p.tenants.push({ name: 'dev-team', owners: ['dev'] });
      }),
    ).not.toThrow();
  });

  test('with it, tenants that only share a beginning are fine', () => {
    expect(accepted((p) => p.tenants.push({ name: 'devops', owners: ['dev'] }))).not.toThrow();
  });
});

describe('a ServiceAccount administrator is "<namespace>:<service account name>"', () => {
  test.each(['flux-system:kustomize-controller', 'a:b', 'gitops:sa.v1', 'ns0:0sa'])(
    '%s is accepted',
    (name) => {
      expect(accepted((p) => (p.capsule.administrators = [{ kind: 'ServiceAccount', name }]))).not.toThrow();
    },
  );

  test.each([
    'kustomize-controller',
    'flux-system:',
    ':kustomize-controller',
    'x flux-system:sa',
    'flux-system:sa x',
    '-ns:sa',
    'ns-:sa',
    'n.s:sa',
    'ns:-sa',
    'ns:sa-',
    'ns:.sa',
    'ns:sa.',
    'Flux:sa',
    'ns:SA',
    'ns:sa:x',
  ])('%s is refused', (name) => {
    refusedWith(
      (p) => (p.capsule.administrators = [{ kind: 'ServiceAccount', name }]),
      `capsule.administrators[0].name: "${name}" must be "<namespace>:<service account name>"`,
    );
  });
});

describe('resources: a request may equal its limit, not exceed it', () => {
  test.each([
    ['the same memory', { memory: '512Mi' }, { memory: '512Mi' }],
    ['the same memory in other units', { memory: '1Gi' }, { memory: '1024Mi' }],
    ['the same CPU', { cpu: '500m', memory: '256Mi' }, { cpu: '0.5', memory: '256Mi' }],
    ['no CPU limit', { cpu: '4', memory: '256Mi' }, { memory: '256Mi' }],
  ])('workload: %s is accepted', (_what, requests, limits) => {
    expect(accepted((p) => (p.workloads[0].resources = { requests, limits }))).not.toThrow();
  });

  test('workload: a CPU request above the CPU limit is refused', () => {
    refusedWith(
      (p) =>
        (p.workloads[0].resources = {
          requests: { cpu: '501m', memory: '256Mi' },
          limits: { cpu: '500m', memory: '256Mi' },
        }),
      'workloads[0].resources.requests.cpu: "501m" is more than the CPU limit "500m"',
    );
  });

  test('workload: a memory request one byte above the limit is refused', () => {
    refusedWith(
      (p) => (p.workloads[0].resources = { requests: { memory: '1025Mi' }, limits: { memory: '1Gi' } }),
      'workloads[0].resources.requests.memory: "1025Mi" is more than the memory limit "1Gi"',
    );
  });

  test('tenant: default requests equal to the default limits are accepted', () => {
    expect(
      accepted(
        (p) =>
          (p.tenants[0].limits = {
            defaultRequest: { cpu: '1', memory: '1Gi' },
            default: { cpu: '1000m', memory: '1Gi' },
          }),
      ),
    ).not.toThrow();
  });

  test('tenant: a default memory request above the default memory limit is refused', () => {
    refusedWith(
      (p) => (p.tenants[0].limits = { defaultRequest: { memory: '2Gi' }, default: { memory: '1Gi' } }),
      'tenants[0].limits.defaultRequest.memory: "2Gi" is more than the default limit "1Gi"',
    );
  });

  test('tenant: a default request without a default limit (or the reverse) is accepted', () => {
    expect(
      accepted((p) => (p.tenants[0].limits = { defaultRequest: { cpu: '2' }, default: { memory: '1Gi' } })),
    ).not.toThrow();
  });
});

describe('namespace quota: as many workload namespaces as the quota allows', () => {
  const twoNamespaces = (quota: number) => (p: Record<string, any>) => {
    p.tenants[0].namespaceQuota = quota;
    p.workloads.push({ ...p.workloads[0], name: 'other', namespace: 'dev-other' });
    // Two workloads in one namespace count once.
    p.workloads.push({ ...p.workloads[0], name: 'third' });
  };

  test('a quota equal to the namespaces used is accepted', () => {
    expect(accepted(twoNamespaces(2))).not.toThrow();
  });

  test('one namespace past the quota is refused', () => {
    refusedWith(
      twoNamespaces(1),
      'tenants[0].namespaceQuota: 1 is less than the 2 namespaces its workloads need',
    );
  });
});

describe('tenant names that prefix one another (capsule.forceTenantPrefix)', () => {
  test('every pair is reported, by prefixing tenant then by prefixed tenant, duplicates included', () => {
    // Tenants' owners and workloads aside: only the prefix rule (and the duplicate) speak here.
    const names = ['a-b-c', 'a', 'a-b', 'b', 'a', 'ab-c', 'a-b-c-d'];
    const errors = errorsOf(
      changed((p) => {
        p.tenants = names.map((name) => ({ name, owners: ['dev'] }));
        p.workloads = [];
      }),
    ).filter((e) => e.includes('namespace prefix'));
    const expected: string[] = [];
    names.forEach((a, i) =>
      names.forEach((b, j) => {
        if (i !== j && b.startsWith(`${a}-`))
          expected.push(
            `tenants[${j}].name: "${b}" starts with "${a}-", the namespace prefix of tenants[${i}]: their namespaces would be ambiguous`,
          );
      }),
    );
    expect(expected).toHaveLength(9);
    expect(errors).toEqual(expected);
  });
});
