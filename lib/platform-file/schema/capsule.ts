import { z } from 'zod';
import { dnsLabel, groupKey, terraformText } from './common';
import { describeValue, type PlatformIssue } from '../errors';
import { isPrivateIpv4 } from '../formats';
import type { PlatformSpec } from '../types';

export const capsuleSchema = z.strictObject({
  users: groupKey.describe('Group key of the Capsule users group; tenant owner groups are nested into it.'),
  forceTenantPrefix: z.boolean().default(true).describe('Tenant namespaces must be named <tenant>-<name>.'),
  namespace: dnsLabel()
    .default('capsule-system')
    .describe('Namespace of the Capsule and capsule-proxy releases.'),
  replicas: z
    .number()
    .int()
    .min(2, 'must be at least 2: Capsule webhooks fail closed, one pod is a single point of failure')
    .max(10)
    .default(2)
    .describe('Capsule controller replicas (leader election and a PodDisruptionBudget are added).'),
  administrators: z
    .array(
      z.strictObject({
        kind: z.enum(['User', 'Group', 'ServiceAccount']),
        name: terraformText(z.string().min(1, 'must not be empty')).describe(
          'User name; for Group a group key; for ServiceAccount "<namespace>:<name>".',
        ),
      }),
    )
    .default([])
    .describe(
      'Capsule administrators: the identity that applies the platform tenant namespaces (e.g. a GitOps controller). Admin groups are ignored by Capsule and cannot be administrators.',
    ),
  proxy: z
    .strictObject({
      dnsLabel: z
        .string()
        .refine(
          (v) => /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/.test(v),
          "must be an Azure DNS label: 3 to 63 lowercase letters, digits and '-', starting with a letter",
        )
        .optional()
        .describe(
          'Azure DNS label of the proxy: <label>.<location>.cloudapp.azure.com. Default: <name>-capsule-proxy.',
        ),
      replicas: z
        .number()
        .int()
        .min(1)
        .max(10)
        .default(2)
        .describe('capsule-proxy replicas (leader election when > 1).'),
      internalIp: z
        .string()
        .refine(
          isPrivateIpv4,
          'must be a private IPv4 address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), e.g. 10.224.0.250',
        )
        .optional()
        .describe(
          "Private cluster only, and required there when tenants exist: the fixed address of the proxy's internal load balancer, an unused address of the node subnet (AKS-managed network: 10.224.0.0/16). It is in the proxy's certificate and the owners' kubeconfigs.",
        ),
    })
    .prefault({}),
  guardrails: z
    .strictObject({
      action: z
        .enum(['Deny', 'Audit'])
        .default('Deny')
        .describe(
          'What the API server does when anyone but the platform writes a NetworkPolicy in a tenant namespace or weakens its Pod Security labels.',
        ),
      exemptServiceAccountNamespaces: z
        .array(dnsLabel())
        .default([])
        .describe(
          'Namespaces whose service accounts (GitOps controllers) are exempt, besides kube-system, Capsule and Kyverno.',
        ),
    })
    .prefault({})
    .describe('Admission policies that keep tenant owners from loosening their isolation.'),
});

/** Checks of this section that need the whole platform (called after parsing, with the others). */
export function checkCapsule(spec: PlatformSpec): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const internalIp = spec.capsule.proxy.internalIp;
  const isPrivate = spec.cluster.apiServer.private === true;
  if (internalIp !== undefined && !isPrivate) {
    issues.push({
      path: 'capsule.proxy.internalIp',
      message: `${describeValue(internalIp)} is for a private cluster (cluster.apiServer.private: true); a public proxy is reached by its DNS name`,
    });
  }
  if (internalIp === undefined && isPrivate && spec.tenants.length > 0) {
    issues.push({
      path: 'capsule.proxy.internalIp',
      message:
        "is required for a private cluster with tenants: an unused address of the node subnet (AKS-managed network: 10.224.0.0/16), so that the proxy's certificate and the owners' kubeconfigs can name it",
    });
  }
  return issues;
}
