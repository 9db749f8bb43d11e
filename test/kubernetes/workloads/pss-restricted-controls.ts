/**
 * The Pod Security Standards "restricted" profile: the 11 baseline controls and the 6 restricted
 * ones, checked on a pod spec the way Pod Security Admission reads it.
 */

/** Names of the 17 controls, in the order of the Kubernetes documentation. */
export const PSS_CONTROLS = [
  'HostProcess',
  'Host Namespaces',
  'Privileged Containers',
  'Capabilities (baseline)',
  'HostPath Volumes',
  'Host Ports',
  'AppArmor',
  'SELinux',
  '/proc Mount Type',
  'Seccomp (baseline)',
  'Sysctls',
  'Volume Types',
  'Privilege Escalation',
  'Running as Non-root',
  'Running as Non-root user',
  'Seccomp (restricted)',
  'Capabilities (restricted)',
] as const;

export type PssControl = (typeof PSS_CONTROLS)[number];

export interface PssViolation {
  readonly control: PssControl;
  readonly detail: string;
}

const BASELINE_CAPABILITIES = new Set([
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
]);
const SAFE_SYSCTLS = new Set([
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
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);
const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/**
 * Every violation of PSS restricted in one pod (metadata for the AppArmor annotations, spec).
 */
export function pssRestrictedViolations(metadata: any, spec: any): PssViolation[] {
  const out: PssViolation[] = [];
  const add = (control: PssControl, detail: string) => out.push({ control, detail });
  const containers: any[] = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  const podSc = spec.securityContext ?? {};
  const name = (c: any) => `container ${c.name}`;

  // 1. HostProcess
  if (podSc.windowsOptions?.hostProcess === true) add('HostProcess', 'pod windowsOptions.hostProcess');
  for (const c of containers) {
    if (c.securityContext?.windowsOptions?.hostProcess === true) add('HostProcess', name(c));
  }
  // 2. Host namespaces
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k] === true) add('Host Namespaces', k);
  // 3. Privileged
  for (const c of containers)
    if (c.securityContext?.privileged === true) add('Privileged Containers', name(c));
  // 4. Capabilities (baseline)
  for (const c of containers) {
    for (const cap of c.securityContext?.capabilities?.add ?? []) {
      if (!BASELINE_CAPABILITIES.has(cap)) add('Capabilities (baseline)', `${name(c)} adds ${cap}`);
    }
  }
  // 5. HostPath volumes; 12. Volume types
  for (const v of spec.volumes ?? []) {
    if (v.hostPath !== undefined) add('HostPath Volumes', `volume ${v.name}`);
    const types = Object.keys(v).filter((k) => k !== 'name');
    if (types.length !== 1 || !RESTRICTED_VOLUME_TYPES.has(types[0])) {
      add('Volume Types', `volume ${v.name} is ${types.join('+') || 'of no type'}`);
    }
  }
  // 6. Host ports
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.hostPort !== undefined && p.hostPort !== 0)
        add('Host Ports', `${name(c)} hostPort ${p.hostPort}`);
    }
  }
  // 7. AppArmor
  const appArmorOk = (p: any) => p === undefined || ['RuntimeDefault', 'Localhost'].includes(p.type);
  if (!appArmorOk(podSc.appArmorProfile)) add('AppArmor', 'pod appArmorProfile');
  for (const c of containers) if (!appArmorOk(c.securityContext?.appArmorProfile)) add('AppArmor', name(c));
  for (const [k, v] of Object.entries<string>(metadata?.annotations ?? {})) {
    if (
      k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      v !== 'runtime/default' &&
      !v.startsWith('localhost/')
    ) {
      add('AppArmor', `annotation ${k}`);
    }
  }
  // 8. SELinux
  const seLinuxOk = (o: any) =>
    o === undefined || (SELINUX_TYPES.has(o.type ?? '') && o.user === undefined && o.role === undefined);
  if (!seLinuxOk(podSc.seLinuxOptions)) add('SELinux', 'pod seLinuxOptions');
  for (const c of containers) if (!seLinuxOk(c.securityContext?.seLinuxOptions)) add('SELinux', name(c));
  // 9. /proc mount
  for (const c of containers) {
    const pm = c.securityContext?.procMount;
    if (pm !== undefined && pm !== 'Default') add('/proc Mount Type', name(c));
  }
  // 10. Seccomp (baseline)
  if (podSc.seccompProfile?.type === 'Unconfined') add('Seccomp (baseline)', 'pod Unconfined');
  for (const c of containers) {
    if (c.securityContext?.seccompProfile?.type === 'Unconfined') add('Seccomp (baseline)', name(c));
  }
  // 11. Sysctls
  for (const s of podSc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) add('Sysctls', s.name);
  // 13. Privilege escalation
  for (const c of containers) {
    if (c.securityContext?.allowPrivilegeEscalation !== false) add('Privilege Escalation', name(c));
  }
  // 14. Running as non-root
  for (const c of containers) {
    const own = c.securityContext?.runAsNonRoot;
    if (own === false || (own === undefined && podSc.runAsNonRoot !== true))
      add('Running as Non-root', name(c));
  }
  // 15. Running as non-root user
  if (podSc.runAsUser === 0) add('Running as Non-root user', 'pod runAsUser 0');
  for (const c of containers)
    if (c.securityContext?.runAsUser === 0) add('Running as Non-root user', name(c));
  // 16. Seccomp (restricted)
  const seccompOk = (p: any) => p !== undefined && ['RuntimeDefault', 'Localhost'].includes(p.type);
  for (const c of containers) {
    const own = c.securityContext?.seccompProfile;
    if (!(seccompOk(own) || (own === undefined && seccompOk(podSc.seccompProfile)))) {
      add('Seccomp (restricted)', name(c));
    }
  }
  // 17. Capabilities (restricted)
  for (const c of containers) {
    const caps = c.securityContext?.capabilities ?? {};
    if (!(caps.drop ?? []).includes('ALL')) add('Capabilities (restricted)', `${name(c)} does not drop ALL`);
    for (const cap of caps.add ?? []) {
      if (cap !== 'NET_BIND_SERVICE') add('Capabilities (restricted)', `${name(c)} adds ${cap}`);
    }
  }
  return out;
}

