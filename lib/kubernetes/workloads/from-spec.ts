import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { PlatformSpec, WorkloadSpec } from '../../spec';
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
 */
export function workloadsFromSpec(scope: Construct, spec: PlatformSpec): void {
  for (const w of spec.workloads) {
    const id = `${w.namespace}-${w.name}`;
    const pod = podOptions(w);
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
    keyVault: w.keyVault && keyVaultOf(w.keyVault),
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

function keyVaultOf(kv: NonNullable<WorkloadSpec['keyVault']>): KeyVaultOptions {
  const types: Record<string, KeyVaultObjectType> = {
    secret: KeyVaultObjectType.SECRET,
    key: KeyVaultObjectType.KEY,
    cert: KeyVaultObjectType.CERTIFICATE,
  };
  return {
    vaultName: kv.name,
    tenantId: kv.tenantId,
    clientId: kv.clientId,
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
