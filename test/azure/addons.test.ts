import { parse } from 'yaml';
import { AKS_ENTRA_SERVER_ID, AksHelmProvider } from '../../lib/azure/addons/aks-helm-provider';
import { CapsuleProxyRelease } from '../../lib/azure/addons/capsule-proxy-release';
import { CapsuleRelease, CapsuleSubjectKind } from '../../lib/azure/addons/capsule-release';
import { CertManagerRelease } from '../../lib/azure/addons/cert-manager-release';
import { KyvernoRelease } from '../../lib/azure/addons/kyverno-release';
import { PlatformError } from '../../lib/platform-file';
import { resources, synth, testStack } from './helpers';

const ADMINS = '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13';
const USERS = '8d4e6f20-1b3c-4a7e-8f95-6c2a1d9e0b47';

/** The synthesized release of a chart and its parsed values. */
function release(build: (stack: ReturnType<typeof testStack>) => void, chart: string) {
  const stack = testStack();
  build(stack);
  const r = Object.values(resources(synth(stack), 'helm_release')).find((x) => x.chart === chart);
  expect(r).toBeDefined();
  expect(r.values).toHaveLength(1);
  return { release: r, values: parse(r.values[0]) };
}

describe('AksHelmProvider', () => {
  test('authenticates with kubelogin against the AKS Entra server application, no stored credential', () => {
    const stack = testStack();
    new AksHelmProvider(stack, 'aks', {
      host: 'https://demo.hcp.francecentral.azmk8s.io:443',
      clusterCaCertificateBase64: 'Q0E=',
    });
    const providers = synth(stack).provider.helm;
    const aks = providers.find((p: any) => p.kubernetes?.host);
    expect(aks.kubernetes).toEqual({
      host: 'https://demo.hcp.francecentral.azmk8s.io:443',
      cluster_ca_certificate: '${base64decode("Q0E=")}',
      exec: {
        api_version: 'client.authentication.k8s.io/v1beta1',
        command: 'kubelogin',
        args: ['get-token', '--login', 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID],
      },
    });
    expect(AKS_ENTRA_SERVER_ID).toBe('6dae42f8-4368-4678-94ff-3960e28e3630');
  });
});

describe('KyvernoRelease', () => {
  const { release: r, values } = release((s) => new KyvernoRelease(s, 'kyverno'), 'kyverno');

  test('pins chart 3.9.0 from the Kyverno repository', () => {
    expect(r).toMatchObject({
      name: 'kyverno',
      version: '3.9.0',
      repository: 'https://kyverno.github.io/kyverno/',
      namespace: 'kyverno',
      atomic: true,
    });
  });

  test('runs in HA: admission 3, background/cleanup/reports 2, each with a disruption budget', () => {
    expect(values.admissionController.replicas).toBe(3);
    expect(values.backgroundController.replicas).toBe(2);
    expect(values.cleanupController.replicas).toBe(2);
    expect(values.reportsController.replicas).toBe(2);
    for (const c of [
      'admissionController',
      'backgroundController',
      'cleanupController',
      'reportsController',
    ]) {
      expect(values[c].podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
      expect(values[c].podDisruptionBudget).not.toHaveProperty('maxUnavailable');
    }
  });

  test.each([
    ['admissionController', 'admission-controller'],
    ['backgroundController', 'background-controller'],
    ['cleanupController', 'cleanup-controller'],
    ['reportsController', 'reports-controller'],
  ])('%s spreads over zones with a selector matching its own pods', (key, component) => {
    expect(values[key].topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: {
          matchLabels: { 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': 'kyverno' },
        },
      },
    ]);
  });

  test('memory limits raised, no CPU limits, admission resources under container', () => {
    expect(values.admissionController.container.resources.limits).toEqual({ memory: '1Gi' });
    expect(values.admissionController).not.toHaveProperty('resources');
    for (const c of ['backgroundController', 'cleanupController', 'reportsController']) {
      expect(values[c].resources.limits).toEqual({ memory: '512Mi' });
    }
  });

  test('kube-system excluded, the AKS enforcer annotation kept, exceptions in one namespace', () => {
    expect(values.config.webhooks.namespaceSelector.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
    ]);
    expect(values.config.webhookAnnotations).toEqual({ 'admissions.enforcer/disabled': 'true' });
    expect(values.config.excludeKyvernoNamespace).toBe(true);
    expect(values.features.policyExceptions).toEqual({ enabled: true, namespace: 'kyverno-exceptions' });
  });

  test('values follow the props', () => {
    const { values: v } = release(
      (s) =>
        new KyvernoRelease(s, 'kyverno', {
          replicas: { admission: 5, reports: 3 },
          policyExceptionNamespace: 'exceptions',
          admissionMemoryLimit: '2Gi',
          additionalExcludedNamespaces: ['gatekeeper-system'],
        }),
      'kyverno',
    );
    expect(v.admissionController.replicas).toBe(5);
    expect(v.reportsController.replicas).toBe(3);
    expect(v.backgroundController.replicas).toBe(2);
    expect(v.admissionController.container.resources.limits.memory).toBe('2Gi');
    expect(v.features.policyExceptions.namespace).toBe('exceptions');
    expect(v.config.webhooks.namespaceSelector.matchExpressions[0].values).toEqual([
      'kube-system',
      'gatekeeper-system',
    ]);
  });

  test.each<[string, object, RegExp]>([
    [
      'admission below 3',
      { replicas: { admission: 2 } },
      /KyvernoRelease\.replicas\.admission must be a whole number from 3 to 15, got 2/,
    ],
    [
      'a controller below 2',
      { replicas: { cleanup: 1 } },
      /KyvernoRelease\.replicas\.cleanup must be a whole number from 2 to 15, got 1/,
    ],
    [
      'exceptions in the Kyverno namespace',
      { policyExceptionNamespace: 'kyverno' },
      /policyExceptionNamespace "kyverno" is the Kyverno namespace/,
    ],
    [
      'a bad memory limit',
      { controllerMemoryLimit: 'lots' },
      /controllerMemoryLimit must be a Kubernetes quantity .*got "lots"/,
    ],
    ['kube-system twice', { additionalExcludedNamespaces: ['kube-system'] }, /lists "kube-system" twice/],
    [
      'a bad namespace',
      { namespace: 'Kyverno' },
      /KyvernoRelease\.namespace must be a DNS label .*got "Kyverno"/,
    ],
  ])('rejects %s', (_what, props, message) => {
    const build = () => new KyvernoRelease(testStack(), 'k', props);
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  });
});

