import { Testing } from 'cdk8s';
import {
  HardenedStatefulSet,
  HardenedStatefulSetProps,
  NetworkPeer,
} from '../../../lib/kubernetes/workloads';
import { PlatformError } from '../../../lib/platform-file';
import { podTemplates, pssRestrictedViolations } from './pss-restricted-controls';

const BASE: HardenedStatefulSetProps = {
  namespace: 'dev-data',
  image: 'valkey/valkey:8.0.2',
  port: 6379,
  allowFrom: [NetworkPeer.workload('api')],
  storage: { size: '5Gi', mountPath: '/data', storageClassName: 'managed-csi-premium' },
};

describe('HardenedStatefulSet', () => {
  // Built per test (beforeEach, not at collection): mutation testing then knows which tests run which code.
  let objects: any[];
  let sts: any;
  let pod: any;
  const one = (kind: string) => objects.find((o) => o.kind === kind);
  beforeEach(() => {
    const chart = Testing.chart();
    new HardenedStatefulSet(chart, 'cache', BASE);
    objects = Testing.synth(chart);
    sts = one('StatefulSet');
    pod = sts.spec.template;
  });

  test('a headless Service, named in the StatefulSet, selects the pods', () => {
    const svc = one('Service');
    expect(svc.spec.clusterIP).toBe('None');
    expect(sts.spec.serviceName).toBe('cache');
    expect(svc.spec.selector).toMatchObject({
      'app.kubernetes.io/name': 'cache',
      'app.kubernetes.io/instance': 'cache',
    });
    for (const [k, v] of Object.entries<string>(svc.spec.selector)) expect(pod.metadata.labels[k]).toBe(v);
  });

  test('a volume per replica mounted writable, next to /tmp', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: expect.objectContaining({ name: 'data' }),
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'managed-csi-premium',
          resources: { requests: { storage: '5Gi' } },
        },
      },
    ]);
    expect(pod.spec.containers[0].volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'tmp' },
      { mountPath: '/data', name: 'data' },
    ]);
    expect(pod.spec.securityContext.fsGroup).toBe(10001);
  });

  test('2 replicas, a PDB selecting them, zone spread, and only the declared peer on the port', () => {
    expect(sts.spec.replicas).toBe(2);
    expect(one('PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: sts.spec.selector.matchLabels },
    });
    expect(pod.spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    const np = one('NetworkPolicy');
    expect(np.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev-data' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
          },
        ],
        ports: [{ port: 6379, protocol: 'TCP' }],
      },
    ]);
  });

  test('passes PSS restricted, and matches the snapshot', () => {
    const [p] = podTemplates(objects);
    expect(pssRestrictedViolations(p.metadata, p.spec)).toEqual([]);
    expect(objects).toMatchSnapshot();
  });

  test('rejects a storage size that is not a quantity, and a mount on /tmp', () => {
    const build = (storage: any) => () =>
      new HardenedStatefulSet(Testing.chart(), 'cache', { ...BASE, storage });
    expect(build({ size: 'big', mountPath: '/data' })).toThrow(PlatformError);
    expect(build({ size: 'big', mountPath: '/data' })).toThrow(
      'HardenedStatefulSet test/cache: storage.size: "big" is not a positive quantity',
    );
    expect(build({ size: '1Gi', mountPath: '/tmp' })).toThrow(
      /storage\.mountPath: "\/tmp" is also a writable emptyDir path/,
    );
  });
});
