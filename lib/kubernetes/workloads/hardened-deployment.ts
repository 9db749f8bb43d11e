import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { HardenedWorkload } from './hardened-workload';
import { addService, addServingObjects, checkServing, servedReplicas, servePods } from './private/serving';
import type { WorkloadNetworkPolicy } from './workload-network-policy';
import type { ServingWorkloadOptions } from './workload-options';

/** Scale on CPU with a HorizontalPodAutoscaler instead of a fixed replica count. */
export interface AutoscalingOptions {
  /** @default - `replicas` of the workload (2 unless set) */
  readonly minReplicas?: number;
  /** Upper bound of the replicas. */
  readonly maxReplicas: number;
  /** Target average CPU use, in percent of the CPU request. @default 70 */
  readonly cpuUtilization?: number;
}

/** Props of HardenedDeployment. */
export interface HardenedDeploymentProps extends ServingWorkloadOptions {
  /** @default - a fixed replica count */
  readonly autoscaling?: AutoscalingOptions;
}

/**
 * A long-running, stateless service: a Deployment whose pods pass Pod Security "restricted",
 * with its ServiceAccount (no API token), ClusterIP Service, NetworkPolicy, PodDisruptionBudget,
 * zone spread, and optionally an Ingress, a HorizontalPodAutoscaler, a ConfigMap and Key Vault
 * secrets.
 */
export class HardenedDeployment extends HardenedWorkload {
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  public readonly networkPolicy: WorkloadNetworkPolicy;
  public readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  public readonly autoscaler?: kplus.k8s.KubeHorizontalPodAutoscalerV2;
  public readonly ingress?: kplus.k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id, 'HardenedDeployment', props, props);
    const pod = this._pod;
    const replicas = servedReplicas(pod, props);
    const scaling = props.autoscaling;
    const minReplicas = scaling?.minReplicas ?? replicas;
    if (scaling) {
      pod.check.count('autoscaling.minReplicas', minReplicas, 1, 1000);
      pod.check.count('autoscaling.maxReplicas', scaling.maxReplicas, minReplicas, 1000);
      pod.check.count('autoscaling.cpuUtilization', scaling.cpuUtilization ?? 70, 1, 100);
    }
    checkServing(pod, props, minReplicas);
    pod.check.done();

    this.deployment = new kplus.Deployment(this, 'Resource', {
      ...pod.workloadProps,
      select: false,
      replicas,
    });
    servePods(this.deployment, pod, props);
    this.service = addService(this, pod, props.port, false);

    const objects = addServingObjects(this, pod, props, pod.name);
    this.networkPolicy = objects.networkPolicy;
    this.podDisruptionBudget = objects.podDisruptionBudget;
    this.ingress = objects.ingress;

    if (scaling) {
      // The autoscaler owns the replica count; a fixed one would fight it on every apply.
      this.deployment.markHasAutoscaler();
      this.autoscaler = new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: { name: pod.name, namespace: pod.namespace, labels: pod.objectLabels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: pod.name },
          minReplicas,
          maxReplicas: scaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: scaling.cpuUtilization ?? 70 },
              },
            },
          ],
        },
      });
    }
  }
}