describe('CapsuleRelease', () => {
  const build = (props: object = {}) =>
    release(
      (s) =>
        new CapsuleRelease(s, 'capsule', {
          certManager: new CertManagerRelease(s, 'cert-manager'),
          usersGroupObjectId: USERS,
          adminGroupObjectIds: [ADMINS],
          ...props,
        }),
      'capsule',
    );
  const { release: r, values } = build();

  test('follows the cert-manager release it is given, by a static reference, in any stack', () => {
    // GIVEN a plain TerraformStack (hashed names), not the AddonsStack
    const stack = testStack();
    const certManager = new CertManagerRelease(stack, 'cm');
    // WHEN
    new CapsuleRelease(stack, 'capsule', {
      certManager,
      usersGroupObjectId: USERS,
      adminGroupObjectIds: [ADMINS],
    });
    // THEN Terraform gets `helm_release.<name>`, the only form depends_on accepts
    const releases = resources(synth(stack), 'helm_release');
    const name = (chart: string) => Object.keys(releases).find((k) => releases[k].chart === chart);
    expect(releases[name('capsule')!].depends_on).toEqual([`helm_release.${name('cert-manager')}`]);
  });

  test('pins the OCI chart 0.14.0', () => {
    expect(r).toMatchObject({
      name: 'capsule',
      chart: 'capsule',
      version: '0.14.0',
      repository: 'oci://ghcr.io/projectcapsule/charts',
      namespace: 'capsule-system',
    });
  });

  test('users is exactly the Capsule users group, replacing the chart default', () => {
    expect(values.manager.options.users).toEqual([{ kind: 'Group', name: USERS }]);
    expect(JSON.stringify(values)).not.toContain('projectcapsule.dev');
    expect(values.manager.options).not.toHaveProperty('capsuleUserGroups');
  });

  test('tenant prefix forced, admin group ignored under the key the chart reads', () => {
    expect(values.manager.options.forceTenantPrefix).toBe(true);
    expect(values.manager.options.ignoreUserWithGroups).toEqual([ADMINS]);
    expect(values.manager.options).not.toHaveProperty('ignoreUserGroups');
  });

  test('admin groups are ignored, never administrators; administrators are explicit', () => {
    expect(values.manager.options.administrators).toEqual([]);
    const explicit = build({
      administrators: [
        {
          kind: CapsuleSubjectKind.SERVICE_ACCOUNT,
          name: 'system:serviceaccount:flux-system:kustomize-controller',
        },
      ],
    }).values;
    expect(explicit.manager.options.administrators).toEqual([
      { kind: 'ServiceAccount', name: 'system:serviceaccount:flux-system:kustomize-controller' },
    ]);
    expect(() => build({ administrators: [{ kind: CapsuleSubjectKind.GROUP, name: ADMINS }] })).toThrow(
      /administrators\[0\]: ".*" is an admin group, which Capsule ignores/,
    );
  });

  test('two replicas with leader election, zone spread and a disruption budget on its pods', () => {
    const selector = { 'app.kubernetes.io/name': 'capsule', 'app.kubernetes.io/instance': 'capsule' };
    expect(values.replicaCount).toBe(2);
    expect(values.manager.options.leaderElection).toEqual({ enabled: true });
    expect(values.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(selector);
    expect(values.extraManifests).toEqual([
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'capsule-controller-manager' },
        spec: { minAvailable: 1, selector: { matchLabels: selector } },
      },
    ]);
  });

  test('webhook timeout: 10 s by default, as given otherwise', () => {
    expect(values.webhooks).toEqual({
      mutatingWebhooksTimeoutSeconds: 10,
      validatingWebhooksTimeoutSeconds: 10,
    });
    expect(build({ webhookTimeoutSeconds: 5 }).values.webhooks).toEqual({
      mutatingWebhooksTimeoutSeconds: 5,
      validatingWebhooksTimeoutSeconds: 5,
    });
  });

  test.each<[string, object, RegExp]>([
    [
      'a webhook timeout above the API server maximum',
      { webhookTimeoutSeconds: 31 },
      /CapsuleRelease\.webhookTimeoutSeconds must be a whole number from 1 to 30, got 31/,
    ],
    ['one replica', { replicas: 1 }, /CapsuleRelease\.replicas must be a whole number from 2 to 10, got 1/],
    [
      'a users group that is not an object id',
      { usersGroupObjectId: 'tenants' },
      /CapsuleRelease\.usersGroupObjectId must be an Entra object id .*got "tenants"/,
    ],
    [
      'an admin group that is not an object id',
      { adminGroupObjectIds: ['admins'] },
      /CapsuleRelease\.adminGroupObjectIds\[0\] must be an Entra object id/,
    ],
  ])('rejects %s', (_what, props, message) => {
    const build = () => {
      const stack = testStack();
      return new CapsuleRelease(stack, 'c', {
        certManager: new CertManagerRelease(stack, 'cm'),
        usersGroupObjectId: USERS,
        adminGroupObjectIds: [ADMINS],
        ...props,
      });
    };
    expect(build).toThrow(PlatformError);
    expect(build).toThrow(message);
  });
});

