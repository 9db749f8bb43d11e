import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { parseQuantity } from '../../platform-file/formats';
import { HardenedWorkload } from './hardened-workload';
import {
  addService,
  addServingObjects,
  checkServing,
  POD_TEMPLATE_SPEC,
  servedReplicas,
  servePods,
} from './private/serving';
import type { WorkloadNetworkPolicy } from './workload-network-policy';
import type { ServingWorkloadOptions } from './workload-options';

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

const DATA_VOLUME = 'data';

/**
 * A stateful service: a StatefulSet whose pods pass Pod Security "restricted", with its
 * headless Service, ServiceAccount (no API token), NetworkPolicy, PodDisruptionBudget, zone
 * spread and optional persistent volume per replica.
 */
export class HardenedStatefulSet extends HardenedWorkload {
  public readonly statefulSet: kplus.StatefulSet;
  /** The headless Service giving each pod a stable DNS name. */
  public readonly service: kplus.Service;
  public readonly networkPolicy: WorkloadNetworkPolicy;
  public readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  public readonly ingress?: kplus.k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id, 'HardenedStatefulSet', props, props);
    const pod = this._pod;
    const replicas = servedReplicas(pod, props);
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

    this.service = addService(this, pod, props.port, true);
    this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
      ...pod.workloadProps,
      select: false,
      service: this.service,
      replicas,
    });
    servePods(this.statefulSet, pod, props);

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
        JsonPatch.add(`${POD_TEMPLATE_SPEC}/containers/0/volumeMounts/-`, {
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
