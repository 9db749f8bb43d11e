import type { Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import type { DisruptionBudget } from './disruption-budget';
import type { KeyVaultOptions } from './key-vault-secrets';
import type { NetworkPeer } from './network-peer';

/**
 * The tier label (`app.kubernetes.io/tier`) the platform's policies accept.
 */
export enum WorkloadTier {
  /** Serves end users, usually behind the ingress controller. */
  FRONTEND = 'frontend',
  /** Serves other workloads. */
  BACKEND = 'backend',
  /** Not reachable from outside its tenant. */
  INTERNAL = 'internal',
}

/**
 * How the pods of a workload are spread across availability zones.
 * Required pod anti-affinity is never used: it leaves pods Pending as soon as there are more
 * replicas than nodes or zones.
 */
export enum ZoneSpread {
  /** Spread evenly (max skew 1) when possible, schedule anyway when not (`ScheduleAnyway`). */
  PREFERRED = 'ScheduleAnyway',
  /** Never exceed a skew of 1 between zones, leaving pods Pending instead (`DoNotSchedule`). */
  REQUIRED = 'DoNotSchedule',
  /** No spread constraint (the scheduler's cluster defaults only). */
  NONE = 'None',
}

/** One label of a pod, besides the standard `app.kubernetes.io/*` ones. */
export interface WorkloadLabel {
  /** Label key, e.g. `example.com/team`. */
  readonly key: string;
  /** Label value. */
  readonly value: string;
}

/** One entry of the workload's ConfigMap, exposed to the container as an environment variable. */
export interface ConfigEntry {
  /** Variable name (letters, digits, `_`, not starting with a digit). */
  readonly name: string;
  /** Its value. Never put a secret here: use `keyVault`. */
  readonly value: string;
}

/**
 * Requests and limits of a container. Quantities are Kubernetes quantities ("250m", "512Mi").
 * There is no CPU limit by default: CPU limits throttle a pod even when the node is idle.
 */
export interface WorkloadResources {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /** @default - none */
  readonly cpuLimit?: string;
  /** @default '128Mi' */
  readonly memoryRequest?: string;
  /** Above it the container is killed (OOMKilled) instead of starving its neighbours. @default '256Mi' */
  readonly memoryLimit?: string;
  /** @default - none */
  readonly ephemeralStorageRequest?: string;
  /** @default - none */
  readonly ephemeralStorageLimit?: string;
}

/** A container that runs to completion before the main one, hardened the same way. */
export interface HardenedInitContainer {
  /** Container name, a DNS label other than `main`. */
  readonly name: string;
  /** Image pinned by a version tag (not `latest`) or a sha256 digest. */
  readonly image: string;
  /** @default - the image entrypoint */
  readonly command?: string[];
  /** @default - the image arguments */
  readonly args?: string[];
  /** @default - the defaults of WorkloadResources */
  readonly resources?: WorkloadResources;
}

/** What every hardened pod accepts: Deployments, StatefulSets, Jobs and CronJobs. */
export interface HardenedPodOptions {
  /** Namespace of every object. Never `default`. */
  readonly namespace: string;
  /**
   * Name of the workload and of its Service, ServiceAccount and policies (a DNS label
   * starting with a letter, at most 50 characters).
   * @default - the construct id
   */
  readonly name?: string;
  /** Image pinned by a version tag (not `latest`) or a sha256 digest. */
  readonly image: string;
  /** @default - the image entrypoint */
  readonly command?: string[];
  /** @default - the image arguments */
  readonly args?: string[];
  /** @default - requests 100m CPU and 128Mi memory, memory limit 256Mi, no CPU limit */
  readonly resources?: WorkloadResources;
  /** Numeric user id of every container; must not be 0. @default 10001 */
  readonly user?: number;
  /** Numeric group id of every container and of mounted volumes; must not be 0. @default 10001 */
  readonly group?: number;
  /**
   * Extra writable directories (an emptyDir each); the root filesystem is read-only and
   * `/tmp` is always writable.
   * @default - only /tmp
   */
  readonly writablePaths?: string[];
  /** Size limit of each writable emptyDir; beyond it the pod is evicted. @default Size.mebibytes(64) */
  readonly writableSizeLimit?: Size;
  /** @default - no tier label */
  readonly tier?: WorkloadTier;
  /** Extra pod labels; the `app.kubernetes.io/*` keys are set by the construct. @default - none */
  readonly labels?: WorkloadLabel[];
  /** Value of `app.kubernetes.io/part-of`, e.g. the tenant. @default - no part-of label */
  readonly partOf?: string;
  /** Plain configuration, written to a ConfigMap and exposed as environment variables. @default - none */
  readonly config?: ConfigEntry[];
  /** Secrets read from Azure Key Vault with workload identity. @default - none */
  readonly keyVault?: KeyVaultOptions;
  /** Containers run before the main one. @default - none */
  readonly initContainers?: HardenedInitContainer[];
  /**
   * Mount a Kubernetes API token in the pods. Only workloads that call the Kubernetes API
   * need one; workload identity does not (see the documentation).
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
}

/** An Ingress routing one host (and path) to the workload's Service. */
export interface WorkloadIngressOptions {
  /** Host name, e.g. `demo.dev.example.com`. */
  readonly host: string;
  /** Path prefix. @default '/' */
  readonly path?: string;
  /** IngressClass; must be one of `allowedClasses` when that is given. */
  readonly className: string;
  /** IngressClasses the tenant may use. @default - any */
  readonly allowedClasses?: string[];
  /** Namespace of the ingress controller, admitted by the workload's NetworkPolicy. */
  readonly controllerNamespace: string;
  /** Secret holding the TLS certificate (for example issued by cert-manager). @default - no TLS section */
  readonly tlsSecretName?: string;
}

/** What long-running, served workloads accept (Deployments and StatefulSets). */
export interface ServingWorkloadOptions extends HardenedPodOptions {
  /** The TCP port the container serves, exposed by the Service. */
  readonly port: number;
  /** @default 2 */
  readonly replicas?: number;
  /** @default - a TCP check of `port` every 10 seconds */
  readonly readiness?: kplus.Probe;
  /** @default - a TCP check of `port` every 10 seconds, 3 failures restart the container */
  readonly liveness?: kplus.Probe;
  /** For slow starters: liveness waits until it succeeds. @default - none */
  readonly startup?: kplus.Probe;
  /** Who may connect to `port` (the NetworkPolicy). @default - nobody but the ingress controller when `ingress` is set */
  readonly allowFrom?: NetworkPeer[];
  /** @default - no Ingress */
  readonly ingress?: WorkloadIngressOptions;
  /** @default DisruptionBudget.maxUnavailable(1) */
  readonly disruptionBudget?: DisruptionBudget;
  /** @default ZoneSpread.PREFERRED */
  readonly zoneSpread?: ZoneSpread;
}
