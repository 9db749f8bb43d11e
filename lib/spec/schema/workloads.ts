import { z } from 'zod';
import type { PlatformIssue } from '../errors';
import type { PlatformSpec } from './platform';
import { imageNotPinnedReason } from '../formats';
import { dns1035Label, dnsLabel, labels, quantity } from './common';

export const workloadSchema = z.strictObject({
  name: dns1035Label(50).describe('Workload name (Deployment, Service, ServiceAccount...).'),
  tenant: dnsLabel(40).describe('Name of the tenant that owns the namespace.'),
  namespace: dnsLabel().describe('Namespace; must start with "<tenant>-" when forceTenantPrefix is on.'),
  image: z
    .string()
    .superRefine((v, ctx) => {
      const reason = imageNotPinnedReason(v);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    })
    .describe('Container image, pinned by a version tag or a digest.'),
  port: z.number().int().min(1).max(65535).describe('Container port served.'),
  replicas: z.number().int().min(1).max(100).default(2).describe('Replicas.'),
  labels: labels.default({}).describe('Extra pod labels.'),
  resources: z
    .strictObject({
      requests: z
        .strictObject({ cpu: quantity.default('100m'), memory: quantity.default('128Mi') })
        .prefault({}),
      limits: z.strictObject({ memory: quantity.default('256Mi'), cpu: quantity.optional() }).prefault({}),
    })
    .prefault({})
    .describe('Container requests and limits.'),
});

/** Checks of this section that need the whole platform (called after parsing, with the others). */
export function checkWorkloads(_spec: PlatformSpec): PlatformIssue[] {
  return [];
}
