import type { CelMatchCondition, PodPolicyDefinition } from '../model';
import { PolicyCategory, PolicySeverity } from '../model';
import { PodSecurityVersion } from '../../pod-security';
import { ALL_CONTAINERS, everyContainer, hasPath, isSetTo, strList, unsetOrIn } from '../private/cel';
import {
  NOT_A_USER_NAMESPACE_POD,
  NOT_A_WINDOWS_POD,
  USER_NAMESPACE_RELAXATION_SINCE,
} from './pod-security-baseline';

const POD = 'object.spec.securityContext';

/** Volume sources the restricted profile allows at every minor of the catalog. */
const RESTRICTED_VOLUME_TYPES_BASE = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** The first Kubernetes minor whose API server lets restricted pods mount `image` volumes. */
export const IMAGE_VOLUMES_SINCE = 33;

/** The volume sources the restricted profile allows at `version`. */
export function restrictedVolumeTypes(version: PodSecurityVersion = PodSecurityVersion.LATEST): string[] {
  const types = [...RESTRICTED_VOLUME_TYPES_BASE];
  if (version.isAtLeast(IMAGE_VOLUMES_SINCE)) types.push('image');
  return types.sort();
}

const SECCOMP_STRICT = strList(['RuntimeDefault', 'Localhost']);

const restricted = (
  name: string,
  title: string,
  description: string,
  validations: PodPolicyDefinition['validations'],
  matchConditions: CelMatchCondition[] = [],
): PodPolicyDefinition => ({
  name,
  title,
  description,
  category: PolicyCategory.POD_SECURITY_RESTRICTED,
  severity: PolicySeverity.MEDIUM,
  variables: [ALL_CONTAINERS],
  validations,
  ...(matchConditions.length > 0 ? { matchConditions } : {}),
});

/**
 * The 6 controls the Pod Security Standards restricted profile adds to baseline, one policy each,
 * as Kubernetes defines them at `version`: Windows pods are exempt from the privilege escalation,
 * seccomp and capabilities checks (since 1.25), pods in their own user namespace from the
 * non-root checks (since 1.35).
 */
export function podSecurityRestricted(
  version: PodSecurityVersion = PodSecurityVersion.LATEST,
): PodPolicyDefinition[] {
  const volumeTypes = restrictedVolumeTypes(version);
  const userNamespaceRelaxed = version.isAtLeast(USER_NAMESPACE_RELAXATION_SINCE)
    ? [NOT_A_USER_NAMESPACE_POD]
    : [];
  return [
    restricted(
      'restrict-volume-types',
      'Restrict Volume Types',
      `Volumes may only be ${volumeTypes.join(', ')}.`,
      [
        {
          expression:
            '!has(object.spec.volumes) || object.spec.volumes.all(v, ' +
            volumeTypes.map((t) => `has(v.${t})`).join(' || ') +
            ')',
          message: `Volumes may only be of the types ${volumeTypes.join(', ')}.`,
        },
      ],
    ),
    restricted(
      'disallow-privilege-escalation',
      'Disallow Privilege Escalation',
      'Every container must set securityContext.allowPrivilegeEscalation to false.',
      [
        everyContainer(
          isSetTo('c.securityContext.allowPrivilegeEscalation', 'false'),
          'Containers must set securityContext.allowPrivilegeEscalation to false.',
        ),
      ],
      [NOT_A_WINDOWS_POD],
    ),
    restricted(
      'require-run-as-nonroot',
      'Require runAsNonRoot',
      'Containers must run as non-root: runAsNonRoot true on the pod or on every container, never false.',
      [
        {
          expression: `!(${hasPath(`${POD}.runAsNonRoot`)}) || ${POD}.runAsNonRoot == true`,
          message: 'The pod must not set securityContext.runAsNonRoot to false.',
        },
        everyContainer(
          `${hasPath('c.securityContext.runAsNonRoot')} ? c.securityContext.runAsNonRoot == true : ` +
            isSetTo(`${POD}.runAsNonRoot`, 'true'),
          'Containers must run with securityContext.runAsNonRoot true (set on the pod or on each container).',
        ),
      ],
      userNamespaceRelaxed,
    ),
    restricted(
      'require-run-as-non-root-user',
      'Require Non-root User',
      'runAsUser must not be 0 (root), on the pod or on any container.',
      [
        {
          expression: `!(${hasPath(`${POD}.runAsUser`)}) || ${POD}.runAsUser != 0`,
          message: 'The pod must not set securityContext.runAsUser to 0.',
        },
        everyContainer(
          '!(' + hasPath('c.securityContext.runAsUser') + ') || c.securityContext.runAsUser != 0',
          'Containers must not set securityContext.runAsUser to 0.',
        ),
      ],
      userNamespaceRelaxed,
    ),
    restricted(
      'restrict-seccomp-strict',
      'Restrict Seccomp (Strict)',
      'A seccomp profile, RuntimeDefault or Localhost, must be set on the pod or on every container.',
      [
        {
          expression: unsetOrIn(`${POD}.seccompProfile.type`, SECCOMP_STRICT),
          message: 'The pod seccomp profile must be RuntimeDefault or Localhost.',
        },
        everyContainer(
          `${hasPath('c.securityContext.seccompProfile.type')} ? ` +
            `c.securityContext.seccompProfile.type in [${SECCOMP_STRICT.join(', ')}] : ` +
            `(${hasPath(`${POD}.seccompProfile.type`)} && ${POD}.seccompProfile.type in [${SECCOMP_STRICT.join(', ')}])`,
          'Containers must run with seccomp profile RuntimeDefault or Localhost (set on the pod or on each container).',
        ),
      ],
      [NOT_A_WINDOWS_POD],
    ),
    restricted(
      'disallow-capabilities-strict',
      'Disallow Capabilities (Strict)',
      'Every container must drop ALL capabilities and may add back only NET_BIND_SERVICE.',
      [
        everyContainer(
          `${hasPath('c.securityContext.capabilities.drop')} && c.securityContext.capabilities.drop.exists(d, d == 'ALL')`,
          'Containers must drop ALL capabilities.',
        ),
        everyContainer(
          `!(${hasPath('c.securityContext.capabilities.add')}) || c.securityContext.capabilities.add.all(a, a == 'NET_BIND_SERVICE')`,
          'Containers may only add the capability NET_BIND_SERVICE.',
        ),
      ],
      [NOT_A_WINDOWS_POD],
    ),
  ];
}
