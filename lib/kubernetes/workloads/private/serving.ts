import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { isDnsSubdomain } from '../../../platform-file/formats';
import { DisruptionBudget } from '../disruption-budget';
import { NetworkPeer } from '../network-peer';
import { WorkloadNetworkPolicy } from '../workload-network-policy';
import { ServingWorkloadOptions, ZoneSpread } from '../workload-options';
import type { HardenedPod } from './hardened-pod';

export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

/** JSON pointer of the pod spec in a Deployment, a StatefulSet or a Job. */
export const POD_TEMPLATE_SPEC = '/spec/template/spec';

/** The objects around a served workload. */
export interface ServingObjects {
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  readonly ingress?: kplus.k8s.KubeIngress;
}

/** The fixed replica count of a served workload, checked. */
export function servedReplicas(pod: HardenedPod, options: ServingWorkloadOptions): number {
  const replicas = options.replicas ?? 2;
  pod.check.count('replicas', replicas, 1, 1000);
  return replicas;
}

/** Checks what only served workloads have, before anything is created. */
export function checkServing(pod: HardenedPod, options: ServingWorkloadOptions, minReplicas: number): void {
  const check = pod.check;
  const budget = options.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
  if (budget.minAvailable !== undefined && budget.minAvailable >= minReplicas) {
    check.fail(
      'disruptionBudget',
      `minAvailable ${budget.minAvailable} is not below the ${minReplicas} replicas: node drains would block forever`,
    );
  }
  const ingress = options.ingress;
  if (ingress) {
    if (!isDnsSubdomain(ingress.host)) check.fail('ingress.host', `"${ingress.host}" is not a DNS name`);
    const path = ingress.path ?? '/';
    if (!/^\/[A-Za-z0-9/._~%!$&'()*+,;=:@-]*$/.test(path))
      check.fail('ingress.path', `"${path}" is not a URL path`);
    if (ingress.allowedClasses !== undefined && !ingress.allowedClasses.includes(ingress.className)) {
      check.fail(
        'ingress.className',
        `"${ingress.className}" is not an allowed IngressClass (allowed: ${ingress.allowedClasses.join(', ') || 'none'})`,
      );
    }
    check.namespace(ingress.controllerNamespace, 'ingress.controllerNamespace');
    if (ingress.tlsSecretName !== undefined && !isDnsSubdomain(ingress.tlsSecretName)) {
      check.fail('ingress.tlsSecretName', `"${ingress.tlsSecretName}" is not a Secret name`);
    }
  }
}

/**
 * What a Deployment and a StatefulSet do with their pods alike: select them by the pod's selector,
 * harden them, spread them over zones.
 */
export function servePods(
  workload: kplus.Deployment | kplus.StatefulSet,
  pod: HardenedPod,
  options: ServingWorkloadOptions,
): void {
  workload.select(kplus.LabelSelector.of({ labels: pod.selector }));
  pod.applyTo(workload, POD_TEMPLATE_SPEC);
  addZoneSpread(workload, pod, POD_TEMPLATE_SPEC, options.zoneSpread ?? ZoneSpread.PREFERRED);
}

/** The ClusterIP Service of the pods' port; headless (no cluster IP) for a StatefulSet. */
export function addService(
  scope: Construct,
  pod: HardenedPod,
  port: number,
  headless: boolean,
): kplus.Service {
  const service = new kplus.Service(scope, 'Service', {
    metadata: { name: pod.name, namespace: pod.namespace, labels: pod.objectLabels },
    type: kplus.ServiceType.CLUSTER_IP,
    ...(headless ? { clusterIP: 'None' } : {}),
    ports: [{ port, targetPort: port, protocol: kplus.Protocol.TCP }],
  });
  for (const [k, v] of Object.entries(pod.selector)) service.selectLabel(k, v);
  return service;
}

/** Zone spread of the pods, with a selector matching exactly them. */
export function addZoneSpread(
  workload: Construct,
  pod: HardenedPod,
  podSpecPath: string,
  spread: ZoneSpread,
): void {
  if (spread === ZoneSpread.NONE) return;
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add(`${podSpecPath}/topologySpreadConstraints`, [
      {
        maxSkew: 1,
        topologyKey: ZONE_TOPOLOGY_KEY,
        whenUnsatisfiable: spread,
        labelSelector: { matchLabels: pod.selector },
      },
    ]),
  );
}

/** NetworkPolicy, PodDisruptionBudget and optional Ingress of a served workload. */
export function addServingObjects(
  scope: Construct,
  pod: HardenedPod,
  options: ServingWorkloadOptions,
  serviceName: string,
): ServingObjects {
  const labels = Object.entries(pod.objectLabels).map(([key, value]) => ({ key, value }));
  const selector = Object.entries(pod.selector).map(([key, value]) => ({ key, value }));
  const peers = [...(options.allowFrom ?? [])];
  if (options.ingress) peers.push(NetworkPeer.namespace(options.ingress.controllerNamespace));
  const networkPolicy = new WorkloadNetworkPolicy(scope, 'NetworkPolicy', {
    namespace: pod.namespace,
    name: pod.name,
    selector,
    port: options.port,
    allowFrom: peers,
    labels,
  });

  const budget = options.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
  const podDisruptionBudget = budget.enabled
    ? new kplus.k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
        metadata: { name: pod.name, namespace: pod.namespace, labels: pod.objectLabels },
        spec: {
          selector: { matchLabels: pod.selector },
          ...(budget.maxUnavailable !== undefined
            ? { maxUnavailable: kplus.k8s.IntOrString.fromNumber(budget.maxUnavailable) }
            : { minAvailable: kplus.k8s.IntOrString.fromNumber(budget.minAvailable as number) }),
        },
      })
    : undefined;

  const ingressOptions = options.ingress;
  const ingress = ingressOptions
    ? new kplus.k8s.KubeIngress(scope, 'Ingress', {
        metadata: { name: pod.name, namespace: pod.namespace, labels: pod.objectLabels },
        spec: {
          ingressClassName: ingressOptions.className,
          rules: [
            {
              host: ingressOptions.host,
              http: {
                paths: [
                  {
                    path: ingressOptions.path ?? '/',
                    pathType: 'Prefix',
                    backend: { service: { name: serviceName, port: { number: options.port } } },
                  },
                ],
              },
            },
          ],
          tls: ingressOptions.tlsSecretName
            ? [{ hosts: [ingressOptions.host], secretName: ingressOptions.tlsSecretName }]
            : undefined,
        },
      })
    : undefined;

  return { networkPolicy, podDisruptionBudget, ingress };
}

/** A NetworkPolicy selecting the pods with no ingress rule: nothing may connect to them. */
export function denyIngress(scope: Construct, pod: HardenedPod): WorkloadNetworkPolicy {
  return new WorkloadNetworkPolicy(scope, 'NetworkPolicy', {
    namespace: pod.namespace,
    name: pod.name,
    selector: Object.entries(pod.selector).map(([key, value]) => ({ key, value })),
    labels: Object.entries(pod.objectLabels).map(([key, value]) => ({ key, value })),
  });
}
