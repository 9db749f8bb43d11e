import { Testing } from 'cdk8s';
import { QuotaOrigin, Tenant, TenantProps, TenantQuota } from '../../../lib/kubernetes/capsule';
import { multiplyQuantity } from '../../../lib/kubernetes/capsule/private/quantity';
import { PlatformError } from '../../../lib/platform-file';

const DEV = 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58';

function tenant(props: Partial<TenantProps> = {}): { tenant: Tenant; objects: any[] } {
  const chart = Testing.chart();
  const t = new Tenant(chart, 'dev', { name: 'dev', ownerGroupIds: [DEV], ...props });
  return { tenant: t, objects: Testing.synth(chart) };
}

const hard = (objects: any[]) => objects.find((o) => o.kind === 'GlobalResourceQuota')?.spec.quota.hard;

describe('TenantQuota: every tenant has a budget unless it opts out', () => {
  test('no quota given: the derived default, scaled by namespaceQuota', () => {
    const { tenant: t, objects } = tenant({ namespaceQuota: 3 });
    expect(t.quotaOrigin).toBe(QuotaOrigin.DEFAULT);
    expect(hard(objects)).toEqual({
      'limits.memory': '7680Mi',
      persistentvolumeclaims: '15',
      pods: '30',
      'requests.cpu': '3',
      'requests.memory': '3840Mi',
      'requests.storage': '150Gi',
      services: '30',
    });
    expect(t.quota).toContainEqual({ resource: 'pods', hard: '30' });
  });

  test('the default follows the container defaults: a CPU limit only when the LimitRange gives one', () => {
    const withCpuLimit = tenant({
      namespaceQuota: 2,
      containerDefaults: { cpuRequest: '250m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '1Gi' },
    });
    expect(hard(withCpuLimit.objects)).toMatchObject({
      pods: '20',
      'requests.cpu': '5',
      'limits.cpu': '20',
      'requests.memory': '5Gi',
      'limits.memory': '20Gi',
    });
    // Only limits: the LimitRange uses them as requests too, and so does the budget.
    const limitsOnly = tenant({
      namespaceQuota: 1,
      containerDefaults: { cpuLimit: '500m', memoryLimit: '512Mi' },
    });
    expect(hard(limitsOnly.objects)).toMatchObject({
      'requests.cpu': '5',
      'limits.cpu': '5',
      'requests.memory': '5Gi',
      'limits.memory': '5Gi',
    });
    // Nothing for CPU: no CPU line at all, or every pod without a CPU request would be refused.
    const noCpu = hard(tenant({ containerDefaults: { memoryRequest: '64Mi' } }).objects);
    expect(Object.keys(noCpu).filter((k) => k.includes('cpu') || k.startsWith('limits'))).toEqual([]);
    expect(noCpu['requests.memory']).toBe('6400Mi');
  });

  test('an explicit budget is used exactly as given, and nothing is derived', () => {
    const { tenant: t, objects } = tenant({
      quota: TenantQuota.of([
        { resource: 'requests.cpu', hard: '8' },
        { resource: 'count/deployments.apps', hard: '40' },
      ]),
    });
    expect(t.quotaOrigin).toBe(QuotaOrigin.EXPLICIT);
    expect(hard(objects)).toEqual({ 'count/deployments.apps': '40', 'requests.cpu': '8' });
  });

  test('the explicit opt-out: no GlobalResourceQuota, and the tenant says so', () => {
    const { tenant: t, objects } = tenant({ quota: TenantQuota.none() });
    expect(t.quotaOrigin).toBe(QuotaOrigin.NONE);
    expect(t.quota).toEqual([]);
    expect(t.budget).toBeUndefined();
    expect(objects.map((o) => o.kind)).toEqual(['Tenant', 'GlobalTenantResource']);
    expect(objects[0].spec.resourceQuotas).toBeUndefined();
  });

  test.each<[string, () => TenantQuota, RegExp]>([
    ['empty', () => TenantQuota.of([]), /TenantQuota.of: no entry; .* TenantQuota.none\(\), said explicitly/],
    [
      'resource',
      () => TenantQuota.of([{ resource: 'cpu', hard: '1' }]),
      /^TenantQuota of: entries\[0\]\.resource: "cpu" is not a ResourceQuota/,
    ],
    [
      'quantity',
      () => TenantQuota.of([{ resource: 'pods', hard: 'many' }]),
      /entries\[0\]\.hard: "many" is not a Kubernetes quantity/,
    ],
    [
      'twice',
      () =>
        TenantQuota.of([
          { resource: 'pods', hard: '1' },
          { resource: 'pods', hard: '2' },
        ]),
      /entries\[1\]\.resource: "pods" is listed twice/,
    ],
    [
      'every problem at once',
      () =>
        TenantQuota.of([
          { resource: 'cpu', hard: '1' },
          { resource: 'pods', hard: 'many' },
        ]),
      /TenantQuota of: 2 problems\n {2}- entries\[0\]\.resource: .*\n {2}- entries\[1\]\.hard: /,
    ],
  ])('TenantQuota.of refuses a bad budget: %s', (_name, make, message) => {
    expect(make).toThrow(PlatformError);
    expect(make).toThrow(message);
  });
});

describe('multiplyQuantity: exact, in the largest whole unit', () => {
  test.each<[string, number, string]>([
    ['100m', 100, '10'],
    ['250m', 3, '750m'],
    ['128Mi', 100, '12800Mi'],
    ['256Mi', 100, '25Gi'],
    ['1024Ki', 1, '1Mi'],
    ['10Gi', 50, '500Gi'],
    ['0.1', 3, '0.3'],
    ['.5', 2, '1'],
    ['1.5Gi', 2, '3Gi'],
    ['1e3', 2, '2e3'],
    ['2', 0, '0'],
    ['1', 2000, '2000'],
  ])('%s × %d = %s', (q, n, expected) => {
    expect(multiplyQuantity(q, n)).toBe(expected);
  });

  test('refuses what is not a quantity or not a whole factor', () => {
    expect(() => multiplyQuantity('lots', 2)).toThrow('cannot multiply "lots" by 2');
    expect(() => multiplyQuantity('1', 1.5)).toThrow('cannot multiply "1" by 1.5');
  });
});
