import { Testing } from 'cdk8s';
import { HardenedDeployment } from '../../lib/kubernetes/workloads';
import { referenceSpec, richSpec, synthPlatform } from './workloads/fixtures';
import { PSS_CONTROLS, podTemplates, pssRestrictedViolations } from './workloads/pss-restricted-controls';
import { secretProviderClassErrors, validateWithKubernetesModels } from './workloads/upstream-validation';

/** A pod that passes every control, to break one control at a time. */
function compliantPod(): { metadata: any; spec: any } {
  const sc = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    runAsUser: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  return {
    metadata: { labels: { app: 'x' } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'init', image: 'busybox:1.36', securityContext: { ...sc } }],
      containers: [{ name: 'main', image: 'busybox:1.36', securityContext: { ...sc } }],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
}

describe('the PSS restricted check itself', () => {
  test('a compliant pod passes', () => {
    const { metadata, spec } = compliantPod();
    expect(pssRestrictedViolations(metadata, spec)).toEqual([]);
  });

  // One breach per control: a check that never fires would prove nothing.
  const breaches: Record<(typeof PSS_CONTROLS)[number], (p: { metadata: any; spec: any }) => void> = {
    HostProcess: (p) => (p.spec.containers[0].securityContext.windowsOptions = { hostProcess: true }),
    'Host Namespaces': (p) => (p.spec.hostPID = true),
    'Privileged Containers': (p) => (p.spec.initContainers[0].securityContext.privileged = true),
    'Capabilities (baseline)': (p) => (p.spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']),
    'HostPath Volumes': (p) => p.spec.volumes.push({ name: 'h', hostPath: { path: '/' } }),
    'Host Ports': (p) => (p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]),
    AppArmor: (p) => (p.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }),
    SELinux: (p) => (p.spec.securityContext.seLinuxOptions = { user: 'system_u' }),
    '/proc Mount Type': (p) => (p.spec.containers[0].securityContext.procMount = 'Unmasked'),
    'Seccomp (baseline)': (p) =>
      (p.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }),
    Sysctls: (p) => (p.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]),
    'Volume Types': (p) => p.spec.volumes.push({ name: 'n', nfs: { server: 'x', path: '/' } }),
    'Privilege Escalation': (p) => delete p.spec.initContainers[0].securityContext.allowPrivilegeEscalation,
    'Running as Non-root': (p) => (p.spec.containers[0].securityContext.runAsNonRoot = false),
    'Running as Non-root user': (p) => (p.spec.containers[0].securityContext.runAsUser = 0),
    'Seccomp (restricted)': (p) => {
      delete p.spec.securityContext.seccompProfile;
      delete p.spec.containers[0].securityContext.seccompProfile;
    },
    'Capabilities (restricted)': (p) => (p.spec.containers[0].securityContext.capabilities.add = ['CHOWN']),
  };

  test.each(PSS_CONTROLS.map((c) => [c]))('detects a breach of %s', (control) => {
    const pod = compliantPod();
    breaches[control](pod);
    const controls = pssRestrictedViolations(pod.metadata, pod.spec).map((v) => v.control);
    expect(controls).toContain(control);
  });

  test('covers the 17 controls', () => {
    expect(new Set(PSS_CONTROLS).size).toBe(17);
  });
});

describe.each([
  ['the reference platform', referenceSpec],
  ['a platform using every workload option', richSpec],
])('every pod template the Kubernetes app emits for %s', (_name, spec) => {
  const objects = synthPlatform(spec());
  const pods = podTemplates(objects);

  test('there are pod templates to check', () => {
    expect(pods.length).toBeGreaterThan(0);
  });

  test('passes the 17 PSS restricted controls', () => {
    const violations = pods.flatMap((p) =>
      pssRestrictedViolations(p.metadata, p.spec).map((v) => `${p.owner}: ${v.control} (${v.detail})`),
    );
    expect(violations).toEqual([]);
  });

  test('has requests, a memory limit, an IfNotPresent pull and a read-only root in every container', () => {
    for (const p of pods) {
      for (const c of [...(p.spec.initContainers ?? []), ...p.spec.containers]) {
        expect({
          owner: p.owner,
          c: c.name,
          requests: Object.keys(c.resources?.requests ?? {}).sort(),
        }).toEqual({
          owner: p.owner,
          c: c.name,
          requests: expect.arrayContaining(['cpu', 'memory']),
        });
        expect(c.resources.limits.memory).toBeDefined();
        expect(c.imagePullPolicy).toBe('IfNotPresent');
        expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
        expect(c.image).not.toMatch(/:latest$/);
      }
    }
  });

  test('every object is valid for kubernetes-models (core kinds) or its upstream CRD', () => {
    const result = validateWithKubernetesModels(objects);
    expect(result.errors).toEqual([]);
    expect(result.checked.length).toBeGreaterThan(0);
    expect(secretProviderClassErrors(objects)).toEqual([]);
  });
});

test('the rich platform emits every workload kind, so each is checked above', () => {
  const kinds = podTemplates(synthPlatform(richSpec())).map((p) => p.owner.split(' ')[0]);
  expect(new Set(kinds)).toEqual(new Set(['Deployment', 'StatefulSet', 'Job', 'CronJob']));
});

test('init containers are hardened and checked too', () => {
  const chart = Testing.chart();
  new HardenedDeployment(chart, 'with-init', {
    namespace: 'dev-demo',
    image: 'nginxinc/nginx-unprivileged:1.27.3',
    port: 8080,
    initContainers: [{ name: 'wait', image: 'busybox:1.36.1', command: ['sh', '-c', 'true'] }],
  });
  const objects = Testing.synth(chart);
  const [pod] = podTemplates(objects);
  expect(pod.spec.initContainers).toHaveLength(1);
  expect(pssRestrictedViolations(pod.metadata, pod.spec)).toEqual([]);
  expect(validateWithKubernetesModels(objects).errors).toEqual([]);
});
