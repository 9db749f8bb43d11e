/** Pods for the policy tests. */

type Json = Record<string, any>;

const hardenedContainer = (name: string) => ({
  name,
  image: 'nginxinc/nginx-unprivileged:1.27.3',
  ports: [{ containerPort: 8080, protocol: 'TCP' }],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  readinessProbe: { httpGet: { path: '/', port: 8080 } },
  livenessProbe: { httpGet: { path: '/', port: 8080 } },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 101,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
});

/**
 * A pod as the hardened workloads emit it: Pod Security restricted, labelled, requests and memory
 * limit, probes, read-only root file system, a pinned image, in a tenant namespace.
 */
export function compliantPod(): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'demo-api-7d9f8-abcde',
      namespace: 'dev-demo',
      labels: { 'app.kubernetes.io/name': 'demo-api', 'app.kubernetes.io/tier': 'backend' },
      annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'demo-api-7d9f8', uid: 'u', controller: true },
      ],
    },
    spec: {
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 101,
        runAsGroup: 101,
        fsGroup: 101,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      },
      initContainers: [
        {
          ...hardenedContainer('init'),
          image: 'busybox@sha256:' + 'a'.repeat(64),
          ports: undefined,
          readinessProbe: undefined,
          livenessProbe: undefined,
        },
      ],
      containers: [hardenedContainer('app')],
      volumes: [
        { name: 'tmp', emptyDir: {} },
        { name: 'config', configMap: { name: 'demo-api' } },
        { name: 'token', projected: { sources: [] } },
      ],
    },
  };
}

/** A deep copy without the keys set to undefined (as YAML would have it). */
export function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** A compliant pod changed by `fn`. */
export function podWith(fn: (pod: Json) => void): Json {
  const pod = clean(compliantPod());
  fn(pod);
  return clean(pod);
}
