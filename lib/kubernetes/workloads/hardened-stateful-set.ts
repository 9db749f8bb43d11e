import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseQuantity } from '../../platform-file/formats';
import { HardenedPod } from './private/hardened-pod';
import { addServingObjects, addZoneSpread, checkServing } from './private/serving';
import type { WorkloadNetworkPolicy } from './workload-network-policy';
import { ServingWorkloadOptions, ZoneSpread } from './workload-options';

/** A persistent volume per replica (a volumeClaimTemplate), mounted writable. */
export interface StatefulStorage {
  /** Requested size, a quantity, e.g. "10Gi". */
  readonly size: string;
  /** Where the main container mounts it. */
  readonly mountPath: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/** Props of HardenedStatefulSet. */
export interface HardenedStatefulSetProps extends ServingWorkloadOptions {
  /** @default - no persistent volume */
  readonly storage?: StatefulStorage;
}

const POD_SPEC = '/spec/template/spec';
const DATA_VOLUME = 'data';

/**
 * A stateful service: a StatefulSet whose pods pass Pod Security "restricted", with its
 * headless Service, ServiceAccount (no API token), NetworkPolicy, PodDisruptionBudget, zone
 * spread and optional persistent volume per replica.
 */
export class HardenedStatefulSet extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly statefulSet: kplus.StatefulSet;
  /** The headless Service giving each pod a stable DNS name. */
  public readonly service: kplus.Service;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly networkPolicy: WorkloadNetworkPolicy;
  public readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  public readonly ingress?: kplus.k8s.KubeIngress;
  /** Labels selecting the pods. */
  public readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id);
    const pod = new HardenedPod(this, 'HardenedStatefulSet', props, props);
    this.name = pod.name;
    this.namespace = pod.namespace;
    this.selector = pod.selector;
    this.serviceAccount = pod.serviceAccount;
    const replicas = props.replicas ?? 2;
    pod.check.count('replicas', replicas, 1, 1000);
    checkServing(pod, props, replicas);
    const storage = props.storage;
    if (storage) {
      if (parseQuantity(storage.size) === undefined || parseQuantity(storage.size) === 0) {
        pod.check.fail('storage.size', `"${storage.size}" is not a positive quantity (e.g. "10Gi")`);
      }
      pod.check.absolutePath('storage.mountPath', storage.mountPath);
      if (storage.mountPath === '/tmp' || (props.writablePaths ?? []).includes(storage.mountPath)) {
        pod.check.fail('storage.mountPath', `"${storage.mountPath}" is also a writable emptyDir path`);
      }
    }
    pod.check.done();

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name: pod.name, namespace: pod.namespace, labels: pod.objectLabels },
      type: kplus.ServiceType.CLUSTER_IP,
      clusterIP: 'None',
      ports: [{ port: props.port, targetPort: props.port, protocol: kplus.Protocol.TCP }],
    });
    for (const [k, v] of Object.entries(pod.selector)) this.service.selectLabel(k, v);

    this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
      ...pod.workloadProps,
      select: false,
      service: this.service,
      replicas,
    });
    this.statefulSet.select(kplus.LabelSelector.of({ labels: pod.selector }));
    pod.applyTo(this.statefulSet, POD_SPEC);
    addZoneSpread(this.statefulSet, pod, POD_SPEC, props.zoneSpread ?? ZoneSpread.PREFERRED);

    if (storage) {
      // cdk8s-plus-28 has no volumeClaimTemplates.
      const api = ApiObject.of(this.statefulSet);
      api.addJsonPatch(
        JsonPatch.add('/spec/volumeClaimTemplates', [
          {
            metadata: { name: DATA_VOLUME, labels: pod.objectLabels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: storage.storageClassName,
              resources: { requests: { storage: kplus.k8s.Quantity.fromString(storage.size) } },
            },
          },
        ]),
      );
      api.addJsonPatch(
        JsonPatch.add(`${POD_SPEC}/containers/0/volumeMounts/-`, {
          name: DATA_VOLUME,
          mountPath: storage.mountPath,
        }),
      );
    }

    const objects = addServingObjects(this, pod, props, pod.name);
    this.networkPolicy = objects.networkPolicy;
    this.podDisruptionBudget = objects.podDisruptionBudget;
    this.ingress = objects.ingress;
  }
}
