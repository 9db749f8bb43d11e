import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedPod } from './private/hardened-pod';
import { addServingObjects, addZoneSpread, checkServing } from './private/serving';
import type { WorkloadNetworkPolicy } from './workload-network-policy';
import { ServingWorkloadOptions, ZoneSpread } from './workload-options';

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

const POD_SPEC = '/spec/template/spec';

/**
 * A long-running, stateless service: a Deployment whose pods pass Pod Security "restricted",
 * with its ServiceAccount (no API token), ClusterIP Service, NetworkPolicy, PodDisruptionBudget,
 * zone spread, and optionally an Ingress, a HorizontalPodAutoscaler, a ConfigMap and Key Vault
 * secrets.
 */
export class HardenedDeployment extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly networkPolicy: WorkloadNetworkPolicy;
  public readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  public readonly autoscaler?: kplus.k8s.KubeHorizontalPodAutoscalerV2;
  public readonly ingress?: kplus.k8s.KubeIngress;
  /** Labels selecting the pods. */
  public readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    const pod = new HardenedPod(this, 'HardenedDeployment', props, props);
    this.name = pod.name;
    this.namespace = pod.namespace;
    this.selector = pod.selector;
    this.serviceAccount = pod.serviceAccount;
    const replicas = props.replicas ?? 2;
    pod.check.count('replicas', replicas, 1, 1000);
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
    this.deployment.select(kplus.LabelSelector.of({ labels: pod.selector }));
    pod.applyTo(this.deployment, POD_SPEC);
    addZoneSpread(this.deployment, pod, POD_SPEC, props.zoneSpread ?? ZoneSpread.PREFERRED);

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name: pod.name, namespace: pod.namespace, labels: pod.objectLabels },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ port: props.port, targetPort: props.port, protocol: kplus.Protocol.TCP }],
    });
    for (const [k, v] of Object.entries(pod.selector)) this.service.selectLabel(k, v);

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
