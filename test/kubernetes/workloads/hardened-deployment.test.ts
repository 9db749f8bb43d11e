import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  DisruptionBudget,
  HardenedDeployment,
  HardenedDeploymentProps,
  NetworkPeer,
  WorkloadTier,
  ZoneSpread,
} from '../../../lib/kubernetes/workloads';
import { PlatformError } from '../../../lib/platform-file';
import { validateWithKubernetesModels } from './upstream-validation';

const BASE: HardenedDeploymentProps = {
  namespace: 'dev-demo',
  image: 'nginxinc/nginx-unprivileged:1.27.3',
  port: 8080,
};

function synth(props: Partial<HardenedDeploymentProps> = {}, id = 'demo-api') {
  const chart = Testing.chart();
  new HardenedDeployment(chart, id, { ...BASE, ...props });
  const objects = Testing.synth(chart);
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return { objects, of, one: (kind: string) => of(kind)[0] };
}

/** Whether a matchLabels selector selects a set of labels. */
function selects(matchLabels: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}

describe('HardenedDeployment defaults', () => {
  // Built per test (beforeEach, not at collection): mutation testing then knows which tests run which code.
  let objects: any[];
  let one: (kind: string) => any;
  let deployment: any;
  let pod: any;
  let main: any;
  beforeEach(() => {
    ({ objects, one } = synth());
    deployment = one('Deployment');
    pod = deployment.spec.template;
    main = pod.spec.containers[0];
  });

  test('emits exactly the expected objects, and no Namespace', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount'].sort(),
    );
    for (const o of objects) expect(o.metadata.namespace).toBe('dev-demo');
  });

  test('runs 2 replicas with standard labels, selected by name and instance only', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'demo-api',
      'app.kubernetes.io/instance': 'demo-api',
    });
    expect(pod.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'demo-api',
      'app.kubernetes.io/instance': 'demo-api',
      'app.kubernetes.io/version': '1.27.3',
      'app.kubernetes.io/managed-by': 'cdk-aks-platform',
      // Its ingress is its own NetworkPolicy's, not the tenant-wide allowance's.
      'cdk-aks-platform.io/ingress': 'workload',
    });
  });

  test('pod and containers are restricted: seccomp, no capabilities, non-root numeric ids, read-only root', () => {
    expect(pod.spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(main.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(main.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(pod.spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('no cdk8s-plus default survives: exact resources, IfNotPresent, TCP readiness and liveness, no startup probe', () => {
    expect(main.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
    expect(main.imagePullPolicy).toBe('IfNotPresent');
    expect(main.readinessProbe).toEqual({
      tcpSocket: { port: 8080 },
      periodSeconds: 10,
      failureThreshold: 3,
    });
    expect(main.livenessProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 3 });
    expect(main.startupProbe).toBeUndefined();
  });

  test('a dedicated ServiceAccount with no API token', () => {
    const sa = one('ServiceAccount');
    expect(sa.metadata.name).toBe('demo-api');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod.spec.serviceAccountName).toBe('demo-api');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  test('the PodDisruptionBudget selects the pods and lets drains progress', () => {
    const pdb = one('PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.minAvailable).toBeUndefined();
    expect(selects(pdb.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  test('spreads across zones, preferred, selecting exactly its pods; never required anti-affinity', () => {
    expect(pod.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: deployment.spec.selector.matchLabels },
      },
    ]);
    expect(
      selects(pod.spec.topologySpreadConstraints[0].labelSelector.matchLabels, pod.metadata.labels),
    ).toBe(true);
    expect(
      pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    ).toBeUndefined();
  });

  test('the Service targets the port of the selected pods', () => {
    const svc = one('Service');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(selects(svc.spec.selector, pod.metadata.labels)).toBe(true);
  });

  test('with no declared peer the NetworkPolicy admits nobody', () => {
    const np = one('NetworkPolicy');
    expect(np.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress ?? []).toEqual([]);
  });

  test('is valid for kubernetes-models, and matches the snapshot', () => {
    expect(validateWithKubernetesModels(objects).errors).toEqual([]);
    expect(objects).toMatchSnapshot();
  });
});

describe('HardenedDeployment options', () => {
  test('the NetworkPolicy admits only the declared port from the declared peers and the ingress controller', () => {
    const { one } = synth({
      allowFrom: [NetworkPeer.workload('web'), NetworkPeer.namespace('dev-monitoring')],
      ingress: { host: 'demo.example.com', className: 'nginx', controllerNamespace: 'ingress-nginx' },
    });
    const np = one('NetworkPolicy');
    expect(np.spec.ingress).toHaveLength(1);
    expect(np.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(np.spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev-demo' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev-monitoring' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
  });

  test('an Ingress routes the host to the Service port, with TLS when a secret is named', () => {
    const { one } = synth({
      ingress: {
        host: 'demo.example.com',
        className: 'nginx',
        allowedClasses: ['nginx'],
        controllerNamespace: 'ingress-nginx',
        tlsSecretName: 'demo-tls',
      },
    });
    const ing = one('Ingress');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.rules[0].host).toBe('demo.example.com');
    expect(ing.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: 'demo-api',
      port: { number: 8080 },
    });
    expect(ing.spec.tls).toEqual([{ hosts: ['demo.example.com'], secretName: 'demo-tls' }]);
  });

  test('autoscaling: an HPA on CPU owns the replicas', () => {
    const { one } = synth({ replicas: 3, autoscaling: { maxReplicas: 10 } });
    expect(one('Deployment').spec.replicas).toBeUndefined();
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo-api' },
    });
    expect(hpa.spec.metrics[0].resource).toEqual({
      name: 'cpu',
      target: { type: 'Utilization', averageUtilization: 70 },
    });
  });

  test('overrides: resources, probes, ids, tier, labels, spread, budget, writable paths', () => {
    const { one, of } = synth({
      resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1.5Gi' },
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      startup: kplus.Probe.fromHttpGet('/started', { port: 8080 }),
      user: 101,
      group: 101,
      tier: WorkloadTier.BACKEND,
      labels: [{ key: 'example.com/team', value: 'payments' }],
      zoneSpread: ZoneSpread.REQUIRED,
      disruptionBudget: DisruptionBudget.minAvailable(1),
      writablePaths: ['/var/cache/nginx'],
    });
    const pod = one('Deployment').spec.template;
    const main = pod.spec.containers[0];
    expect(main.resources).toEqual({
      requests: { cpu: '250m', memory: '1Gi' },
      limits: { cpu: '1', memory: '1.5Gi' },
    });
    expect(main.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080, scheme: 'HTTP' });
    expect(main.startupProbe.httpGet.path).toBe('/started');
    expect(main.securityContext.runAsUser).toBe(101);
    expect(pod.metadata.labels).toMatchObject({
      'app.kubernetes.io/tier': 'backend',
      'example.com/team': 'payments',
    });
    expect(pod.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(one('PodDisruptionBudget').spec).toMatchObject({ minAvailable: 1 });
    expect(main.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/var/cache/nginx']);
    expect(of('HorizontalPodAutoscaler')).toEqual([]);
  });

  test('opt-outs are explicit: no spread, no budget', () => {
    const { one, of } = synth({ zoneSpread: ZoneSpread.NONE, disruptionBudget: DisruptionBudget.none() });
    expect(one('Deployment').spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(of('PodDisruptionBudget')).toEqual([]);
  });

  test('config goes to an immutable ConfigMap named after its content', () => {
    const a = synth({
      config: [
        { name: 'B', value: '2' },
        { name: 'A', value: '1' },
      ],
    });
    const b = synth({
      config: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    });
    const c = synth({
      config: [
        { name: 'A', value: '1' },
        { name: 'B', value: '3' },
      ],
    });
    const cm = a.one('ConfigMap');
    expect(cm.immutable).toBe(true);
    expect(cm.data).toEqual({ A: '1', B: '2' });
    expect(cm.metadata.name).toMatch(/^demo-api-config-[0-9a-f]{8}$/);
    expect(b.one('ConfigMap').metadata.name).toBe(cm.metadata.name);
    expect(c.one('ConfigMap').metadata.name).not.toBe(cm.metadata.name);
    expect(a.one('Deployment').spec.template.spec.containers[0].envFrom).toEqual([
      { configMapRef: { name: cm.metadata.name } },
    ]);
  });
});

describe('HardenedDeployment rejects bad props when constructed', () => {
  const expectError = (props: Partial<HardenedDeploymentProps>, message: RegExp | string) => {
    const build = () => new HardenedDeployment(Testing.chart(), 'demo-api', { ...BASE, ...props });
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  };

  test('an image tagged latest, naming the prop and the value', () => {
    expectError(
      { image: 'x:latest' },
      'HardenedDeployment test/demo-api: image: "x:latest" uses the mutable tag "latest": pin a version tag or a sha256 digest',
    );
  });
  test('an untagged image', () => expectError({ image: 'nginx' }, /image: "nginx" has no tag/));
  test('an init container image tagged latest', () =>
    expectError(
      { initContainers: [{ name: 'w', image: 'busybox:latest' }] },
      /initContainers\[0\]\.image: "busybox:latest"/,
    ));
  test('the default namespace', () =>
    expectError({ namespace: 'default' }, /namespace: "default" is reserved/));
  test('root user', () => expectError({ user: 0 }, /user: must be a non-root numeric id .*got 0/));
  test('a bad quantity', () =>
    expectError(
      { resources: { memoryLimit: '1 GB' } },
      /resources\.memoryLimit: "1 GB" is not a Kubernetes quantity/,
    ));
  test('a request above its limit', () =>
    expectError(
      { resources: { memoryRequest: '1Gi', memoryLimit: '512Mi' } },
      /memoryRequest: "1Gi" is more than resources\.memoryLimit "512Mi"/,
    ));
  test('a port out of range', () => expectError({ port: 70000 }, /port: must be a port number .*got 70000/));
  test('a label the construct owns', () =>
    expectError(
      { labels: [{ key: 'app.kubernetes.io/name', value: 'x' }] },
      /"app.kubernetes.io\/name" is set by the construct/,
    ));
  test('the label that governs ingress, which the construct sets', () =>
    expectError(
      { labels: [{ key: 'cdk-aks-platform.io/ingress', value: 'none' }] },
      /"cdk-aks-platform.io\/ingress" is set by the construct/,
    ));
  test('a minAvailable that would block drains', () =>
    expectError(
      { disruptionBudget: DisruptionBudget.minAvailable(2) },
      /minAvailable 2 is not below the 2 replicas/,
    ));
  test('an IngressClass the tenant may not use', () =>
    expectError(
      {
        ingress: {
          host: 'a.example.com',
          className: 'public',
          allowedClasses: ['nginx'],
          controllerNamespace: 'ingress-nginx',
        },
      },
      /ingress\.className: "public" is not an allowed IngressClass \(allowed: nginx\)/,
    ));
  test('autoscaling with max below min', () =>
    expectError(
      { autoscaling: { minReplicas: 4, maxReplicas: 2 } },
      /autoscaling\.maxReplicas: must be a whole number from 4 to 1000, got 2/,
    ));
  test('a relative writable path', () =>
    expectError(
      { writablePaths: ['cache'] },
      /writablePaths\[0\]: "cache" is not an absolute directory path/,
    ));
  test('a writable path given twice, /tmp included, naming its index', () => {
    expectError(
      { writablePaths: ['/var/cache', '/var/cache'] },
      'HardenedDeployment test/demo-api: writablePaths[1]: "/var/cache" is given twice (/tmp is always writable)',
    );
    expectError(
      { writablePaths: ['/data', '/tmp'] },
      'HardenedDeployment test/demo-api: writablePaths[1]: "/tmp" is given twice (/tmp is always writable)',
    );
  });
  test('a Key Vault mount path that is also a writable path', () =>
    expectError(
      {
        writablePaths: ['/mnt/secrets-store'],
        keyVault: {
          vaultName: 'kv-dev-demo',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          clientId: '5c3f1a2b-8d4e-4f60-9a7b-0c1d2e3f4a5b',
          secrets: [{ name: 'db-password' }],
        },
      },
      'HardenedDeployment test/demo-api: keyVault.mountPath: "/mnt/secrets-store" is also a writable path',
    ));
  test('a config name given twice', () =>
    expectError(
      {
        config: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
      },
      'HardenedDeployment test/demo-api: config[1].name: "A" is given twice',
    ));
  test('a config name that is not a variable name', () =>
    expectError(
      { config: [{ name: 'A-B', value: '1' }] },
      /config\[0\]\.name: "A-B" is not an environment variable name/,
    ));
  test.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])(
    'a config name or label key cdk8s cannot write: %s',
    (key) => {
      expectError(
        { config: [{ name: key, value: '1' }] },
        `HardenedDeployment test/demo-api: config[0].name: "${key}" is the name of a built-in property of JavaScript objects, which cdk8s cannot write`,
      );
      expectError(
        { labels: [{ key, value: 'x' }] },
        `labels[0]: "${key}" is the name of a built-in property`,
      );
    },
  );
  test('every problem of the props is reported together', () =>
    expectError(
      { image: 'nginx', user: 0, writablePaths: ['cache'], resources: { memoryLimit: '1 GB' } },
      [
        'HardenedDeployment test/demo-api: 4 problems',
        '  - image: "nginx" has no tag: pin a version tag (not latest) or a sha256 digest',
        '  - user: must be a non-root numeric id (1 to 2147483647), got 0',
        '  - writablePaths[0]: "cache" is not an absolute directory path',
        '  - resources.memoryLimit: "1 GB" is not a Kubernetes quantity (e.g. "250m", "512Mi")',
      ].join('\n'),
    ));
  test('a bad name', () => {
    const chart = Testing.chart();
    expect(() => new HardenedDeployment(chart, 'Demo_API', BASE)).toThrow(
      /^HardenedDeployment test\/Demo_API: name: "Demo_API" must be a DNS label/,
    );
  });
});

test('kubernetes-models validation does reject an invalid object', () => {
  const result = validateWithKubernetesModels([
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two' } },
  ]);
  expect(result.errors).toHaveLength(1);
});

describe('HardenedDeployment part-of label, writable volumes and workload identity', () => {
  const KEY_VAULT = {
    vaultName: 'kv-dev-demo',
    tenantId: '72F988BF-86f1-41af-91ab-2d7cd011db47',
    clientId: '5C3F1A2B-8d4e-4f60-9a7b-0c1d2e3f4a5b',
    secrets: [{ name: 'db-password', envVar: 'DB_PASSWORD' }],
  };
  const build = (props: Partial<HardenedDeploymentProps>) => () =>
    new HardenedDeployment(Testing.chart(), 'demo-api', { ...BASE, ...props });

  test('partOf labels every object and the pods; a bad value is refused', () => {
    const { objects, one } = synth({ partOf: 'shop' });
    expect(objects.map((o) => o.metadata.labels['app.kubernetes.io/part-of'])).toEqual(
      objects.map(() => 'shop'),
    );
    expect(one('Deployment').spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
    expect(synth().one('Deployment').metadata.labels).not.toHaveProperty(['app.kubernetes.io/part-of']);
    expect(build({ partOf: 'Bad Value' })).toThrow(
      'HardenedDeployment test/demo-api: partOf[0]: "Bad Value" (key part-of) is not a label value',
    );
  });

  test('a tier outside the enum is refused', () =>
    expect(build({ tier: 'web' as WorkloadTier })).toThrow(
      'HardenedDeployment test/demo-api: tier: "web" must be one of frontend, backend, internal',
    ));

  test('one emptyDir per writable path, all with the given size limit', () => {
    const { one } = synth({ writablePaths: ['/a', '/b'], writableSizeLimit: Size.mebibytes(16) });
    const spec = one('Deployment').spec.template.spec;
    expect(spec.volumes).toEqual(
      ['tmp', 'writable-1', 'writable-2'].map((name) => ({ name, emptyDir: { sizeLimit: '16Mi' } })),
    );
    expect(spec.containers[0].volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'tmp' },
      { mountPath: '/a', name: 'writable-1' },
      { mountPath: '/b', name: 'writable-2' },
    ]);
  });

  test('Key Vault: ids lowercased on the ServiceAccount, a read-only CSI mount, env from the synced Secret', () => {
    const { one } = synth({ keyVault: KEY_VAULT });
    expect(one('ServiceAccount').metadata.annotations).toEqual({
      'azure.workload.identity/client-id': '5c3f1a2b-8d4e-4f60-9a7b-0c1d2e3f4a5b',
      'azure.workload.identity/tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
    });
    expect(synth().one('ServiceAccount').metadata.annotations).toBeUndefined();
    const pod = one('Deployment').spec.template;
    expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(synth().one('Deployment').spec.template.metadata.labels).not.toHaveProperty([
      'azure.workload.identity/use',
    ]);
    expect(pod.spec.volumes).toContainEqual({
      name: 'key-vault',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        volumeAttributes: { secretProviderClass: 'demo-api' },
      },
    });
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({
      mountPath: '/mnt/secrets-store',
      name: 'key-vault',
      readOnly: true,
    });
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { key: 'DB_PASSWORD', name: 'demo-api-kv' } } },
    ]);
  });

  test('Key Vault: the SecretProviderClass carries the labels of the workload', () => {
    const { one } = synth({ keyVault: KEY_VAULT, partOf: 'shop' });
    expect(one('SecretProviderClass').metadata.labels).toEqual(one('Deployment').metadata.labels);
    expect(one('SecretProviderClass').metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
  });

  test('Key Vault: its problems are reported under keyVault', () =>
    expect(build({ keyVault: { ...KEY_VAULT, secrets: [{ name: 'a', envVar: '1X' }] } })).toThrow(
      'HardenedDeployment test/demo-api: keyVault.secrets[0].envVar: "1X" is not an environment variable name',
    ));

  test('the API token is mounted only when asked for', () => {
    const { one } = synth({ automountServiceAccountToken: true });
    expect(one('ServiceAccount').automountServiceAccountToken).toBe(true);
    expect(one('Deployment').spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  test('an empty config makes no ConfigMap', () => {
    const { of, one } = synth({ config: [] });
    expect(of('ConfigMap')).toEqual([]);
    expect(one('Deployment').spec.template.spec.containers[0].envFrom).toBeUndefined();
  });

  test('a non-root group is required too', () =>
    expect(build({ group: 0 })).toThrow(
      'HardenedDeployment test/demo-api: group: must be a non-root numeric id (1 to 2147483647), got 0',
    ));

  test('Key Vault: a variable that is also a config entry is refused', () =>
    expect(build({ keyVault: KEY_VAULT, config: [{ name: 'DB_PASSWORD', value: 'x' }] })).toThrow(
      'HardenedDeployment test/demo-api: keyVault: envVar "DB_PASSWORD" is also a config entry',
    ));
});

describe('HardenedDeployment init containers', () => {
  const build = (props: Partial<HardenedDeploymentProps>) => () =>
    new HardenedDeployment(Testing.chart(), 'demo-api', { ...BASE, ...props });

  test('run hardened like the main container, with their own exact resources and no Key Vault mount', () => {
    const { one } = synth({
      writablePaths: ['/var/cache/nginx'],
      initContainers: [
        {
          name: 'migrate',
          image: 'ghcr.io/example/migrate:1.0.0',
          command: ['/migrate'],
          args: ['--up'],
          resources: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '96Mi', cpuLimit: '200m' },
        },
        { name: 'warm', image: 'busybox:1.37.0' },
      ],
    });
    const spec = one('Deployment').spec.template.spec;
    const main = spec.containers[0];
    const [migrate, warm] = spec.initContainers;
    expect(spec.initContainers).toHaveLength(2);
    expect(migrate).toMatchObject({
      name: 'migrate',
      image: 'ghcr.io/example/migrate:1.0.0',
      command: ['/migrate'],
      args: ['--up'],
      imagePullPolicy: 'IfNotPresent',
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '96Mi' } },
    });
    expect(migrate.securityContext).toEqual(main.securityContext);
    expect(migrate.volumeMounts).toEqual(main.volumeMounts);
    expect(warm.name).toBe('warm');
    expect(warm.command).toBeUndefined();
    expect(warm.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
    expect(main.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
  });

  test('do not see the Key Vault secrets the main container mounts', () => {
    const chart = Testing.chart();
    new HardenedDeployment(chart, 'demo-api', {
      ...BASE,
      keyVault: {
        vaultName: 'kv-dev-demo',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        clientId: '5c3f1a2b-8d4e-4f60-9a7b-0c1d2e3f4a5b',
        secrets: [{ name: 'db-password' }],
      },
      initContainers: [{ name: 'wait', image: 'busybox:1.37.0' }],
    });
    const spec = Testing.synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(spec.containers[0].volumeMounts.map((m: any) => m.name)).toContain('key-vault');
    expect(spec.initContainers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp']);
  });

  test.each(['a', '0', 'wait-for-db', 'a1-b2', 'x'.repeat(63)])(
    'accepts the DNS label %s as a name',
    (name) => {
      expect(build({ initContainers: [{ name, image: 'busybox:1.37.0' }] })).not.toThrow();
    },
  );

  test.each(['x'.repeat(64), 'Wait', '-wait', 'wait-', 'wait_db', 'wait.db', '', 'a b'])(
    'refuses %p as a name, which is not a DNS label',
    (name) => {
      expect(build({ initContainers: [{ name, image: 'busybox:1.37.0' }] })).toThrow(
        `HardenedDeployment test/demo-api: initContainers[0].name: "${name}" is not a DNS label`,
      );
    },
  );

  test('refuses a name used by the main container or another init container', () => {
    expect(build({ initContainers: [{ name: 'main', image: 'busybox:1.37.0' }] })).toThrow(
      'HardenedDeployment test/demo-api: initContainers[0].name: "main" is used by another container',
    );
    expect(
      build({
        initContainers: [
          { name: 'wait', image: 'busybox:1.37.0' },
          { name: 'wait', image: 'busybox:1.37.0' },
        ],
      }),
    ).toThrow(
      'HardenedDeployment test/demo-api: initContainers[1].name: "wait" is used by another container',
    );
  });

  test('refuses bad resources of an init container, under its own path', () => {
    expect(
      build({
        initContainers: [{ name: 'wait', image: 'busybox:1.37.0', resources: { memoryRequest: '1Gi' } }],
      }),
    ).toThrow(
      /initContainers\[0\]\.resources\.memoryRequest: "1Gi" is more than initContainers\[0\]\.resources\.memoryLimit "256Mi"/,
    );
  });
});

describe('HardenedDeployment version label and ephemeral storage', () => {
  const version = (image: string) =>
    synth({ image }).one('Deployment').metadata.labels['app.kubernetes.io/version'];

  test.each([
    ['nginx:1', '1'],
    ['nginx:v1.2.3-alpine_x', 'v1.2.3-alpine_x'],
    ['nginx:' + 'a'.repeat(63), 'a'.repeat(63)],
    ['nginx:A' + '-'.repeat(61) + 'Z', 'A' + '-'.repeat(61) + 'Z'],
  ])('the tag of %s is the version label', (image, label) => {
    expect(version(image)).toBe(label);
  });

  test.each([
    'nginx:' + 'a'.repeat(64),
    'nginx:_1.0',
    'nginx:1.0_',
    'nginx:1.0.',
    'nginx:1.0-',
    'nginx@sha256:' + 'a'.repeat(64),
  ])('no version label for %s, whose tag is not a label value', (image) => {
    const { one } = synth({ image });
    const deployment = one('Deployment');
    expect(deployment.metadata.labels).not.toHaveProperty(['app.kubernetes.io/version']);
    expect(deployment.spec.template.metadata.labels).not.toHaveProperty(['app.kubernetes.io/version']);
  });

  test('the version label is on every object of the workload and on its pods', () => {
    const { objects, one } = synth({ image: 'nginx:1.27.3' });
    expect(objects.map((o) => o.metadata.labels?.['app.kubernetes.io/version'])).toEqual(
      objects.map(() => '1.27.3'),
    );
    expect(one('Deployment').spec.template.metadata.labels['app.kubernetes.io/version']).toBe('1.27.3');
  });

  test('ephemeral storage request and limit are emitted as given, and left out when not given', () => {
    const main = (resources: HardenedDeploymentProps['resources']) =>
      synth({ resources }).one('Deployment').spec.template.spec.containers[0];
    expect(main({ ephemeralStorageRequest: '100Mi', ephemeralStorageLimit: '1Gi' }).resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '100Mi' },
      limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' },
    });
    expect(main({ ephemeralStorageLimit: '1Gi' }).resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' },
    });
    expect(main({ ephemeralStorageRequest: '100Mi' }).resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '100Mi' },
      limits: { memory: '256Mi' },
    });
  });
});