/**
 * The baseline control Kubernetes v1.34 added (KEP-4940, "Host Probes / Lifecycle Hooks"): no
 * probe or lifecycle hook of any container sets `httpGet.host` or `tcpSocket.host` (unset or ""
 * only). Kept apart from PSS_CONTROLS, which lists the controls of the earlier profile.
 */
export function hostProbeViolations(spec: any): string[] {
  const out: string[] = [];
  const containers: any[] = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  for (const c of containers) {
    const handlers: Array<[string, any]> = [
      ['livenessProbe', c.livenessProbe],
      ['readinessProbe', c.readinessProbe],
      ['startupProbe', c.startupProbe],
      ['lifecycle.postStart', c.lifecycle?.postStart],
      ['lifecycle.preStop', c.lifecycle?.preStop],
    ];
    for (const [where, handler] of handlers) {
      for (const action of ['httpGet', 'tcpSocket']) {
        const host = handler?.[action]?.host;
        if (host !== undefined && host !== '')
          out.push(`container ${c.name} ${where}.${action}.host ${host}`);
      }
    }
  }
  return out;
}

/** A pod template found in a synthesized object. */
export interface PodTemplate {
  readonly owner: string;
  readonly metadata: any;
  readonly spec: any;
}

/** Every pod (template) of the objects: Pods, workload controllers, Jobs and CronJobs. */
export function podTemplates(objects: any[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    const owner = `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    if (o.kind === 'Pod') out.push({ owner, metadata: o.metadata, spec: o.spec });
    else if (
      ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController'].includes(
        o.kind,
      )
    ) {
      out.push({ owner, metadata: o.spec.template.metadata, spec: o.spec.template.spec });
    } else if (o.kind === 'CronJob') {
      const t = o.spec.jobTemplate.spec.template;
      out.push({ owner, metadata: t.metadata, spec: t.spec });
    }
  }
  return out;
}
