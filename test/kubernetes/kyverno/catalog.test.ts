import { Testing } from 'cdk8s';
import {
  DEFAULT_EXCLUDED_NAMESPACES,
  KyvernoPolicies,
  POD_POLICY_CATALOG,
  PolicyApi,
} from '../../../lib/kubernetes/kyverno';
import { evaluate } from './evaluate';
import { compliantPod, podWith } from './pods';

type Json = Record<string, any>;

/** The validation policies of a full catalog (restricted), in one dialect. */
function catalogPolicies(api: PolicyApi): Json[] {
  const chart = Testing.chart();
  new KyvernoPolicies(chart, 'kyverno', { api });
  return Testing.synth(chart).filter(
    (o) => o.kind === 'ValidatingPolicy' || (o.kind === 'ClusterPolicy' && o.spec.rules[0].validate),
  );
}

/** [policy, what breaks it, the change, the other policies the same change must break] */
type Case = [string, string, (pod: Json) => void, string[]?];
const app = (pod: Json) => pod.spec.containers[0];
const init = (pod: Json) => pod.spec.initContainers[0];

const CASES: Case[] = [
  [
    'disallow-host-process',
    'pod hostProcess',
    (p) => (p.spec.securityContext.windowsOptions = { hostProcess: true }),
  ],
  [
    'disallow-host-process',
    'container hostProcess',
    (p) => (app(p).securityContext.windowsOptions = { hostProcess: true }),
  ],
  ['disallow-host-namespaces', 'hostNetwork', (p) => (p.spec.hostNetwork = true)],
  ['disallow-host-namespaces', 'hostPID', (p) => (p.spec.hostPID = true)],
  ['disallow-host-namespaces', 'hostIPC', (p) => (p.spec.hostIPC = true)],
  ['disallow-privileged-containers', 'privileged', (p) => (app(p).securityContext.privileged = true)],
  [
    'disallow-privileged-containers',
    'privileged init container',
    (p) => (init(p).securityContext.privileged = true),
  ],
  [
    'disallow-capabilities',
    'adds SYS_ADMIN',
    (p) => (app(p).securityContext.capabilities.add = ['SYS_ADMIN']),
    ['disallow-capabilities-strict'],
  ],
  [
    'disallow-host-path',
    'hostPath volume',
    (p) => p.spec.volumes.push({ name: 'h', hostPath: { path: '/' } }),
    ['restrict-volume-types'],
  ],
  ['disallow-host-ports', 'hostPort', (p) => (app(p).ports[0].hostPort = 8080)],
  [
    'restrict-apparmor-profiles',
    'pod profile Unconfined',
    (p) => (p.spec.securityContext.appArmorProfile = { type: 'Unconfined' }),
  ],
  [
    'restrict-apparmor-profiles',
    'container profile Unconfined',
    (p) => (app(p).securityContext.appArmorProfile = { type: 'Unconfined' }),
  ],
  [
    'restrict-apparmor-profiles',
    'annotation unconfined',
    (p) => (p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'),
  ],
  ['disallow-selinux', 'pod type spc_t', (p) => (p.spec.securityContext.seLinuxOptions = { type: 'spc_t' })],
  [
    'disallow-selinux',
    'container user',
    (p) => (app(p).securityContext.seLinuxOptions = { user: 'system_u' }),
  ],
  ['disallow-proc-mount', 'procMount Unmasked', (p) => (app(p).securityContext.procMount = 'Unmasked')],
  [
    'restrict-seccomp',
    'pod Unconfined',
    (p) => (p.spec.securityContext.seccompProfile.type = 'Unconfined'),
    ['restrict-seccomp-strict'],
  ],
  [
    'restrict-seccomp',
    'container Unconfined',
    (p) => (app(p).securityContext.seccompProfile.type = 'Unconfined'),
    ['restrict-seccomp-strict'],
  ],
  [
    'restrict-sysctls',
    'unsafe sysctl',
    (p) => p.spec.securityContext.sysctls.push({ name: 'kernel.msgmax', value: '1' }),
  ],
  [
    'restrict-volume-types',
    'nfs volume',
    (p) => p.spec.volumes.push({ name: 'n', nfs: { server: 'nfs', path: '/' } }),
  ],
  [
    'disallow-privilege-escalation',
    'allowed',
    (p) => (app(p).securityContext.allowPrivilegeEscalation = true),
  ],
  [
    'disallow-privilege-escalation',
    'unset on init',
    (p) => delete init(p).securityContext.allowPrivilegeEscalation,
  ],
  ['require-run-as-nonroot', 'pod sets false', (p) => (p.spec.securityContext.runAsNonRoot = false)],
  [
    'require-run-as-nonroot',
    'unset on pod and container',
    (p) => {
      delete p.spec.securityContext.runAsNonRoot;
      delete app(p).securityContext.runAsNonRoot;
    },
  ],
  ['require-run-as-nonroot', 'container sets false', (p) => (app(p).securityContext.runAsNonRoot = false)],
  ['require-run-as-non-root-user', 'pod user 0', (p) => (p.spec.securityContext.runAsUser = 0)],
  ['require-run-as-non-root-user', 'container user 0', (p) => (app(p).securityContext.runAsUser = 0)],
  [
    'restrict-seccomp-strict',
    'no profile anywhere',
    (p) => {
      delete p.spec.securityContext.seccompProfile;
      delete app(p).securityContext.seccompProfile;
    },
  ],
  [
    'disallow-capabilities-strict',
    'ALL not dropped',
    (p) => (app(p).securityContext.capabilities.drop = ['NET_RAW']),
  ],
  [
    'disallow-capabilities-strict',
    'adds CHOWN',
    (p) => (app(p).securityContext.capabilities.add = ['CHOWN']),
  ],
  ['require-app-name-label', 'label missing', (p) => delete p.metadata.labels['app.kubernetes.io/name']],
  ['require-app-name-label', 'label empty', (p) => (p.metadata.labels['app.kubernetes.io/name'] = '')],
  ['require-app-name-label', 'no labels at all', (p) => delete p.metadata.labels],
  [
    'restrict-app-tier-label',
    'unknown tier',
    (p) => (p.metadata.labels['app.kubernetes.io/tier'] = 'database'),
  ],
  ['disallow-latest-tag', 'latest', (p) => (app(p).image = 'nginx:latest')],
  ['disallow-latest-tag', 'untagged', (p) => (app(p).image = 'nginx')],
  [
    'disallow-latest-tag',
    'registry port, no tag',
    (p) => (app(p).image = 'myregistry.azurecr.io:5000/team/nginx'),
  ],
  ['disallow-latest-tag', 'init container latest', (p) => (init(p).image = 'busybox:latest')],
  ['require-requests-limits', 'no memory limit', (p) => delete app(p).resources.limits],
  ['require-requests-limits', 'no cpu request', (p) => delete app(p).resources.requests.cpu],
  ['require-requests-limits', 'no resources', (p) => delete app(p).resources],
  ['require-probes', 'no liveness probe', (p) => delete app(p).livenessProbe],
  ['require-probes', 'no readiness probe', (p) => delete app(p).readinessProbe],
  ['require-ro-rootfs', 'writable', (p) => (app(p).securityContext.readOnlyRootFilesystem = false)],
  ['require-ro-rootfs', 'unset', (p) => delete app(p).securityContext.readOnlyRootFilesystem],
  ['disallow-default-namespace', 'default namespace', (p) => (p.metadata.namespace = 'default')],
];

describe.each([PolicyApi.CEL, PolicyApi.LEGACY])(
  'catalog evaluated with a standard CEL engine (%s)',
  (api) => {
    const policies = catalogPolicies(api);
    const failing = (pod: Json) =>
      policies
        .filter((p) => !evaluate(p, pod).passed)
        .map((p) => p.metadata.name)
        .sort();

    test('every control of the catalog is emitted', () => {
      expect(policies.map((p) => p.metadata.name)).toEqual(POD_POLICY_CATALOG.map((d) => d.name));
    });

    test('a pod of the hardened workloads passes every policy, and every policy applies to it', () => {
      const pod = compliantPod();
      for (const p of policies) {
        const verdict = evaluate(p, pod);
        expect({ policy: p.metadata.name, ...verdict }).toEqual({
          policy: p.metadata.name,
          matched: p.metadata.name !== 'disallow-default-namespace',
          passed: true,
          messages: [],
        });
      }
    });

    test.each(CASES)('%s fails a pod with: %s', (name, _what, change, alsoFails = []) => {
      expect(failing(podWith(change))).toEqual([name, ...alsoFails].sort());
    });

    test('every policy has at least one failing case', () => {
      const covered = new Set(CASES.map((c) => c[0]));
      expect(POD_POLICY_CATALOG.map((d) => d.name).filter((n) => !covered.has(n))).toEqual([]);
    });

    test('messages name the offending containers', () => {
      const pod = podWith((p) => (init(p).securityContext.privileged = true));
      const policy = policies.find((p) => p.metadata.name === 'disallow-privileged-containers')!;
      expect(evaluate(policy, pod).messages).toEqual([
        'Containers must not set securityContext.privileged to true. Containers: init',
      ]);
    });

    test('system namespaces are never matched, whatever the pod', () => {
      const bad = podWith((p) => {
        p.spec.hostNetwork = true;
        app(p).securityContext.privileged = true;
        delete p.metadata.labels;
      });
      for (const ns of DEFAULT_EXCLUDED_NAMESPACES) {
        const pod = { ...bad, metadata: { ...bad.metadata, namespace: ns } };
        expect(policies.filter((p) => evaluate(p, pod).matched).map((p) => p.metadata.name)).toEqual([]);
      }
    });

    test('the default namespace is not a way around Pod Security', () => {
      const pod = podWith((p) => {
        p.metadata.namespace = 'default';
        app(p).securityContext.privileged = true;
      });
      expect(failing(pod)).toEqual(['disallow-default-namespace', 'disallow-privileged-containers']);
    });

    test('job pods need no probes', () => {
      const pod = podWith((p) => {
        p.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', uid: 'u' }];
        delete app(p).readinessProbe;
        delete app(p).livenessProbe;
      });
      expect(failing(pod)).toEqual([]);
    });

    test('images pinned by digest or by a version tag pass; a registry port is not a tag', () => {
      const policy = policies.find((p) => p.metadata.name === 'disallow-latest-tag')!;
      const withImage = (image: string) =>
        evaluate(
          policy,
          podWith((p) => (app(p).image = image)),
        ).passed;
      expect(withImage('myregistry.azurecr.io:5000/team/api:2.1.0')).toBe(true);
      expect(withImage('nginx@sha256:' + '0'.repeat(64))).toBe(true);
      expect(withImage('nginx:latest@sha256:' + '0'.repeat(64))).toBe(true);
      expect(withImage('nginx:1.27-latest')).toBe(true);
      expect(withImage('myregistry.azurecr.io:5000/team/api')).toBe(false);
      expect(withImage('nginx@sha256:abc')).toBe(false);
    });

    test('tier label: any of frontend, backend, internal, or none', () => {
      const policy = policies.find((p) => p.metadata.name === 'restrict-app-tier-label')!;
      for (const tier of ['frontend', 'backend', 'internal']) {
        expect(
          evaluate(
            policy,
            podWith((p) => (p.metadata.labels['app.kubernetes.io/tier'] = tier)),
          ).passed,
        ).toBe(true);
      }
      expect(
        evaluate(
          policy,
          podWith((p) => delete p.metadata.labels['app.kubernetes.io/tier']),
        ).passed,
      ).toBe(true);
    });

    test('a minimal pod (no security context, no volumes, no labels) fails exactly what it should', () => {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bare', namespace: 'dev-demo' },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27.3' }] },
      };
      expect(failing(pod)).toEqual(
        [
          'disallow-capabilities-strict',
          'disallow-privilege-escalation',
          'require-app-name-label',
          'require-probes',
          'require-requests-limits',
          'require-ro-rootfs',
          'require-run-as-nonroot',
          'restrict-seccomp-strict',
        ].sort(),
      );
    });
  },
);
