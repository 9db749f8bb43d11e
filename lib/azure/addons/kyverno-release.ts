import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { describeValue, PlatformError } from '../../platform-file/errors';
import { assertDnsLabel, assertIntInRange, assertQuantity, assertUnique } from '../private/checks';
import { valuesYaml, zoneSpread } from '../private/helm-values';
import { terraformText } from '../private/terraform-text';
import { releaseDefaults, WEBHOOK_PRIORITY_CLASS } from './release-defaults';

/** The Kyverno chart version (Kyverno 1.19). */
export const KYVERNO_CHART_VERSION = '3.9.0';

/** Replicas per Kyverno controller. */
export interface KyvernoReplicas {
  /**
   * Admission controller (the webhooks). Kyverno's HA guide minimum is 3: its webhooks fail
   * closed, so losing the only pod blocks writes to the cluster.
   * @default 3
   */
  readonly admission?: number;
  /**
   * Background controller (generate and mutate-existing).
   * @default 2
   */
  readonly background?: number;
  /**
   * Cleanup controller.
   * @default 2
   */
  readonly cleanup?: number;
  /**
   * Reports controller.
   * @default 2
   */
  readonly reports?: number;
}

/** Properties of a {@link KyvernoRelease}. */
export interface KyvernoReleaseProps {
  /**
   * Namespace of the release (created when missing; Kyverno excludes it from its webhooks).
   * @default 'kyverno'
   */
  readonly namespace?: string;
  /**
   * Replicas per controller (admission at least 3, the others at least 2).
   * @default - 3 / 2 / 2 / 2
   */
  readonly replicas?: KyvernoReplicas;
  /**
   * The only namespace where Kyverno accepts PolicyExceptions (the feature is off by default
   * since 1.13; anywhere else anyone who can create an exception could switch policies off).
   * @default 'kyverno-exceptions'
   */
  readonly policyExceptionNamespace?: string;
  /**
   * Memory limit of the admission controller (the chart's 384Mi is OOM-killed under load).
   * @default '1Gi'
   */
  readonly admissionMemoryLimit?: string;
  /**
   * Memory limit of the background, cleanup and reports controllers (the chart's 128Mi is
   * OOM-killed under load).
   * @default '512Mi'
   */
  readonly controllerMemoryLimit?: string;
  /**
   * Namespaces excluded from Kyverno's webhooks besides kube-system (always excluded, so that
   * a Kyverno outage cannot stop the control plane's own add-ons).
   * @default - none
   */
  readonly additionalExcludedNamespaces?: string[];
  /**
   * Chart version.
   * @default KYVERNO_CHART_VERSION
   */
  readonly version?: string;
}

const CONTROLLERS = [
  { key: 'admissionController', component: 'admission-controller', replicas: 'admission', min: 3 },
  { key: 'backgroundController', component: 'background-controller', replicas: 'background', min: 2 },
  { key: 'cleanupController', component: 'cleanup-controller', replicas: 'cleanup', min: 2 },
  { key: 'reportsController', component: 'reports-controller', replicas: 'reports', min: 2 },
] as const;

/**
 * Kyverno in high availability: replicated controllers spread over zones with disruption
 * budgets, memory limits that survive load and no CPU limits (throttled webhooks time out),
 * kube-system excluded from the webhooks, and policy exceptions confined to one namespace.
 */
export class KyvernoRelease extends Construct {
  public static readonly RELEASE_NAME = 'kyverno';
  public readonly release: Release;
  public readonly namespace: string;
  /** The chart values, as given to Helm. */
  public readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: KyvernoReleaseProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'kyverno';
    assertDnsLabel('KyvernoRelease.namespace', this.namespace);
    const exceptions = props.policyExceptionNamespace ?? 'kyverno-exceptions';
    assertDnsLabel('KyvernoRelease.policyExceptionNamespace', exceptions);
    if (exceptions === this.namespace) {
      throw new PlatformError(
        `KyvernoRelease.policyExceptionNamespace ${describeValue(exceptions)} is the Kyverno namespace, which the webhooks do not see`,
      );
    }
    const admissionMemory = props.admissionMemoryLimit ?? '1Gi';
    const controllerMemory = props.controllerMemoryLimit ?? '512Mi';
    assertQuantity('KyvernoRelease.admissionMemoryLimit', admissionMemory);
    assertQuantity('KyvernoRelease.controllerMemoryLimit', controllerMemory);
    const excluded = ['kube-system', ...(props.additionalExcludedNamespaces ?? [])];
    excluded.forEach((ns) => assertDnsLabel('KyvernoRelease.additionalExcludedNamespaces', ns));
    assertUnique('KyvernoRelease.additionalExcludedNamespaces (with kube-system)', excluded);

    const values: Record<string, unknown> = {};
    for (const c of CONTROLLERS) {
      const replicas = props.replicas?.[c.replicas] ?? c.min;
      assertIntInRange(`KyvernoRelease.replicas.${c.replicas}`, replicas, c.min, 15);
      const admission = c.key === 'admissionController';
      const resources = {
        limits: { memory: admission ? admissionMemory : controllerMemory },
        requests: { cpu: '100m', memory: admission ? '256Mi' : '128Mi' },
      };
      values[c.key] = {
        replicas,
        // The chart renders a budget whenever replicas > 1; saying so keeps it when that changes.
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        topologySpreadConstraints: zoneSpread({
          'app.kubernetes.io/component': c.component,
          'app.kubernetes.io/instance': KyvernoRelease.RELEASE_NAME,
        }),
        ...(admission
          ? { container: { resources }, priorityClassName: WEBHOOK_PRIORITY_CLASS }
          : { resources }),
      };
    }
    values.config = {
      webhooks: {
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: excluded }],
        },
      },
      // Without it the AKS admissions enforcer rewrites the webhooks' selectors.
      webhookAnnotations: { 'admissions.enforcer/disabled': 'true' },
      excludeKyvernoNamespace: true,
    };
    values.features = { policyExceptions: { enabled: true, namespace: exceptions } };
    this.values = values;

    this.release = new Release(this, 'release', {
      ...releaseDefaults,
      name: KyvernoRelease.RELEASE_NAME,
      repository: 'https://kyverno.github.io/kyverno/',
      chart: 'kyverno',
      version: terraformText(props.version ?? KYVERNO_CHART_VERSION),
      namespace: this.namespace,
      createNamespace: true,
      values: [valuesYaml(values)],
    });
  }
}
