import { createHash } from 'node:crypto';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { parseImage } from '../../../platform-file/formats';
import { WORKLOAD_INGRESS_LABEL, WORKLOAD_INGRESS_LABEL_VALUE } from '../../labels';
import { KeyVaultSecrets, SECRETS_STORE_CSI_DRIVER } from '../key-vault-secrets';
import { HardenedPodOptions, WorkloadResources, WorkloadTier } from '../workload-options';
import { ENV_NAME, PropChecker } from './validate';

export const MANAGED_BY = 'cdk-aks-platform';
export const DEFAULT_ID = 10001;
const WORKLOAD_IDENTITY_LABEL = 'azure.workload.identity/use';
const WORKLOAD_IDENTITY_CLIENT_ID = 'azure.workload.identity/client-id';
const WORKLOAD_IDENTITY_TENANT_ID = 'azure.workload.identity/tenant-id';

/** The main container's port and probes, for workloads that serve. */
export interface ServingContainer {
  readonly port: number;
  readonly readiness?: kplus.Probe;
  readonly liveness?: kplus.Probe;
  readonly startup?: kplus.Probe;
}

/** Anything with a pod template: kplus Deployment, StatefulSet, Job, CronJob. */
type PodTemplateOwner = kplus.AbstractPod & {
  readonly podMetadata: { addLabel(key: string, value: string): void };
};

/**
 * What every hardened pod shares: validation, labels, the ServiceAccount, the ConfigMap, the
 * Key Vault SecretProviderClass, the containers' props, and the patches filling the gaps of
 * cdk8s-plus (pod seccomp profile, exact resources, no default startup probe).
 */
export class HardenedPod {
  public readonly name: string;
  public readonly namespace: string;
  public readonly check: PropChecker;
  /** Labels selecting the pods; immutable once deployed, so only name and instance. */
  public readonly selector: Record<string, string>;
  /** Labels of every object of the workload. */
  public readonly objectLabels: Record<string, string>;
  /** Labels of the pods, including `WORKLOAD_INGRESS_LABEL`. */
  public readonly podLabels: Record<string, string>;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly automountServiceAccountToken: boolean;
  public readonly keyVault?: KeyVaultSecrets;
  public readonly configMap?: kplus.ConfigMap;
  public readonly containers: kplus.ContainerProps[];
  public readonly initContainers: kplus.ContainerProps[];
  public readonly securityContext: kplus.PodSecurityContextProps;
  private readonly resources: kplus.k8s.ResourceRequirements[];
  private readonly dropDefaultStartupProbe: boolean;

