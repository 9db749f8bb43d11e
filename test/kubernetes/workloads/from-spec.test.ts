import { Testing } from 'cdk8s';
import { WORKLOAD_INGRESS_LABEL } from '../../../lib/kubernetes/labels';
import { workloadsFromSpec } from '../../../lib/kubernetes/workloads';
import {
  PlatformValidationError,
  readOutputsFile,
  resolveWorkloadIdentities,
  validatePlatform,
} from '../../../lib/platform-file';
import { REFERENCE_OUTPUTS, referenceSpec, richPlatform, richSpec } from './fixtures';
import { podTemplates } from './pss-restricted-controls';

function synthWorkloads(spec = richSpec()) {
  const chart = Testing.chart();
  const outputs = readOutputsFile(REFERENCE_OUTPUTS);
  workloadsFromSpec(chart, spec, resolveWorkloadIdentities(spec, outputs, REFERENCE_OUTPUTS));
  const objects = Testing.synth(chart);
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  return { objects, find };
}

describe('workloads[] of the platform file', () => {
  test('the reference demo-api: Deployment, Service, ServiceAccount, NetworkPolicy, PDB, ConfigMap and SecretProviderClass in dev-demo, no Namespace', () => {
    const { objects, find } = synthWorkloads(referenceSpec());
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      expect.stringMatching(/^ConfigMap\/dev-demo\/demo-api-config/),
      'Deployment/dev-demo/demo-api',
      'NetworkPolicy/dev-demo/demo-api',
      'PodDisruptionBudget/dev-demo/demo-api',
      'SecretProviderClass/dev-demo/demo-api',
      'Service/dev-demo/demo-api',
      'ServiceAccount/dev-demo/demo-api',
    ]);
    const pod = find('Deployment', 'demo-api').spec.template;
    expect(pod.metadata.labels).toMatchObject({
      'app.kubernetes.io/tier': 'backend',
      'app.kubernetes.io/part-of': 'dev',
    });
    expect(find('Deployment', 'demo-api').spec.replicas).toBe(2);
    const container = pod.spec.containers[0];
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/', port: 8080 });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/', port: 8080 });
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { memory: '128Mi' },
    });
    // only its declared peers, only its port
    expect(find('NetworkPolicy', 'demo-api').spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev-demo' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('every kind and option maps onto the constructs', () => {
    const { objects, find } = synthWorkloads();
    expect(objects.filter((o) => o.kind === 'Namespace')).toEqual([]);
    // web: HTTP probes, Ingress with the platform class, HPA, extra writable path.
    const web = find('Deployment', 'web').spec.template.spec.containers[0];
    expect(web.readinessProbe.httpGet).toMatchObject({ path: '/', port: 8080 });
    expect(web.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/var/cache/nginx']);
    expect(find('Ingress', 'web').spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ secretName: 'demo-tls' }],
    });
    expect(find('HorizontalPodAutoscaler', 'web').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(find('NetworkPolicy', 'web').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
    // api: peers, spread, config, Key Vault, digest image, resources.
    const api = find('Deployment', 'api');
    expect(api.spec.replicas).toBe(3);
    expect(api.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(api.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    expect(find('NetworkPolicy', 'api').spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev-demo' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      },
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev-monitoring' } },
        podSelector: { matchLabels: { app: 'prometheus' } },
      },
    ]);
    expect(find('SecretProviderClass', 'api')).toBeDefined();
    expect(objects.find((o) => o.kind === 'ConfigMap').data).toEqual({ FEATURE_X: 'on', LOG_LEVEL: 'info' });
    // cache, migrate, report.
    expect(find('StatefulSet', 'cache').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(
      '5Gi',
    );
    expect(find('Job', 'migrate').spec.template.spec.containers[0].command).toEqual([
      'sh',
      '-c',
      'echo done',
    ]);
    expect(find('CronJob', 'report').spec.schedule).toBe('30 2 * * 1-5');
  });
});