/** The releases the proxy follows, in a stack. */
function proxyPrerequisites(stack: ReturnType<typeof testStack>, capsuleNamespace?: string) {
  const certManager = new CertManagerRelease(stack, 'cert-manager');
  const capsule = new CapsuleRelease(stack, 'capsule', {
    certManager,
    usersGroupObjectId: USERS,
    adminGroupObjectIds: [ADMINS],
    namespace: capsuleNamespace,
  });
  return { certManager, capsule };
}

describe('CapsuleProxyRelease', () => {
  const build = (props: object = {}) =>
    release(
      (s) =>
        new CapsuleProxyRelease(s, 'proxy', {
          ...proxyPrerequisites(s),
          dnsLabel: 'aw-capsule-proxy',
          location: 'francecentral',
          adminGroupObjectIds: [ADMINS],
          allowedSourceRanges: ['203.0.113.0/24'],
          ...props,
        }),
      'capsule-proxy',
    );

  test('follows cert-manager and Capsule by static references, and joins the Capsule namespace', () => {
    const stack = testStack();
    new CapsuleProxyRelease(stack, 'proxy', {
      ...proxyPrerequisites(stack, 'tenancy'),
      dnsLabel: 'aw-capsule-proxy',
      location: 'francecentral',
      adminGroupObjectIds: [ADMINS],
      allowedSourceRanges: ['203.0.113.0/24'],
    });
    const releases = resources(synth(stack), 'helm_release');
    const name = (chart: string) => Object.keys(releases).find((k) => releases[k].chart === chart);
    const proxy = releases[name('capsule-proxy')!];
    expect(proxy.depends_on).toEqual([
      `helm_release.${name('cert-manager')}`,
      `helm_release.${name('capsule')}`,
    ]);
    expect(proxy.namespace).toBe('tenancy');
  });

  test('a LoadBalancer on 443 with the Azure DNS label, and that FQDN in the certificate', () => {
    const { release: r, values } = build();
    expect(r).toMatchObject({
      chart: 'capsule-proxy',
      version: '0.14.0',
      repository: 'oci://ghcr.io/projectcapsule/charts',
    });
    expect(values.service).toEqual({
      type: 'LoadBalancer',
      port: 443,
      annotations: {
        'service.beta.kubernetes.io/azure-dns-label-name': 'aw-capsule-proxy',
        // no wider than the API server it forwards to
        'service.beta.kubernetes.io/azure-allowed-ip-ranges': '203.0.113.0/24',
      },
    });
    expect(values.certManager.generateCertificates).toBe(true);
    expect(values.certManager.certificate.dnsNames).toEqual([
      'aw-capsule-proxy.francecentral.cloudapp.azure.com',
    ]);
  });

  test('admins ignored; leader election, spread and a budget when replicated', () => {
    const { values } = build();
    expect(values.options.ignoredUserGroups).toEqual([ADMINS]);
    expect(values.replicaCount).toBe(2);
    expect(values.options.leaderElection).toBe(true);
    expect(values.extraManifests[0]).toMatchObject({
      kind: 'PodDisruptionBudget',
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'capsule-proxy' } } },
    });
  });

  test('a private cluster gets an internal load balancer with no public DNS label', () => {
    const { values } = build({ allowedSourceRanges: undefined, internal: true });
    expect(values.service.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
    });
    expect(values.certManager.certificate).toEqual({ includeInternalServiceNames: true });
  });

  test('a public proxy without source ranges is refused', () => {
    expect(() => build({ allowedSourceRanges: [] })).toThrow(
      /allowedSourceRanges must list at least one range/,
    );
  });

  test('a single replica runs without leader election or budget', () => {
    const { values } = build({ replicas: 1 });
    expect(values.replicaCount).toBe(1);
    expect(values.options.leaderElection).toBe(false);
    expect(values).not.toHaveProperty('extraManifests');
  });

  test.each<[string, object, RegExp]>([
    ['a bad DNS label', { dnsLabel: 'Proxy' }, /CapsuleProxyRelease\.dnsLabel must be 3 to 63 .*got "Proxy"/],
    [
      'a bad location',
      { location: 'France Central' },
      /CapsuleProxyRelease\.location must be an Azure region name .*got "France Central"/,
    ],
    [
      'zero replicas',
      { replicas: 0 },
      /CapsuleProxyRelease\.replicas must be a whole number from 1 to 10, got 0/,
    ],
  ])('rejects %s', (_what, props, message) => {
    const make = () => {
      const stack = testStack();
      return new CapsuleProxyRelease(stack, 'p', {
        ...proxyPrerequisites(stack),
        dnsLabel: 'aw-capsule-proxy',
        location: 'francecentral',
        adminGroupObjectIds: [ADMINS],
        ...props,
      });
    };
    expect(make).toThrow(PlatformError);
    expect(make).toThrow(message);
  });
});

