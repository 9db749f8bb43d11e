import { z } from 'zod';
import type { PlatformIssue } from '../errors';
import { rotationPoolName } from '../formats';
import type { PlatformSpec } from '../types';
import { checkClusterOperations, clusterOperationsFields } from './cluster-operations';
import { ipv4Cidr, labels, positiveInt } from './common';

const vmSize = z
  .string()
  .refine((v) => /^Standard_[A-Za-z0-9_]+$/.test(v), 'must be an Azure VM size (e.g. Standard_D4ds_v5)');

const zones = z
  .array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal('1'), z.literal('2'), z.literal('3')]))
  .min(1, 'must list at least one zone')
  .transform((zs) => zs.map(String))
  .refine((zs) => new Set(zs).size === zs.length, 'lists the same zone twice')
  .describe('Availability zones of the pool.');

const poolFields = {
  vmSize: vmSize
    .default('Standard_D4ds_v5')
    .describe('VM size; must support ephemeral OS disks and host encryption.'),
  minCount: positiveInt.max(1000).default(3).describe('Autoscaler minimum node count.'),
  maxCount: positiveInt.max(1000).default(5).describe('Autoscaler maximum node count.'),
  maxPods: z
    .number()
    .int()
    .min(50, 'must be at least 50')
    .max(250, 'must be at most 250')
    .default(110)
    .describe('Pods per node.'),
  zones: zones.default(['1', '2', '3']),
  osDiskType: z
    .enum(['Ephemeral', 'Managed'])
    .default('Ephemeral')
    .describe('OS disks on the VM local storage (Ephemeral: faster, nothing persists) or managed disks.'),
  hostEncryption: z
    .boolean()
    .default(true)
    .describe(
      'Encryption at host; needs the Microsoft.Compute/EncryptionAtHost feature registered on the subscription.',
    ),
};

function countsInOrder(pool: { minCount: number; maxCount: number }, ctx: z.RefinementCtx): void {
  if (pool.minCount > pool.maxCount) {
    ctx.addIssue({
      code: 'custom',
      path: ['minCount'],
      message: `is greater than maxCount (${pool.maxCount})`,
    });
  }
}

export const systemPoolSchema = z.strictObject(poolFields).superRefine(countsInOrder);

const taint = z
  .string()
  .refine(
    (v) => /^[A-Za-z0-9./_-]+=[A-Za-z0-9._-]*:(NoSchedule|PreferNoSchedule|NoExecute)$/.test(v),
    'must be a taint key=value:NoSchedule|PreferNoSchedule|NoExecute',
  );

export const userPoolSchema = z
  .strictObject({
    name: z
      .string()
      .refine(
        (v) => /^[a-z][a-z0-9]{0,11}$/.test(v),
        'must be a node pool name: lowercase letters and digits, starting with a letter, at most 12 characters',
      ),
    ...poolFields,
    labels: labels.default({}).describe('Kubernetes labels on the nodes.'),
    taints: z.array(taint).default([]).describe('Node taints.'),
  })
  .superRefine(countsInOrder);

export const apiServerSchema = z
  .strictObject({
    authorizedIpRanges: z
      .array(ipv4Cidr)
      .optional()
      .describe('IPv4 ranges allowed to reach the public API server.'),
    private: z
      .boolean()
      .optional()
      .describe('A private API server, reachable only from the virtual network.'),
  })
  .superRefine((a, ctx) => {
    const ranges = a.authorizedIpRanges;
    if (a.private === true && ranges !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'sets both private: true and authorizedIpRanges: choose one' });
    } else if (a.private !== true && (ranges === undefined || ranges.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'needs authorizedIpRanges (at least one range) or private: true; an API server open to the internet is not allowed',
      });
    }
    ranges?.forEach((r, i) => {
      if (r.endsWith('/0')) {
        ctx.addIssue({
          code: 'custom',
          path: ['authorizedIpRanges', i],
          message: 'opens the API server to the whole internet',
        });
      }
    });
    if (ranges && new Set(ranges).size !== ranges.length) {
      ctx.addIssue({ code: 'custom', path: ['authorizedIpRanges'], message: 'lists the same range twice' });
    }
  });