  constructor(scope: Construct, kind: string, options: HardenedPodOptions, serving?: ServingContainer) {
    this.name = options.name ?? scope.node.id;
    this.namespace = options.namespace;
    const check = new PropChecker(kind, scope.node.path);
    this.check = check;
    check.namespace(options.namespace);
    check.name(this.name);
    check.image('image', options.image);
    const user = options.user ?? DEFAULT_ID;
    const group = options.group ?? DEFAULT_ID;
    check.id('user', user);
    check.id('group', group);
    if (serving) check.port('port', serving.port);
    check.labels('labels', options.labels ?? []);
    if (options.tier !== undefined && !Object.values(WorkloadTier).includes(options.tier)) {
      check.fail('tier', `"${options.tier}" must be one of ${Object.values(WorkloadTier).join(', ')}`);
    }
    if (options.partOf !== undefined) check.labels('partOf', [{ key: 'part-of', value: options.partOf }]);

    this.selector = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': this.name };
    const version = versionLabel(options.image);
    this.objectLabels = {
      ...this.selector,
      ...(version !== undefined ? { 'app.kubernetes.io/version': version } : {}),
      ...(options.partOf !== undefined ? { 'app.kubernetes.io/part-of': options.partOf } : {}),
      'app.kubernetes.io/managed-by': MANAGED_BY,
    };
    this.podLabels = {
      ...this.objectLabels,
      ...(options.tier !== undefined ? { 'app.kubernetes.io/tier': options.tier } : {}),
      ...Object.fromEntries((options.labels ?? []).map((l) => [l.key, l.value])),
      ...(options.keyVault ? { [WORKLOAD_IDENTITY_LABEL]: 'true' } : {}),
      // Takes the pods out of the tenant-wide ingress allowance: only their own NetworkPolicy admits.
      [WORKLOAD_INGRESS_LABEL]: WORKLOAD_INGRESS_LABEL_VALUE,
    };
    const labelList = Object.entries(this.objectLabels).map(([key, value]) => ({ key, value }));

    // Writable directories on a read-only root filesystem.
    const sizeLimit = options.writableSizeLimit ?? Size.mebibytes(64);
    const writable = ['/tmp', ...(options.writablePaths ?? [])];
    writable.forEach((p, i) => {
      check.absolutePath(`writablePaths[${i - 1}]`, p);
      if (writable.indexOf(p) !== i)
        check.fail(`writablePaths[${i - 1}]`, `"${p}" is given twice (/tmp is always writable)`);
    });
    const mounts: kplus.VolumeMount[] = writable.map((path, i) => ({
      path,
      volume: kplus.Volume.fromEmptyDir(scope, `Writable${i}`, i === 0 ? 'tmp' : `writable-${i}`, {
        sizeLimit,
      }),
    }));

    // Its problems are reported with the pod's, under keyVault.
    this.keyVault = options.keyVault
      ? check.check(
          () =>
            new KeyVaultSecrets(scope, 'KeyVault', {
              ...options.keyVault!,
              namespace: this.namespace,
              name: this.name,
              labels: labelList,
            }),
          'keyVault',
        )
      : undefined;
    if (this.keyVault) {
      if (writable.includes(this.keyVault.mountPath)) {
        check.fail('keyVault.mountPath', `"${this.keyVault.mountPath}" is also a writable path`);
      }
      mounts.push({
        path: this.keyVault.mountPath,
        readOnly: true,
        volume: kplus.Volume.fromCsi(scope, 'KeyVaultVolume', SECRETS_STORE_CSI_DRIVER, {
          name: 'key-vault',
          readOnly: true,
          attributes: { secretProviderClass: this.keyVault.name },
        }),
      });
    }

    // The Kubernetes API token is left out even with workload identity: the CSI driver receives
    // its Entra-audience token from the kubelet, and the identity webhook projects its own.
    this.automountServiceAccountToken = options.automountServiceAccountToken ?? false;
    this.serviceAccount = new kplus.ServiceAccount(scope, 'ServiceAccount', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: this.objectLabels,
        // The webhook gives the pods' Azure SDK the same identity the CSI driver uses.
        annotations: options.keyVault
          ? {
              [WORKLOAD_IDENTITY_CLIENT_ID]: options.keyVault.clientId.toLowerCase(),
              [WORKLOAD_IDENTITY_TENANT_ID]: options.keyVault.tenantId.toLowerCase(),
            }
          : undefined,
      },
      automountToken: this.automountServiceAccountToken,
    });

    const env: Record<string, kplus.EnvValue> = {};
    const envNames = new Set<string>();
    const before = check.size;
    (options.config ?? []).forEach((c, i) => {
      if (!ENV_NAME.test(c.name))
        check.fail(`config[${i}].name`, `"${c.name}" is not an environment variable name`);
      check.objectKey(`config[${i}].name`, c.name);
      if (envNames.has(c.name)) check.fail(`config[${i}].name`, `"${c.name}" is given twice`);
      envNames.add(c.name);
    });
    check.configSize('config', options.config ?? []);
    // cdk8s-plus fails on some names: the ConfigMap is only built from names that passed.
    if (options.config && options.config.length > 0 && check.size === before) {
      const data = Object.fromEntries(
        [...options.config].sort((a, b) => a.name.localeCompare(b.name)).map((c) => [c.name, c.value]),
      );
      // Immutable and named after its content: a change rolls the pods out instead of drifting.
      const hash = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 8);
      this.configMap = new kplus.ConfigMap(scope, 'Config', {
        metadata: {
          name: `${this.name}-config-${hash}`,
          namespace: this.namespace,
          labels: this.objectLabels,
        },
        data,
        immutable: true,
      });
    }
    if (this.keyVault?.syncedSecretName) {
      const synced = kplus.Secret.fromSecretName(scope, 'SyncedSecret', this.keyVault.syncedSecretName);
      for (const v of this.keyVault.envVars) {
        if (envNames.has(v.name)) check.fail('keyVault', `envVar "${v.name}" is also a config entry`);
        env[v.name] = kplus.EnvValue.fromSecretValue({ secret: synced, key: v.key });
      }
    }

    const resources = withDefaults(options.resources);
    check.resources('resources', resources);
    this.resources = [renderResources(resources)];

    const securityContext = containerSecurityContext(user, group);
    const probe = serving
      ? kplus.Probe.fromTcpSocket({ port: serving.port, periodSeconds: Duration.seconds(10) })
      : undefined;
    this.containers = [
      {
        name: 'main',
        image: options.image,
        command: options.command,
        args: options.args,
        portNumber: serving?.port,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        resources: {},
        securityContext,
        readiness: serving ? (serving.readiness ?? probe) : undefined,
        liveness: serving ? (serving.liveness ?? probe) : undefined,
        startup: serving?.startup,
        volumeMounts: mounts,
        envFrom: this.configMap ? [kplus.Env.fromConfigMap(this.configMap)] : undefined,
        envVariables: env,
      },
    ];
    this.dropDefaultStartupProbe = serving !== undefined && serving.startup === undefined;

    const initNames = new Set<string>(['main']);
    this.initContainers = (options.initContainers ?? []).map((c, i) => {
      const at = `initContainers[${i}]`;
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c.name) || c.name.length > 63)
        check.fail(`${at}.name`, `"${c.name}" is not a DNS label`);
      if (initNames.has(c.name)) check.fail(`${at}.name`, `"${c.name}" is used by another container`);
      initNames.add(c.name);
      check.image(`${at}.image`, c.image);
      const r = withDefaults(c.resources);
      check.resources(`${at}.resources`, r);
      this.resources.push(renderResources(r));
      return {
        name: c.name,
        image: c.image,
        command: c.command,
        args: c.args,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        resources: {},
        securityContext,
        volumeMounts: mounts.filter((m) => m.volume.name !== 'key-vault'),
      };
    });

    this.securityContext = {
      ensureNonRoot: true,
      user,
      group,
      fsGroup: group,
      fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    };
  }

  /**
   * Labels the workload and its pods and patches what cdk8s-plus cannot express.
   * @param podSpecPath JSON pointer of the pod spec in the rendered object
   */
  public applyTo(workload: PodTemplateOwner, podSpecPath: string): void {
    // The workload constructs report problems before they build; this keeps one that forgets from passing.
    this.check.done();
    for (const [k, v] of Object.entries(this.objectLabels)) workload.metadata.addLabel(k, v);
    for (const [k, v] of Object.entries(this.podLabels)) workload.podMetadata.addLabel(k, v);
    const api = ApiObject.of(workload);
    api.addJsonPatch(
      JsonPatch.add(`${podSpecPath}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
    );
    api.addJsonPatch(JsonPatch.add(`${podSpecPath}/containers/0/resources`, this.resources[0]));
    this.resources.slice(1).forEach((r, i) => {
      api.addJsonPatch(JsonPatch.add(`${podSpecPath}/initContainers/${i}/resources`, r));
    });
    // cdk8s-plus adds a TCP startup probe to any container with a port; nobody asked for it.
    if (this.dropDefaultStartupProbe)
      api.addJsonPatch(JsonPatch.remove(`${podSpecPath}/containers/0/startupProbe`));
  }

  /** The pod part of a cdk8s-plus workload's props: identity, metadata and hardened containers. */
  public get workloadProps() {
    return {
      metadata: { name: this.name, namespace: this.namespace },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: this.automountServiceAccountToken,
      securityContext: this.securityContext,
      containers: this.containers,
      initContainers: this.initContainers,
    };
  }
}

type ResolvedResources = Required<Pick<WorkloadResources, 'cpuRequest' | 'memoryRequest' | 'memoryLimit'>> &
  WorkloadResources;

function withDefaults(r: WorkloadResources | undefined): ResolvedResources {
  return {
    ...r,
    cpuRequest: r?.cpuRequest ?? '100m',
    memoryRequest: r?.memoryRequest ?? '128Mi',
    memoryLimit: r?.memoryLimit ?? '256Mi',
  };
}

/**
 * Quantities exactly as given (cdk8s-plus would round them through Size and Cpu), as L1 props:
 * patches of a kplus object are applied before the L1 conversion to Kubernetes JSON.
 */
function renderResources(r: ResolvedResources): kplus.k8s.ResourceRequirements {
  const q = (v: string) => kplus.k8s.Quantity.fromString(v);
  const requests: Record<string, kplus.k8s.Quantity> = { cpu: q(r.cpuRequest), memory: q(r.memoryRequest) };
  const limits: Record<string, kplus.k8s.Quantity> = { memory: q(r.memoryLimit) };
  if (r.cpuLimit !== undefined) limits.cpu = q(r.cpuLimit);
  if (r.ephemeralStorageRequest !== undefined) requests['ephemeral-storage'] = q(r.ephemeralStorageRequest);
  if (r.ephemeralStorageLimit !== undefined) limits['ephemeral-storage'] = q(r.ephemeralStorageLimit);
  return { limits, requests };
}

/** Pod Security "restricted", container side. */
function containerSecurityContext(user: number, group: number): kplus.ContainerSecurityContextProps {
  return {
    user,
    group,
    ensureNonRoot: true,
    privileged: false,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

/** The image tag as a version label, when it is a valid label value. */
function versionLabel(image: string): string | undefined {
  const { tag } = parseImage(image);
  return tag !== undefined && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(tag) ? tag : undefined;
}
