import type { PodPolicyDefinition } from '../model';
import { PodSecurityLevel, PodSecurityVersion } from '../../pod-security';
import { BEST_PRACTICES, CONVENTIONS } from './best-practices';
import { podSecurityBaseline } from './pod-security-baseline';
import { podSecurityRestricted } from './pod-security-restricted';
import { imageRegistriesPolicy, RESTRICT_SERVICE_EXTERNAL_IPS } from './shared-cluster';

export { APP_TIERS, BEST_PRACTICES, CONVENTIONS } from './best-practices';
export {
  BASELINE_CAPABILITIES,
  PROBE_HOST_SINCE,
  podSecurityBaseline,
  safeSysctls,
  USER_NAMESPACE_RELAXATION_SINCE,
} from './pod-security-baseline';
export { IMAGE_VOLUMES_SINCE, podSecurityRestricted, restrictedVolumeTypes } from './pod-security-restricted';
export {
  WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION,
  WORKLOAD_IDENTITY_POLICY_NAME,
  workloadIdentityPolicy,
} from './workload-identity';
export type { WorkloadIdentityGrant } from './workload-identity';
export {
  IMAGE_REGISTRIES_POLICY_NAME,
  imageRegistriesPolicy,
  RESTRICT_SERVICE_EXTERNAL_IPS,
} from './shared-cluster';

/**
 * The Pod Security controls of `level` at `version`: the baseline ones, then for restricted the
 * restricted ones.
 */
export function podSecurityPolicies(
  level: PodSecurityLevel,
  version: PodSecurityVersion = PodSecurityVersion.LATEST,
): PodPolicyDefinition[] {
  return [
    ...podSecurityBaseline(level, version),
    ...(level === PodSecurityLevel.RESTRICTED ? podSecurityRestricted(version) : []),
  ];
}

/**
 * The controls a catalog emits for a Pod Security level and version, in documentation order:
 * Pod Security, the conventions, the best practices, the registry restriction when `registries`
 * lists any, and the Service control.
 */
export function podPoliciesFor(
  level: PodSecurityLevel,
  version: PodSecurityVersion = PodSecurityVersion.LATEST,
  registries: readonly string[] = [],
): PodPolicyDefinition[] {
  return [
    ...podSecurityPolicies(level, version),
    ...CONVENTIONS,
    ...BEST_PRACTICES,
    ...(registries.length > 0 ? [imageRegistriesPolicy(registries)] : []),
    RESTRICT_SERVICE_EXTERNAL_IPS,
  ];
}

/** Every control of the catalog (restricted, newest version), in documentation order. */
export const POD_POLICY_CATALOG: readonly PodPolicyDefinition[] = podPoliciesFor(PodSecurityLevel.RESTRICTED);

/** The catalog entry named `name` (restricted, newest version), if any. */
export function findPodPolicy(name: string): PodPolicyDefinition | undefined {
  return POD_POLICY_CATALOG.find((d) => d.name === name);
}