export const clusterSchema = z.strictObject({
  kubernetesVersion: z
    .string()
    .refine((v) => /^\d+\.\d+(\.\d+)?$/.test(v), 'must be a Kubernetes version like 1.33 or 1.33.2')
    .optional()
    .describe('Kubernetes version; the AKS default when absent. Patch upgrades follow upgrade.channel.'),
  skuTier: z
    .enum(['Free', 'Standard', 'Premium'])
    .default('Standard')
    .describe('AKS pricing tier (Standard gives the uptime SLA).'),
  network: z
    .strictObject({
      plugin: z.enum(['azure']).default('azure').describe('Network plugin (Azure CNI).'),
      mode: z
        .enum(['overlay', 'vnet'])
        .default('overlay')
        .describe('Azure CNI overlay (pod IPs from a private range) or pod IPs from the VNet.'),
      policy: z
        .enum(['calico', 'cilium', 'azure'])
        .default('calico')
        .describe('Network policy engine; cilium also selects the Cilium data plane.'),
    })
    .prefault({}),
  apiServer: apiServerSchema,
  upgrade: z
    .strictObject({
      channel: z
        .enum(['patch', 'rapid', 'stable', 'node-image', 'none'])
        .default('patch')
        .describe('automatic_upgrade_channel.'),
      nodeOs: z
        .enum(['NodeImage', 'SecurityPatch', 'Unmanaged', 'None'])
        .default('NodeImage')
        .describe('node_os_upgrade_channel.'),
    })
    .prefault({}),
  systemPool: systemPoolSchema.prefault({}).describe('The system node pool (critical add-ons only).'),
  userPools: z
    .array(userPoolSchema)
    .default([])
    .describe('User node pools for tenant workloads, with the same hardening as the system pool.'),
  logRetentionDays: z
    .number()
    .int()
    .min(30, 'must be at least 30')
    .max(730, 'must be at most 730')
    .default(30)
    .describe('Retention of the Log Analytics workspace used by Container Insights.'),
  ...clusterOperationsFields,
});

/** Checks of this section that need the whole platform (called after parsing, with the others). */
export function checkCluster(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const c = spec.cluster;
  if (c.userPools.length === 0) {
    issues.push({
      path: 'cluster.userPools',
      message:
        'needs at least one user pool: the system pool only runs critical add-ons, so Kyverno, Capsule and tenant workloads would stay Pending',
    });
  }
  const version = c.kubernetesVersion;
  if (version !== undefined && /^\d+\.\d+\.\d+$/.test(version) && c.upgrade.channel !== 'none') {
    issues.push({
      path: 'cluster.kubernetesVersion',
      message: `"${version}" pins a patch version while upgrade.channel is "${c.upgrade.channel}": AKS upgrades it and every plan would try to go back; write only major.minor (e.g. "${version.replace(/\.\d+$/, '')}")`,
    });
  }
  if (c.upgrade.channel === 'node-image' && c.upgrade.nodeOs !== 'NodeImage') {
    issues.push({
      path: 'cluster.upgrade.nodeOs',
      message: `"${c.upgrade.nodeOs}" cannot be combined with upgrade.channel "node-image" (AKS requires NodeImage)`,
    });
  }
  // AKS renames a pool while it rotates it: those names must not collide with each other or a pool.
  const pools = ['system', ...c.userPools.map((p) => p.name)];
  c.userPools.forEach((p, i) => {
    const rotation = rotationPoolName(p.name);
    const clash = pools.find(
      (other) => other !== p.name && (other === rotation || rotationPoolName(other) === rotation),
    );
    if (clash !== undefined) {
      issues.push({
        path: `cluster.userPools[${i}].name`,
        message: `"${p.name}" would rotate as "${rotation}", which collides with pool "${clash}": make the first 9 characters of pool names differ`,
      });
    }
  });
  if (c.network.policy === 'cilium' && c.network.mode !== 'overlay') {
    issues.push({
      path: 'cluster.network.mode',
      message: `"${c.network.mode}" cannot be combined with policy "cilium": the Cilium data plane needs overlay here (no pod subnet is configured)`,
    });
  }
  issues.push(...checkClusterOperations(spec));
  return issues;
}
