import { Construct } from 'constructs';
import { describeValue, PlatformError } from '../../platform-file/errors';
import { Release } from '@cdktf/provider-helm/lib/release';
import { assertDnsLabel, assertIntInRange, assertObjectId, assertUnique } from '../private/checks';
import { podDisruptionBudget, valuesYaml, zoneSpread } from '../private/helm-values';
import { terraformText } from '../private/terraform-text';
import type { CertManagerRelease } from './cert-manager-release';
import { containerResources, releaseDefaults, WEBHOOK_PRIORITY_CLASS } from './release-defaults';

/** The Capsule and capsule-proxy chart version. */
export const CAPSULE_CHART_VERSION = '0.14.0';
/** Where the Capsule charts are published (OCI). */
export const CAPSULE_CHART_REPOSITORY = 'oci://ghcr.io/projectcapsule/charts';

/** Properties of a {@link CapsuleRelease}. */
export interface CapsuleReleaseProps {
  /**
   * The cert-manager release that issues Capsule's webhook certificates (Capsule 0.13+ takes
   * them from cert-manager). Required so that Terraform always installs cert-manager first and
   * removes it last, wherever the releases are composed.
   */
  readonly certManager: CertManagerRelease;
  /**
   * Object id of the Capsule users group: only its members (directly or through nested tenant
   * owner groups) are handled by Capsule. It replaces the chart default group.
   */
  readonly usersGroupObjectId: string;
  /** Object ids of the admin groups, which Capsule ignores (they manage the platform). */
  readonly adminGroupObjectIds: string[];
  /**
   * Namespace of the release (created when missing).
   * @default 'capsule-system'
   */
  readonly namespace?: string;
  /**
   * Controller replicas: almost every Capsule webhook fails closed, so one pod is a single
   * point of failure for namespace and tenant writes.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Tenant namespaces must be named `<tenant>-<name>`.
   * @default true
   */
  readonly forceTenantPrefix?: boolean;
  /**
   * Chart version.
   * @default CAPSULE_CHART_VERSION
   */
  readonly version?: string;
  /**
   * How long the API server waits for Capsule's webhooks (1 to 30 seconds). They fail closed, so
   * while Capsule hangs (overloaded, or behind a dropped connection) every matched write waits
   * this long before it is refused; the chart's 30 s (the maximum), for the mutating and then the
   * validating call, with Kyverno's, can outlast the API server's own 60 s request timeout.
   * Capsule answers from its caches, well within 10 s.
   * @default 10
   */
  readonly webhookTimeoutSeconds?: number;
  /**
   * Capsule administrators: identities that may create namespaces for any tenant by setting the
   * `capsule.clastix.io/tenant` label, such as the GitOps controller that applies the platform's
   * tenant namespaces. Admin groups are ignored by Capsule and cannot play this part.
   * @default - none
   */
  readonly administrators?: CapsuleAdministrator[];
}

/** Kinds of Capsule administrator. */
export enum CapsuleSubjectKind {
  USER = 'User',
  GROUP = 'Group',
  SERVICE_ACCOUNT = 'ServiceAccount',
}

/** A Capsule administrator. */
export interface CapsuleAdministrator {
  /** User, Group or ServiceAccount. */
  readonly kind: CapsuleSubjectKind;
  /**
   * The name Kubernetes sees: a user name, a group object id, or
   * `system:serviceaccount:<namespace>:<name>`.
   */
  readonly name: string;
}

/**
 * Capsule with leader election, two or more replicas spread over zones and a
 * PodDisruptionBudget (the chart has none). Webhook certificates come from cert-manager. Sized
 * for its fail-closed webhooks: requests and memory limits on every pod, the critical priority
 * class, a deliberate webhook timeout.
 */
export class CapsuleRelease extends Construct {
  public static readonly RELEASE_NAME = 'capsule';
  public readonly release: Release;
  public readonly namespace: string;
  /** The chart values, as given to Helm. */
  public readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: CapsuleReleaseProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'capsule-system';
    assertDnsLabel('CapsuleRelease.namespace', this.namespace);
    assertObjectId('CapsuleRelease.usersGroupObjectId', props.usersGroupObjectId);
    props.adminGroupObjectIds.forEach((g, i) =>
      assertObjectId(`CapsuleRelease.adminGroupObjectIds[${i}]`, g),
    );
    assertUnique('CapsuleRelease.adminGroupObjectIds', props.adminGroupObjectIds);
    (props.administrators ?? []).forEach((a, i) => {
      if (!Object.values(CapsuleSubjectKind).includes(a.kind) || a.name.trim() === '') {
        throw new PlatformError(
          `CapsuleRelease.administrators[${i}] must be a User, Group or ServiceAccount with a name, got ${describeValue(a)}`,
        );
      }
      if (a.kind === CapsuleSubjectKind.GROUP && props.adminGroupObjectIds.includes(a.name)) {
        throw new PlatformError(
          `CapsuleRelease.administrators[${i}]: ${describeValue(a.name)} is an admin group, which Capsule ignores: it cannot be an administrator too`,
        );
      }
    });
    const replicas = props.replicas ?? 2;
    assertIntInRange('CapsuleRelease.replicas', replicas, 2, 10);
    const webhookTimeout = props.webhookTimeoutSeconds ?? 10;
    assertIntInRange('CapsuleRelease.webhookTimeoutSeconds', webhookTimeout, 1, 30);
    const selector = {
      'app.kubernetes.io/name': 'capsule',
      'app.kubernetes.io/instance': CapsuleRelease.RELEASE_NAME,
    };

    this.values = {
      replicaCount: replicas,
      manager: {
        options: {
          users: [{ kind: 'Group', name: props.usersGroupObjectId }],
          forceTenantPrefix: props.forceTenantPrefix ?? true,
          ignoreUserWithGroups: [...props.adminGroupObjectIds],
          // Capsule ignores admins entirely; the identity that applies the platform's labelled
          // tenant Namespaces must be an administrator (and not ignored) for Capsule to assign them.
          administrators: (props.administrators ?? []).map((a) => ({ kind: a.kind, name: a.name })),
          leaderElection: { enabled: true },
        },
        // Caches tenants, namespaces and their replicated objects.
        resources: containerResources('100m', '256Mi', '1Gi'),
      },
      priorityClassName: WEBHOOK_PRIORITY_CLASS,
      webhooks: {
        mutatingWebhooksTimeoutSeconds: webhookTimeout,
        validatingWebhooksTimeoutSeconds: webhookTimeout,
      },
      // The chart's hook jobs (CRD lifecycle, post-install, pre-delete) run kubectl.
      global: { jobs: { kubectl: { resources: containerResources('10m', '64Mi', '128Mi') } } },
      certManager: { generateCertificates: true },
      topologySpreadConstraints: zoneSpread(selector),
      extraManifests: [podDisruptionBudget('capsule-controller-manager', selector)],
    };
    this.release = new Release(this, 'release', {
      ...releaseDefaults,
      name: CapsuleRelease.RELEASE_NAME,
      repository: CAPSULE_CHART_REPOSITORY,
      chart: 'capsule',
      version: terraformText(props.version ?? CAPSULE_CHART_VERSION),
      namespace: this.namespace,
      createNamespace: true,
      values: [valuesYaml(this.values)],
      dependsOn: [props.certManager.release],
    });
  }
}
