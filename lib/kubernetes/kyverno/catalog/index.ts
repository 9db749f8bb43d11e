import type { PodPolicyDefinition } from '../model';
import { PodSecurityLevel } from '../../capsule/tenant-options';
import { BEST_PRACTICES, CONVENTIONS } from './best-practices';
import { POD_SECURITY_BASELINE } from './pod-security-baseline';
import { POD_SECURITY_RESTRICTED } from './pod-security-restricted';

export { APP_TIERS, BEST_PRACTICES, CONVENTIONS } from './best-practices';
export { BASELINE_CAPABILITIES, POD_SECURITY_BASELINE, SAFE_SYSCTLS } from './pod-security-baseline';
export { POD_SECURITY_RESTRICTED, RESTRICTED_VOLUME_TYPES } from './pod-security-restricted';

/** Every pod control of the catalog, in documentation order. */
export const POD_POLICY_CATALOG: readonly PodPolicyDefinition[] = [
  ...POD_SECURITY_BASELINE,
  ...POD_SECURITY_RESTRICTED,
  ...CONVENTIONS,
  ...BEST_PRACTICES,
];

/** The pod controls for a Pod Security level: its profile, the conventions and the best practices. */
export function podPoliciesFor(level: PodSecurityLevel): PodPolicyDefinition[] {
  const restricted = level === PodSecurityLevel.RESTRICTED ? POD_SECURITY_RESTRICTED : [];
  return [...POD_SECURITY_BASELINE, ...restricted, ...CONVENTIONS, ...BEST_PRACTICES];
}

/** The catalog entry named `name`, if any. */
export function findPodPolicy(name: string): PodPolicyDefinition | undefined {
  return POD_POLICY_CATALOG.find((d) => d.name === name);
}