describe('CertManagerRelease', () => {
  test('a pinned v1 chart with its CRDs installed and kept, in HA', () => {
    const { release: r, values } = release((s) => new CertManagerRelease(s, 'cm'), 'cert-manager');
    expect(r).toMatchObject({
      name: 'cert-manager',
      repository: 'https://charts.jetstack.io',
      namespace: 'cert-manager',
    });
    expect(r.version).toMatch(/^v1\.\d+\.\d+$/);
    expect(values.crds).toEqual({ enabled: true, keep: true });
    expect(values).not.toHaveProperty('installCRDs');
    // cert-manager's own guidance: 2 leader-elected controllers and CA injectors, 3 webhooks.
    expect(values.replicaCount).toBe(2);
    expect(values.cainjector.replicaCount).toBe(2);
    expect(values.webhook.replicaCount).toBe(3);
    for (const v of [values, values.webhook, values.cainjector]) {
      expect(v.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    }
  });

  test('rejects zero replicas', () => {
    expect(() => new CertManagerRelease(testStack(), 'cm', { replicas: 0 })).toThrow(
      /CertManagerRelease\.replicas must be a whole number from 1 to 10, got 0/,
    );
    expect(() => new CertManagerRelease(testStack(), 'cm', { webhookReplicas: 0 })).toThrow(
      /CertManagerRelease\.webhookReplicas must be a whole number from 1 to 10, got 0/,
    );
  });

  test('webhook replicas apart from the controller and CA injector', () => {
    const { values } = release(
      (s) => new CertManagerRelease(s, 'cm', { replicas: 1, webhookReplicas: 5 }),
      'cert-manager',
    );
    expect([values.replicaCount, values.cainjector.replicaCount, values.webhook.replicaCount]).toEqual([
      1, 1, 5,
    ]);
    expect(values.podDisruptionBudget).toEqual({ enabled: false });
    expect(values.webhook.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });

  test('a single replica renders no budget', () => {
    const { values } = release((s) => new CertManagerRelease(s, 'cm', { replicas: 1 }), 'cert-manager');
    expect(values.podDisruptionBudget).toEqual({ enabled: false });
  });
});
