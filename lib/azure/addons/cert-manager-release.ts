import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { assertDnsLabel, assertIntInRange } from '../private/checks';
import { terraformText } from '../private/terraform-text';
import {
  containerResources,
  podDisruptionBudgetValues,
  releaseDefaults,
  WEBHOOK_PRIORITY_CLASS,
} from './release-defaults';
import { valuesYaml, zoneSpread } from '../private/helm-values';

/**
 * The cert-manager chart version. v1.19 is a supported release line for the Kubernetes
 * versions AKS offers, and its chart installs CRDs through `crds.enabled` (`installCRDs` is
 * deprecated since v1.15).
 */
export const CERT_MANAGER_CHART_VERSION = 'v1.19.1';

/** Properties of a {@link CertManagerRelease}. */
export interface CertManagerReleaseProps {
  /**
   * Namespace of the release (created when missing).
   * @default 'cert-manager'
   */
  readonly namespace?: string;
  /**
   * Replicas of the controller and the CA injector (leader-elected: one works, one stands by).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Replicas of the webhook, which every write of a cert-manager resource goes through
   * (cert-manager's production guidance: 3 or more).
   * @default 3
   */
  readonly webhookReplicas?: number;
  /**
   * Chart version.
   * @default CERT_MANAGER_CHART_VERSION
   */
  readonly version?: string;
}

/**
 * cert-manager, which issues the webhook certificates of Capsule (0.13+) and capsule-proxy.
 * CRDs are installed by the chart and kept when the release is removed, so that uninstalling
 * never deletes every Certificate in the cluster. Sized for its fail-closed webhook: requests and
 * memory limits on every pod, three webhook replicas, the critical priority class.
 */
export class CertManagerRelease extends Construct {
  public readonly release: Release;
  public readonly namespace: string;
  /** The chart values, as given to Helm. */
  public readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: CertManagerReleaseProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'cert-manager';
    assertDnsLabel('CertManagerRelease.namespace', this.namespace);
    const replicas = props.replicas ?? 2;
    assertIntInRange('CertManagerRelease.replicas', replicas, 1, 10);
    const webhookReplicas = props.webhookReplicas ?? 3;
    assertIntInRange('CertManagerRelease.webhookReplicas', webhookReplicas, 1, 10);
    const component = (name: string) =>
      zoneSpread({ 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/component': name });
    this.values = {
      global: { priorityClassName: WEBHOOK_PRIORITY_CLASS },
      crds: { enabled: true, keep: true },
      replicaCount: replicas,
      podDisruptionBudget: podDisruptionBudgetValues(replicas),
      topologySpreadConstraints: component('controller'),
      // Caches certificates and their secrets: memory grows with their number.
      resources: containerResources('50m', '128Mi', '512Mi'),
      webhook: {
        replicaCount: webhookReplicas,
        podDisruptionBudget: podDisruptionBudgetValues(webhookReplicas),
        topologySpreadConstraints: component('webhook'),
        resources: containerResources('50m', '64Mi', '256Mi'),
      },
      cainjector: {
        replicaCount: replicas,
        podDisruptionBudget: podDisruptionBudgetValues(replicas),
        topologySpreadConstraints: component('cainjector'),
        resources: containerResources('50m', '128Mi', '512Mi'),
      },
      // The post-install job that waits for the webhook to answer.
      startupapicheck: { resources: containerResources('10m', '64Mi', '128Mi') },
    };
    this.release = new Release(this, 'release', {
      ...releaseDefaults,
      name: 'cert-manager',
      repository: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      version: terraformText(props.version ?? CERT_MANAGER_CHART_VERSION),
      namespace: this.namespace,
      createNamespace: true,
      values: [valuesYaml(this.values)],
    });
  }
}
