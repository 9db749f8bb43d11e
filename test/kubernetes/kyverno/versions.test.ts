import { Testing } from 'cdk8s';
import { PodSecurityLevel, PodSecurityVersion } from '../../../lib/kubernetes/pod-security';
import {
  KyvernoPolicies,
  PolicyApi,
  podSecurityPolicies,
  restrictedVolumeTypes,
  safeSysctls,
} from '../../../lib/kubernetes/kyverno';
import { PlatformError } from '../../../lib/platform-file';
import { evaluate } from './evaluate';
import { podWith } from './pods';

type Json = Record<string, any>;

const BASELINE = PodSecurityLevel.BASELINE;
const RESTRICTED = PodSecurityLevel.RESTRICTED;
const v = (minor: number) => PodSecurityVersion.of(minor);

/** The Pod Security policies a catalog emits for a level and version, in one dialect. */
function policies(level: PodSecurityLevel, version: PodSecurityVersion, api: PolicyApi): Json[] {
  const chart = Testing.chart();
  new KyvernoPolicies(chart, 'kyverno', { podSecurity: level, podSecurityVersion: version, api });
  const names = new Set(podSecurityPolicies(level, version).map((d) => d.name));
  return Testing.synth(chart).filter(
    (o) => (o.kind === 'ValidatingPolicy' || o.kind === 'ClusterPolicy') && names.has(o.metadata.name),
  );
}

const app = (pod: Json) => pod.spec.containers[0];

/** A pod the Windows exemptions of restricted cover: no seccomp, no dropped capability, a cap added. */
function windowsPod(): Json {
  return podWith((p) => {
    p.spec.os = { name: 'windows' };
    delete p.spec.securityContext.seccompProfile;
    delete p.spec.securityContext.sysctls;
    for (const c of [...p.spec.initContainers, ...p.spec.containers]) {
      delete c.securityContext.allowPrivilegeEscalation;
      delete c.securityContext.capabilities;
      delete c.securityContext.seccompProfile;
    }
    app(p).securityContext.capabilities = { add: ['SYS_ADMIN'] };
    app(p).securityContext.seccompProfile = { type: 'Unconfined' };
  });
}

/** A pod in its own user namespace that runs as root with an unmasked /proc. */
function userNamespacePod(): Json {
  return podWith((p) => {
    p.spec.hostUsers = false;
    p.spec.securityContext.runAsNonRoot = false;
    p.spec.securityContext.runAsUser = 0;
    app(p).securityContext.runAsNonRoot = false;
    app(p).securityContext.runAsUser = 0;
    app(p).securityContext.procMount = 'Unmasked';
  });
}

