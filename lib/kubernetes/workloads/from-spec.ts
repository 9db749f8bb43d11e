import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type {
  PlatformSpec,
  WorkloadIdentityIds,
  WorkloadKeyVaultAccess,
  WorkloadSpec,
} from '../../platform-file';
import { keyVaultAccesses, PropError, workloadIdentityKey } from '../../platform-file';
import { SpecProblems, type PropKeys } from '../private/spec-problems';
import { HardenedCronJob } from './hardened-cron-job';
import { HardenedDeployment } from './hardened-deployment';
import { HardenedJob } from './hardened-job';
import { HardenedStatefulSet } from './hardened-stateful-set';
import { KeyVaultObjectType, KeyVaultOptions } from './key-vault-secrets';
import { NetworkPeer } from './network-peer';
import {
  HardenedPodOptions,
  ServingWorkloadOptions,
  WorkloadIngressOptions,
  WorkloadTier,
  ZoneSpread,
} from './workload-options';

const TIER_LABEL = 'app.kubernetes.io/tier';

/**
 * Adds the hardened workloads of workloads[], each in its tenant's namespace. The Namespaces
 * themselves belong to the tenants chart.
 * @throws PlatformValidationError with the problems of every workload, by platform-file key
 */
export function workloadsFromSpec(
  scope: Construct,
  spec: PlatformSpec,
  workloadIdentities: ReadonlyMap<string, WorkloadIdentityIds> = new Map(),
): void {
  const problems = new SpecProblems();
  addWorkloads(scope, spec, problems, workloadIdentities);
  problems.throwIfAny();
}

// How the props of the workload constructs map onto the keys of a workloads[] entry.
const WORKLOAD_KEYS: PropKeys = [
  ['user', 'runAsUser'],
  ['group', 'runAsGroup'],
  ['resources.cpuRequest', 'resources.requests.cpu'],
  ['resources.memoryRequest', 'resources.requests.memory'],
  ['resources.memoryLimit', 'resources.limits.memory'],
  ['resources.cpuLimit', 'resources.limits.cpu'],
  ['tier', `labels.${TIER_LABEL}`],
  ['partOf', 'tenant'],
  ['readiness', 'probes.readinessPath'],
  ['liveness', 'probes.livenessPath'],
  ['storage.storageClassName', 'storage.storageClass'],
  ['ingress.allowedClasses', 'ingress.className'],
  ['ingress.controllerNamespace', '/ingress.namespace'],
];

/** The keys of one entry: list props of the constructs are maps in the platform file. */
function workloadKeys(pod: HardenedPodOptions, access: WorkloadKeyVaultAccess | undefined): PropKeys {
  return [
    ...(pod.labels ?? []).map((l, i): [string, string] => [`labels[${i}]`, `labels.${l.key}`]),
    ...(pod.config ?? []).map((c, i): [string, string] => [`config[${i}].name`, `config.${c.name}`]),
    ...(pod.config ?? []).map((c, i): [string, string] => [`config[${i}]`, `config.${c.name}`]),
    ...(access?.workload.keyVault?.secrets ?? []).flatMap((_, i): Array<[string, string]> => [
      [`keyVault.secrets[${i}].fileName`, `keyVault.secrets[${i}].file`],
      [`keyVault.secrets[${i}].envVar`, `keyVault.secrets[${i}].env`],
    ]),
    // A declared vault's name is a key of its own entry.
    ['keyVault.vaultName', access?.vaultKey ? `/keyVaults.${access.vaultKey}.name` : 'keyVault.name'],
    ...WORKLOAD_KEYS,
  ];
}

/**
 * workloadsFromSpec, recording problems in `problems` instead of throwing.
 * @param workloadIdentities the resolved identities of the workloads (resolvePlatformOutputs)
 */
export function addWorkloads(
  scope: Construct,
  spec: PlatformSpec,
  problems: SpecProblems,
  workloadIdentities: ReadonlyMap<string, WorkloadIdentityIds> = new Map(),
): void {
  const accesses = new Map(keyVaultAccesses(spec).map((a) => [a.workloadIndex, a]));
  spec.workloads.forEach((w, i) => {
    const id = `${w.namespace}-${w.name}`;
    const access = accesses.get(i);
    const pod = podOptions(w);
    problems.build(
      scope,
      id,
      `workloads[${i}]`,
      () =>
        buildWorkload(scope, id, spec, w, {
          ...pod,
          keyVault: access && keyVaultOf(access, workloadIdentities),
        }),
      workloadKeys(pod, access),
    );
  });
}

function buildWorkload(
  scope: Construct,
  id: string,
  spec: PlatformSpec,
  w: WorkloadSpec,
  pod: HardenedPodOptions,
): void {
  switch (w.kind) {
    case 'Deployment':
      new HardenedDeployment(scope, id, {
        ...servingOptions(spec, w, pod),
        autoscaling: w.autoscaling && {
          minReplicas: w.autoscaling.minReplicas,
          maxReplicas: w.autoscaling.maxReplicas,
          cpuUtilization: w.autoscaling.cpuUtilization,
        },
      });
      break;
    case 'StatefulSet':
      new HardenedStatefulSet(scope, id, {
        ...servingOptions(spec, w, pod),
        storage: w.storage && {
          size: w.storage.size,
          mountPath: w.storage.mountPath,
          storageClassName: w.storage.storageClass,
        },
      });
      break;
    case 'Job':
      new HardenedJob(scope, id, pod);
      break;
    case 'CronJob':
      new HardenedCronJob(scope, id, { ...pod, schedule: cronOf(w.schedule ?? '') });
      break;
  }
}

