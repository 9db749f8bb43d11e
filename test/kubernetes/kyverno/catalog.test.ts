import { Testing } from 'cdk8s';
import {
  DEFAULT_EXCLUDED_NAMESPACES,
  KyvernoPolicies,
  POD_POLICY_CATALOG,
  PolicyApi,
} from '../../../lib/kubernetes/kyverno';
import { referenceSpec, richSpec, synthPlatform } from '../workloads/fixtures';
import {
  hostProbeViolations,
  podTemplates,
  pssRestrictedViolations,
} from '../workloads/pss-restricted-controls';
import { evaluate } from './evaluate';
import { clean, compliantPod, podWith } from './pods';

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
    'disallow-probe-host',
    'readiness probe httpGet.host',
    (p) => (app(p).readinessProbe.httpGet.host = '169.254.169.254'),
  ],
  [
    'disallow-probe-host',
    'liveness probe tcpSocket.host',
    (p) => (app(p).livenessProbe = { tcpSocket: { port: 8080, host: '10.0.0.1' } }),
  ],
  [
    'disallow-probe-host',
    'startup probe httpGet.host',
    (p) => (app(p).startupProbe = { httpGet: { path: '/', port: 8080, host: 'example.com' } }),
  ],
  [
    'disallow-probe-host',
    'postStart hook httpGet.host',
    (p) => (app(p).lifecycle = { postStart: { httpGet: { path: '/', port: 80, host: '10.0.0.1' } } }),
  ],
  [
    'disallow-probe-host',
    'preStop hook tcpSocket.host on an init container',
    (p) => (init(p).lifecycle = { preStop: { tcpSocket: { port: 22, host: 'node.internal' } } }),
  ],
  [
    'disallow-probe-host',
    'probe host on an ephemeral container',
    (p) =>
      (p.spec.ephemeralContainers = [
        {
          ...clean(init(p)),
          name: 'debug',
          readinessProbe: { tcpSocket: { port: 8080, host: '10.0.0.1' } },
        },
      ]),
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
  ['require-requests-limits', 'init container without resources', (p) => delete init(p).resources],
  ['require-requests-limits', 'init container without memory limit', (p) => delete init(p).resources.limits],
  ['require-probes', 'no liveness probe', (p) => delete app(p).livenessProbe],
  ['require-probes', 'no readiness probe', (p) => delete app(p).readinessProbe],
  ['require-ro-rootfs', 'writable', (p) => (app(p).securityContext.readOnlyRootFilesystem = false)],
  ['require-ro-rootfs', 'unset', (p) => delete app(p).securityContext.readOnlyRootFilesystem],
  [
    'require-ro-rootfs',
    'init container writable',
    (p) => (init(p).securityContext.readOnlyRootFilesystem = false),
  ],
  [
    'require-ro-rootfs',
    'ephemeral container writable',
    (p) => {
      const debug = { ...clean(init(p)), name: 'debug' };
      delete debug.resources;
      debug.securityContext.readOnlyRootFilesystem = false;
      p.spec.ephemeralContainers = [debug];
    },
  ],
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
          // the default namespace only, and Services only
          matched: !['disallow-default-namespace', 'restrict-service-external-ips'].includes(p.metadata.name),
          passed: true,
          messages: [],
        });
      }
    });

    test.each(CASES)('%s fails a pod with: %s', (name, _what, change, alsoFails = []) => {
      expect(failing(podWith(change))).toEqual([name, ...alsoFails].sort());
    });

    test('every pod policy has at least one failing case (Services: shared-cluster.test.ts)', () => {
      const covered = new Set([...CASES.map((c) => c[0]), 'restrict-service-external-ips']);
      expect(POD_POLICY_CATALOG.map((d) => d.name).filter((n) => !covered.has(n))).toEqual([]);
    });

    test('the PSS oracle agrees with disallow-probe-host on every case', () => {
      for (const [, what, change] of CASES.filter((c) => c[0] === 'disallow-probe-host')) {
        expect({ what, found: hostProbeViolations(podWith(change).spec).length }).toEqual({
          what,
          found: 1,
        });
      }
      expect(hostProbeViolations(compliantPod().spec)).toEqual([]);
    });

    test('probes and hooks without a host, or with an empty host, pass disallow-probe-host', () => {
      const policy = policies.find((p) => p.metadata.name === 'disallow-probe-host')!;
      const pod = podWith((p) => {
        app(p).readinessProbe = { httpGet: { path: '/', port: 8080, host: '' } };
        app(p).livenessProbe = { tcpSocket: { port: 8080 } };
        app(p).startupProbe = { exec: { command: ['true'] } };
        app(p).lifecycle = {
          postStart: { tcpSocket: { port: 8080, host: '' } },
          preStop: { sleep: { seconds: 5 } },
        };
        init(p).lifecycle = { preStop: { httpGet: { path: '/quit', port: 8080 } } };
        p.spec.ephemeralContainers = [{ ...clean(init(p)), name: 'debug' }];
      });
      expect(evaluate(policy, pod)).toEqual({ matched: true, passed: true, messages: [] });
      expect(failing(pod)).toEqual([]);
      expect(hostProbeViolations(pod.spec)).toEqual([]);
    });

    test('disallow-probe-host names the containers, probes and hooks apart', () => {
      const policy = policies.find((p) => p.metadata.name === 'disallow-probe-host')!;
      const pod = podWith((p) => {
        app(p).livenessProbe.httpGet.host = '10.0.0.1';
        init(p).lifecycle = { postStart: { httpGet: { path: '/', port: 80, host: '10.0.0.1' } } };
      });
      expect(evaluate(policy, pod).messages).toEqual([
        'Container probes (liveness, readiness, startup) must not set httpGet.host or tcpSocket.host. Containers: app',
        'Container lifecycle hooks (postStart, preStop) must not set httpGet.host or tcpSocket.host. Containers: init',
      ]);
    });

    test('the sysctls allowed since Kubernetes v1.32 (net.ipv4.tcp_rmem, net.ipv4.tcp_wmem) pass the latest catalog', () => {
      const policy = policies.find((p) => p.metadata.name === 'restrict-sysctls')!;
      const pod = podWith((p) =>
        p.spec.securityContext.sysctls.push(
          { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' },
          { name: 'net.ipv4.tcp_wmem', value: '4096 16384 4194304' },
        ),
      );
      expect(evaluate(policy, pod)).toEqual({ matched: true, passed: true, messages: [] });
      expect(failing(pod)).toEqual([]);
      expect(pssRestrictedViolations(pod.metadata, pod.spec)).toEqual([]);
      const unsafe = podWith((p) =>
        p.spec.securityContext.sysctls.push({ name: 'net.ipv4.tcp_mem', value: '1' }),
      );
      expect(evaluate(policy, unsafe).passed).toBe(false);
      expect(pssRestrictedViolations(unsafe.metadata, unsafe.spec).map((v) => v.control)).toEqual([
        'Sysctls',
      ]);
    });

    test('ephemeral containers cannot set resources: they need none', () => {
      const pod = podWith((p) => {
        const debug = { ...clean(init(p)), name: 'debug' };
        delete debug.resources;
        p.spec.ephemeralContainers = [debug];
      });
      expect(failing(pod)).toEqual([]);
    });

    test('the requests and read-only root checks name the init container', () => {
      const pod = podWith((p) => {
        delete init(p).resources;
        init(p).securityContext.readOnlyRootFilesystem = false;
      });
      const messages = (name: string) =>
        evaluate(
          policies.find((p) => p.metadata.name === name)!,
          pod,
        ).messages;
      expect(messages('require-requests-limits')).toEqual([
        'Containers must set resources.requests.cpu, resources.requests.memory and resources.limits.memory. Containers: init',
      ]);
      expect(messages('require-ro-rootfs')).toEqual([
        'Containers must set securityContext.readOnlyRootFilesystem to true. Containers: init',
      ]);
    });

    test('an empty AppArmor annotation (the default profile) passes; unconfined does not', () => {
      const annotated = (value: string) =>
        podWith(
          (p) => (p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = value),
        );
      expect(failing(annotated(''))).toEqual([]);
      expect(failing(annotated('localhost/custom'))).toEqual([]);
      expect(failing(annotated('unconfined'))).toEqual(['restrict-apparmor-profiles']);
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

describe.each([
  ['the reference platform', referenceSpec],
  ['a platform using every workload option', richSpec],
])('the pods the workloads emit for %s', (_name, spec) => {
  const objects = synthPlatform(spec());
  const policy = objects.find(
    (o) => o.kind === 'ValidatingPolicy' && o.metadata.name === 'disallow-probe-host',
  );
  const pods = podTemplates(objects).map((t) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...t.metadata, namespace: t.owner.split(' ')[1].split('/')[0] },
    spec: t.spec,
  }));

  test('have probes, and none of them (nor any hook) sets a host: disallow-probe-host passes', () => {
    expect(policy).toBeDefined();
    expect(pods.some((p) => p.spec.containers.some((c: Json) => c.readinessProbe || c.livenessProbe))).toBe(
      true,
    );
    for (const pod of pods) {
      expect({ pod: pod.metadata.name, ...evaluate(policy, pod) }).toEqual({
        pod: pod.metadata.name,
        matched: true,
        passed: true,
        messages: [],
      });
      expect(hostProbeViolations(pod.spec)).toEqual([]);
    }
  });
});