describe.each([PolicyApi.CEL, PolicyApi.LEGACY])('Pod Security by level and Kubernetes minor (%s)', (api) => {
  const failing = (level: PodSecurityLevel, version: PodSecurityVersion, pod: Json) =>
    policies(level, version, api)
      .filter((p) => !evaluate(p, pod).passed)
      .map((p) => p.metadata.name)
      .sort();

  test('Windows pods: restricted exempts allowPrivilegeEscalation, seccomp and capabilities (baseline ones too); baseline does not', () => {
    expect(failing(RESTRICTED, v(31), windowsPod())).toEqual([]);
    expect(failing(RESTRICTED, v(37), windowsPod())).toEqual([]);
    expect(failing(BASELINE, v(37), windowsPod())).toEqual(['disallow-capabilities', 'restrict-seccomp']);
    const linux = podWith((p) => Object.assign(p.spec, windowsPod().spec, { os: { name: 'linux' } }));
    expect(failing(RESTRICTED, v(37), linux)).toEqual([
      'disallow-capabilities',
      'disallow-capabilities-strict',
      'disallow-privilege-escalation',
      'restrict-seccomp',
      'restrict-seccomp-strict',
    ]);
  });

  test('Windows pods still need runAsNonRoot and may not use hostProcess', () => {
    const pod = windowsPod();
    delete pod.spec.securityContext.runAsNonRoot;
    delete app(pod).securityContext.runAsNonRoot;
    delete pod.spec.initContainers[0].securityContext.runAsNonRoot;
    pod.spec.securityContext.windowsOptions = { hostProcess: true };
    expect(failing(RESTRICTED, v(37), pod)).toEqual(['disallow-host-process', 'require-run-as-nonroot']);
  });

  test('hostUsers: false relaxes runAsNonRoot and runAsUser from 1.35, procMount for baseline only', () => {
    const pod = userNamespacePod();
    expect(failing(RESTRICTED, v(34), pod)).toEqual([
      'disallow-proc-mount',
      'require-run-as-non-root-user',
      'require-run-as-nonroot',
    ]);
    expect(failing(RESTRICTED, v(35), pod)).toEqual(['disallow-proc-mount']);
    expect(failing(BASELINE, v(34), pod)).toEqual(['disallow-proc-mount']);
    expect(failing(BASELINE, v(35), pod)).toEqual([]);
    // Sharing the host's user namespace keeps every check.
    const shared = podWith((p) => Object.assign(p.spec, userNamespacePod().spec, { hostUsers: true }));
    expect(failing(BASELINE, v(37), shared)).toEqual(['disallow-proc-mount']);
    expect(failing(RESTRICTED, v(37), shared)).toEqual([
      'disallow-proc-mount',
      'require-run-as-non-root-user',
      'require-run-as-nonroot',
    ]);
  });

  test('sysctls: tcp_rmem/tcp_wmem from 1.32, tcp_slow_start_after_idle/tcp_notsent_lowat from 1.37', () => {
    const withSysctl = (name: string) =>
      podWith((p) => p.spec.securityContext.sysctls.push({ name, value: '1' }));
    for (const name of ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']) {
      expect(failing(BASELINE, v(31), withSysctl(name))).toEqual(['restrict-sysctls']);
      expect(failing(BASELINE, v(32), withSysctl(name))).toEqual([]);
    }
    for (const name of ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']) {
      expect(failing(BASELINE, v(36), withSysctl(name))).toEqual(['restrict-sysctls']);
      expect(failing(BASELINE, v(37), withSysctl(name))).toEqual([]);
      expect(failing(RESTRICTED, PodSecurityVersion.LATEST, withSysctl(name))).toEqual([]);
    }
    expect(failing(BASELINE, v(37), withSysctl('net.ipv4.tcp_mem'))).toEqual(['restrict-sysctls']);
  });

  test('image volumes: refused by restricted before 1.33, allowed from 1.33', () => {
    const pod = podWith((p) =>
      p.spec.volumes.push({
        name: 'model',
        image: { reference: 'myregistry.azurecr.io/model:1', pullPolicy: 'IfNotPresent' },
      }),
    );
    expect(failing(RESTRICTED, v(32), pod)).toEqual(['restrict-volume-types']);
    expect(failing(RESTRICTED, v(33), pod)).toEqual([]);
  });

  test('host probes and lifecycle hooks: not a control before 1.34, refused from 1.34', () => {
    const pod = podWith((p) => (app(p).readinessProbe.httpGet.host = '169.254.169.254'));
    expect(policies(BASELINE, v(33), api).map((p) => p.metadata.name)).not.toContain('disallow-probe-host');
    expect(failing(BASELINE, v(33), pod)).toEqual([]);
    expect(failing(BASELINE, v(34), pod)).toEqual(['disallow-probe-host']);
  });
});

describe('the catalog by version', () => {
  test('11 baseline controls before 1.34, 12 from 1.34; 6 restricted ones at every minor', () => {
    for (const version of PodSecurityVersion.SUPPORTED) {
      const baseline = podSecurityPolicies(BASELINE, version).length;
      const restricted = podSecurityPolicies(RESTRICTED, version).length;
      expect({ minor: version.minor, baseline, restricted }).toEqual({
        minor: version.minor,
        baseline: version.minor >= 34 ? 12 : 11,
        restricted: baseline + 6,
      });
    }
  });

  test('allowed sysctls and volume types per minor', () => {
    expect(safeSysctls(v(31))).toHaveLength(10);
    expect(safeSysctls(v(32))).toHaveLength(12);
    expect(safeSysctls(v(37))).toHaveLength(14);
    expect(safeSysctls()).toEqual(safeSysctls(v(37)));
    expect(restrictedVolumeTypes(v(32))).not.toContain('image');
    expect(restrictedVolumeTypes(v(33))).toContain('image');
  });

  test('PodSecurityVersion: supported minors, labels, parse', () => {
    expect(PodSecurityVersion.SUPPORTED.map((x) => x.toString())).toEqual([
      '1.31',
      '1.32',
      '1.33',
      '1.34',
      '1.35',
      '1.36',
      '1.37',
    ]);
    expect(v(35).label).toBe('v1.35');
    expect(PodSecurityVersion.LATEST.label).toBe('latest');
    expect(PodSecurityVersion.LATEST.minor).toBe(37);
    expect(PodSecurityVersion.parse('v1.33')).toBe(v(33));
    expect(PodSecurityVersion.parse('1.33')).toBe(v(33));
    expect(PodSecurityVersion.parse('latest')).toBe(PodSecurityVersion.LATEST);
    expect(() => PodSecurityVersion.of(30)).toThrow(PlatformError);
    expect(() => PodSecurityVersion.of(30)).toThrow(
      'PodSecurityVersion: "1.30" is not supported: the catalog reproduces Kubernetes 1.31 to 1.37',
    );
    expect(() => PodSecurityVersion.parse('1.35.2')).toThrow(
      'PodSecurityVersion: "1.35.2" must be a Kubernetes minor such as 1.35, or latest',
    );
  });
});
