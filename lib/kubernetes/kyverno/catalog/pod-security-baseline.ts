import type { CelMatchCondition, PodPolicyDefinition } from '../model';
import { PolicyCategory, PolicySeverity } from '../model';
import { PodSecurityLevel, PodSecurityVersion } from '../../pod-security';
import { ALL_CONTAINERS, everyContainer, hasPath, isSetTo, str, strList, unsetOrIn } from '../private/cel';

const POD = 'object.spec.securityContext';

/** Capabilities the baseline profile lets a container add (Kubernetes Pod Security Standards). */
export const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

/**
 * Sysctls the baseline profile considers namespaced and safe, by the Kubernetes minor that
 * allowed them (the catalog starts at 1.31: the earlier additions are folded into the first set).
 */
const SAFE_SYSCTLS_SINCE: ReadonlyArray<readonly [number, readonly string[]]> = [
  [
    31,
    [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.ip_unprivileged_port_start',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_local_reserved_ports',
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  ],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

/** The sysctls the baseline profile allows at `version`. */
export function safeSysctls(version: PodSecurityVersion = PodSecurityVersion.LATEST): string[] {
  return SAFE_SYSCTLS_SINCE.filter(([since]) => version.isAtLeast(since)).flatMap(([, names]) => names);
}

/** The first Kubernetes minor that refuses probe and lifecycle hosts (KEP-4940). */
export const PROBE_HOST_SINCE = 34;

/** The first Kubernetes minor that relaxes some controls for pods in a user namespace (`hostUsers: false`). */
export const USER_NAMESPACE_RELAXATION_SINCE = 35;

/** Applies the policy only to pods that share the host's user namespace (`hostUsers` unset or true). */
export const NOT_A_USER_NAMESPACE_POD: CelMatchCondition = {
  name: 'not-a-user-namespace-pod',
  expression: `!${isSetTo('object.spec.hostUsers', 'false')}`,
};

/** Applies the policy only to pods that are not Windows pods (`spec.os.name`; the kubelet enforces it). */
export const NOT_A_WINDOWS_POD: CelMatchCondition = {
  name: 'not-a-windows-pod',
  expression: `!${isSetTo('object.spec.os.name', "'windows'")}`,
};

/** Probes of a container that the kubelet runs, and may aim at another host. */
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** Lifecycle hooks of a container that the kubelet runs, and may aim at another host. */
const LIFECYCLE_HOOKS = ['lifecycle.postStart', 'lifecycle.preStop'];

/**
 * True when no handler of the container `c` (`handlers`, relative to `c`) sets `httpGet.host` or
 * `tcpSocket.host` to anything but "" (Kubernetes v1.34, KEP-4940).
 */
function noHandlerHost(handlers: readonly string[]): string {
  return handlers
    .flatMap((h) => ['httpGet', 'tcpSocket'].map((action) => unsetOrIn(`c.${h}.${action}.host`, [str('')])))
    .join(' && ');
}

/** SELinux types the baseline profile allows (container_engine_t since 1.31, the catalog's oldest minor). */
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

/** SELinux options of a security context (`at`) that the baseline profile allows. */
function seLinuxAllowed(at: string): string {
  const o = `${at}.seLinuxOptions`;
  return (
    `(!(${hasPath(o)}) || (${unsetOrIn(`${o}.type`, strList(SELINUX_TYPES))} && ` +
    `${unsetOrIn(`${o}.user`, [str('')])} && ${unsetOrIn(`${o}.role`, [str('')])}))`
  );
}

const baseline = (
  name: string,
  title: string,
  description: string,
  severity: PolicySeverity,
  validations: PodPolicyDefinition['validations'],
  matchConditions: CelMatchCondition[] = [],
): PodPolicyDefinition => ({
  name,
  title,
  description,
  category: PolicyCategory.POD_SECURITY_BASELINE,
  severity,
  variables: [ALL_CONTAINERS],
  validations,
  ...(matchConditions.length > 0 ? { matchConditions } : {}),
});

/**
 * The controls of the Pod Security Standards baseline profile, one policy each, as Kubernetes
 * defines them at `version` (11 controls, 12 from 1.34). At the restricted `level`, the baseline
 * checks that a restricted check replaces in Pod Security Admission (capabilities, seccomp) leave
 * Windows pods alone as the restricted ones do.
 */
export function podSecurityBaseline(
  level: PodSecurityLevel = PodSecurityLevel.BASELINE,
  version: PodSecurityVersion = PodSecurityVersion.LATEST,
): PodPolicyDefinition[] {
  const restricted = level === PodSecurityLevel.RESTRICTED;
  const overriddenForWindows = restricted ? [NOT_A_WINDOWS_POD] : [];
  const sysctls = safeSysctls(version);
  const controls: PodPolicyDefinition[] = [
    baseline(
      'disallow-host-process',
      'Disallow HostProcess',
      'Windows HostProcess pods run with host access: windowsOptions.hostProcess must be unset or false.',
      PolicySeverity.HIGH,
      [
        {
          expression: `!${isSetTo(`${POD}.windowsOptions.hostProcess`, 'true')}`,
          message: 'The pod must not set securityContext.windowsOptions.hostProcess to true.',
        },
        everyContainer(
          `!${isSetTo('c.securityContext.windowsOptions.hostProcess', 'true')}`,
          'Containers must not set securityContext.windowsOptions.hostProcess to true.',
        ),
      ],
    ),
    baseline(
      'disallow-host-namespaces',
      'Disallow Host Namespaces',
      "Sharing the host's network, PID or IPC namespace is forbidden: hostNetwork, hostPID and hostIPC must be unset or false.",
      PolicySeverity.HIGH,
      ['hostNetwork', 'hostPID', 'hostIPC'].map((field) => ({
        expression: `!${isSetTo(`object.spec.${field}`, 'true')}`,
        message: `The pod must not set spec.${field} to true.`,
      })),
    ),
    baseline(
      'disallow-privileged-containers',
      'Disallow Privileged Containers',
      'Privileged containers disable most isolation: securityContext.privileged must be unset or false.',
      PolicySeverity.HIGH,
      [
        everyContainer(
          `!${isSetTo('c.securityContext.privileged', 'true')}`,
          'Containers must not set securityContext.privileged to true.',
        ),
      ],
    ),
    baseline(
      'disallow-capabilities',
      'Disallow Capabilities',
      'Containers may add only the capabilities of the baseline list (AUDIT_WRITE, CHOWN, NET_BIND_SERVICE...).',
      PolicySeverity.MEDIUM,
      [
        everyContainer(
          `!(${hasPath('c.securityContext.capabilities.add')}) || ` +
            `c.securityContext.capabilities.add.all(a, a in [${strList(BASELINE_CAPABILITIES).join(', ')}])`,
          `Containers may only add the capabilities ${BASELINE_CAPABILITIES.join(', ')}.`,
        ),
      ],
      overriddenForWindows,
    ),
    baseline(
      'disallow-host-path',
      'Disallow hostPath Volumes',
      'hostPath volumes expose the node file system: no volume may use hostPath.',
      PolicySeverity.HIGH,
      [
        {
          expression: '!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath))',
          message: 'The pod must not use hostPath volumes.',
          messageExpression:
            "'The pod must not use hostPath volumes. Volumes: ' + object.spec.volumes.filter(v, has(v.hostPath)).map(v, v.name).join(', ')",
        },
      ],
    ),
    baseline(
      'disallow-host-ports',
      'Disallow Host Ports',
      'Host ports bind the node network and bypass network policies: hostPort must be unset or 0.',
      PolicySeverity.MEDIUM,
      [
        everyContainer(
          '!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)',
          'Containers must not set ports[].hostPort.',
        ),
      ],
    ),
    baseline(
      'restrict-apparmor-profiles',
      'Restrict AppArmor',
      'AppArmor may only be RuntimeDefault or a Localhost profile; it must not be turned off (Unconfined).',
      PolicySeverity.MEDIUM,
      [
        {
          expression: unsetOrIn(`${POD}.appArmorProfile.type`, strList(['RuntimeDefault', 'Localhost'])),
          message: 'The pod AppArmor profile must be RuntimeDefault or Localhost.',
        },
        everyContainer(
          unsetOrIn('c.securityContext.appArmorProfile.type', strList(['RuntimeDefault', 'Localhost'])),
          'The container AppArmor profile must be RuntimeDefault or Localhost.',
        ),
        {
          // An empty value means the default profile, as Pod Security Admission reads it.
          expression:
            "!has(object.metadata.annotations) || object.metadata.annotations.all(k, !k.startsWith('container.apparmor.security.beta.kubernetes.io/') || " +
            "object.metadata.annotations[k] in ['', 'runtime/default'] || object.metadata.annotations[k].startsWith('localhost/'))",
          message: 'AppArmor annotations must be empty, runtime/default or localhost/<profile>.',
        },
      ],
    ),
    baseline(
      'disallow-selinux',
      'Disallow SELinux Options',
      'SELinux type may only be a container type (container_t...); user and role must not be set.',
      PolicySeverity.MEDIUM,
      [
        {
          expression: seLinuxAllowed(POD),
          message: 'The pod seLinuxOptions may only set a container type, never user or role.',
        },
        everyContainer(
          seLinuxAllowed('c.securityContext'),
          'Container seLinuxOptions may only set a container type, never user or role.',
        ),
      ],
    ),
    baseline(
      'disallow-proc-mount',
      'Disallow procMount',
      'The default /proc mask must stay: procMount must be unset or Default.',
      PolicySeverity.MEDIUM,
      [
        everyContainer(
          unsetOrIn('c.securityContext.procMount', [str('Default')]),
          'Containers must not set securityContext.procMount other than Default.',
        ),
      ],
      // From 1.35 baseline lets a pod in its own user namespace unmask /proc; restricted does not.
      !restricted && version.isAtLeast(USER_NAMESPACE_RELAXATION_SINCE) ? [NOT_A_USER_NAMESPACE_POD] : [],
    ),
    baseline(
      'restrict-seccomp',
      'Restrict Seccomp',
      'Seccomp must not be turned off: a profile, when set, is RuntimeDefault or Localhost.',
      PolicySeverity.MEDIUM,
      [
        {
          expression: unsetOrIn(`${POD}.seccompProfile.type`, strList(['RuntimeDefault', 'Localhost'])),
          message: 'The pod seccomp profile must be RuntimeDefault or Localhost.',
        },
        everyContainer(
          unsetOrIn('c.securityContext.seccompProfile.type', strList(['RuntimeDefault', 'Localhost'])),
          'The container seccomp profile must be RuntimeDefault or Localhost.',
        ),
      ],
      overriddenForWindows,
    ),
    baseline(
      'restrict-sysctls',
      'Restrict sysctls',
      'Only the namespaced, safe sysctls may be set (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range...).',
      PolicySeverity.MEDIUM,
      [
        {
          expression:
            `!(${hasPath(`${POD}.sysctls`)}) || ` +
            `${POD}.sysctls.all(s, s.name in [${strList(sysctls).join(', ')}])`,
          message: `The pod may only set the sysctls ${sysctls.join(', ')}.`,
        },
      ],
    ),
  ];
  if (version.isAtLeast(PROBE_HOST_SINCE)) {
    controls.push(
      baseline(
        'disallow-probe-host',
        'Disallow Host Probes and Lifecycle Hooks',
        'Probes and lifecycle hooks must not make the kubelet connect to another host: httpGet.host and tcpSocket.host must be unset or empty.',
        PolicySeverity.MEDIUM,
        [
          everyContainer(
            noHandlerHost(PROBES),
            'Container probes (liveness, readiness, startup) must not set httpGet.host or tcpSocket.host.',
          ),
          everyContainer(
            noHandlerHost(LIFECYCLE_HOOKS),
            'Container lifecycle hooks (postStart, preStop) must not set httpGet.host or tcpSocket.host.',
          ),
        ],
      ),
    );
  }
  return controls;
}