describe('the ingress of every hardened pod is its own NetworkPolicy', () => {
  const { objects } = synthWorkloads();
  const templates = podTemplates(objects);

  test('every kind labels its pods out of the tenant-wide ingress allowance', () => {
    expect(templates.map((t) => t.owner.split(' ')[0]).sort()).toEqual([
      'CronJob',
      'Deployment',
      'Deployment',
      'Job',
      'StatefulSet',
    ]);
    for (const t of templates) {
      expect({ owner: t.owner, label: t.metadata.labels[WORKLOAD_INGRESS_LABEL] }).toEqual({
        owner: t.owner,
        label: 'workload',
      });
    }
  });

  test('each pod template is selected by a NetworkPolicy of its namespace that admits no more', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    for (const t of templates) {
      const [, at] = t.owner.split(' ');
      const [namespace] = at.split('/');
      const selecting = policies.filter(
        (p) =>
          p.metadata.namespace === namespace &&
          Object.entries<string>(p.spec.podSelector.matchLabels).every(
            ([k, v]) => t.metadata.labels[k] === v,
          ),
      );
      expect({ owner: t.owner, policies: selecting.length }).toEqual({ owner: t.owner, policies: 1 });
      expect(selecting[0].spec.policyTypes).toEqual(['Ingress']);
      for (const rule of selecting[0].spec.ingress ?? []) {
        expect(rule.from.length).toBeGreaterThan(0);
        expect(rule.ports).toHaveLength(1);
      }
    }
  });
});

describe('checkWorkloads reports mistakes with their path', () => {
  const issues = (mutate: (p: Record<string, any>) => void): string[] => {
    const p = richPlatform();
    mutate(p);
    try {
      validatePlatform(p, 'test');
    } catch (e) {
      if (e instanceof PlatformValidationError) return e.issues.map((i) => `${i.path}: ${i.message}`);
      throw e;
    }
    return [];
  };

  test('the rich fixture is valid', () => expect(issues(() => undefined)).toEqual([]));
  test.each<[string, (p: Record<string, any>) => void, string]>([
    [
      'an image tagged latest',
      (p) => (p.workloads[0].image = 'nginx:latest'),
      'workloads[0].image: "nginx:latest" uses the mutable tag "latest"',
    ],
    [
      'a Deployment without port',
      (p) => delete p.workloads[0].port,
      'workloads[0].port: is required for a Deployment',
    ],
    [
      'a port on a Job',
      (p) => (p.workloads[3].port = 80),
      'workloads[3].port: is only for Deployment and StatefulSet (kind is Job)',
    ],
    [
      'a CronJob without schedule',
      (p) => delete p.workloads[4].schedule,
      'workloads[4].schedule: is required for a CronJob',
    ],
    [
      'a bad schedule',
      (p) => (p.workloads[4].schedule = 'daily'),
      'workloads[4].schedule: "daily" must be five cron fields',
    ],
    [
      'storage on a Deployment',
      (p) => (p.workloads[0].storage = { size: '1Gi', mountPath: '/d' }),
      'workloads[0].storage: is only for StatefulSet',
    ],
    [
      'autoscaling on a StatefulSet',
      (p) => (p.workloads[2].autoscaling = { maxReplicas: 3 }),
      'workloads[2].autoscaling: is only for Deployment',
    ],
    [
      'max below min',
      (p) => (p.workloads[0].autoscaling = { maxReplicas: 1 }),
      'workloads[0].autoscaling.maxReplicas: 1 is less than the minimum of 2 replicas',
    ],
    [
      'a tier policies reject',
      (p) => (p.workloads[0].labels = { 'app.kubernetes.io/tier': 'web' }),
      'workloads[0].labels.app.kubernetes.io/tier: "web" must be one of frontend, backend, internal',
    ],
    [
      'a reserved label',
      (p) => (p.workloads[0].labels = { 'app.kubernetes.io/name': 'x' }),
      'workloads[0].labels.app.kubernetes.io/name: is set by the platform',
    ],
    [
      'an IngressClass the tenant may not use',
      (p) => (p.workloads[0].ingress.className = 'public'),
      'workloads[0].ingress.className: "public" is not an IngressClass of the tenant (allowed: nginx, nginx-internal)',
    ],
    [
      'an Ingress without controller',
      (p) => delete p.ingress,
      'workloads[0].ingress: needs the platform ingress controller',
    ],
    [
      'a Key Vault variable clashing with config',
      (p) => (p.workloads[1].config.DB_PASSWORD = 'x'),
      'workloads[1].keyVault.secrets[0].env: "DB_PASSWORD" is also a key of config',
    ],
    ['a root user', (p) => (p.workloads[0].runAsUser = 0), 'workloads[0].runAsUser: 0 must not be 0 (root)'],
  ])('%s', (_name, mutate, expected) => {
    expect(issues(mutate).join('\n')).toContain(expected);
  });
});