function podOptions(w: WorkloadSpec): HardenedPodOptions {
  const tier = w.labels[TIER_LABEL];
  return {
    namespace: w.namespace,
    name: w.name,
    image: w.image,
    command: w.command,
    args: w.args,
    resources: {
      cpuRequest: w.resources.requests.cpu,
      memoryRequest: w.resources.requests.memory,
      memoryLimit: w.resources.limits.memory,
      cpuLimit: w.resources.limits.cpu,
    },
    user: w.runAsUser,
    group: w.runAsGroup,
    writablePaths: w.writablePaths,
    tier: tier === undefined ? undefined : tierOf(tier),
    labels: Object.entries(w.labels)
      .filter(([key]) => key !== TIER_LABEL)
      .map(([key, value]) => ({ key, value })),
    partOf: w.tenant,
    config: Object.entries(w.config).map(([name, value]) => ({ name, value })),
  };
}

function servingOptions(
  spec: PlatformSpec,
  w: WorkloadSpec,
  pod: HardenedPodOptions,
): ServingWorkloadOptions {
  const port = w.port as number; // checkWorkloads requires it for served kinds
  const http = (path: string | undefined) =>
    path === undefined ? undefined : kplus.Probe.fromHttpGet(path, { port });
  return {
    ...pod,
    port,
    replicas: w.replicas,
    readiness: http(w.probes?.readinessPath),
    liveness: http(w.probes?.livenessPath),
    zoneSpread: zoneSpreadOf(w.zoneSpread),
    allowFrom: w.allowFrom.map((p) => {
      if (p.workload !== undefined) return NetworkPeer.workload(p.workload, p.namespace);
      if (p.labels !== undefined && Object.keys(p.labels).length > 0) {
        return NetworkPeer.pods(
          Object.entries(p.labels).map(([key, value]) => ({ key, value })),
          p.namespace,
        );
      }
      return NetworkPeer.namespace(p.namespace ?? w.namespace);
    }),
    ingress: ingressOf(spec, w),
  };
}

function ingressOf(spec: PlatformSpec, w: WorkloadSpec): WorkloadIngressOptions | undefined {
  const platform = spec.ingress;
  const ingress = w.ingress;
  if (!platform || !ingress) return undefined;
  const tenant = spec.tenants.find((t) => t.name === w.tenant);
  return {
    host: ingress.host,
    path: ingress.path,
    className: ingress.className ?? platform.className,
    allowedClasses: [platform.className, ...(tenant?.ingressClasses ?? [])],
    controllerNamespace: platform.namespace,
    tlsSecretName: ingress.tlsSecretName,
  };
}

/**
 * The vault and identity of a workload: the client and tenant ids resolved from the infra
 * outputs (or written in the platform file).
 * @throws PropError when they were not resolved (never a placeholder in the YAML)
 */
function keyVaultOf(
  access: WorkloadKeyVaultAccess,
  identities: ReadonlyMap<string, WorkloadIdentityIds>,
): KeyVaultOptions {
  const kv = access.workload.keyVault!;
  const w = access.workload;
  const resolved = identities.get(workloadIdentityKey(w.namespace, w.name));
  const clientId = resolved?.clientId ?? access.clientId;
  const tenantId = resolved?.tenantId ?? access.tenantId;
  const how = 'pass the infra outputs (resolvePlatformOutputs; PLATFORM_OUTPUTS for the apps)';
  if (clientId === undefined)
    throw new PropError(
      'keyVault.clientId',
      `the client id of the identity the infra stack creates for workload ${w.namespace}/${w.name} was not resolved: ${how}`,
    );
  if (tenantId === undefined)
    throw new PropError(
      'keyVault.tenantId',
      `the Entra tenant of workload ${w.namespace}/${w.name} was not resolved: ${how}, or set keyVault.tenantId`,
    );
  const types: Record<string, KeyVaultObjectType> = {
    secret: KeyVaultObjectType.SECRET,
    key: KeyVaultObjectType.KEY,
    cert: KeyVaultObjectType.CERTIFICATE,
  };
  return {
    vaultName: access.vaultName,
    tenantId,
    clientId,
    mountPath: kv.mountPath,
    secrets: kv.secrets.map((s) => ({ name: s.name, type: types[s.type], fileName: s.file, envVar: s.env })),
  };
}

function tierOf(value: string): WorkloadTier {
  const tier = Object.values(WorkloadTier).find((t) => t === value);
  // The spec check rejects other values; a construct error names the prop otherwise.
  return tier ?? (value as WorkloadTier);
}

function zoneSpreadOf(value: string): ZoneSpread {
  return Object.values(ZoneSpread).find((z) => z === value) ?? ZoneSpread.PREFERRED;
}

/** A five-field schedule (validated by the spec) as a cdk8s Cron. */
function cronOf(schedule: string): Cron {
  const [minute, hour, day, month, weekDay] = schedule.trim().split(/\s+/);
  return Cron.schedule({ minute, hour, day, month, weekDay });
}
