/**
 * A platform file that sets every key of the schema at least once (a test walks the schema to
 * keep it so), with the non-default choice wherever there is one: a private API server, Cilium,
 * referenced groups, members, Capsule administrators of each kind, user pools with labels and
 * taints, workloads of each kind, a created and a referenced Key Vault, state in Azure Storage,
 * every opt-in add-on. Keys that exclude each other are set in different places:
 * `cluster.apiServer.authorizedIpRanges` excludes `private` (the reference platform sets it), a
 * referenced registry is in `alternativesPlatform`, and the two maintenance windows use the two
 * monthly schedules.
 */
export function everyOptionPlatform(): Record<string, any> {
  return {
    name: 'every-option',
    azure: {
      subscriptionId: '00000000-0000-4000-8000-000000000001',
      location: 'westeurope',
      resourceGroup: 'every-option-rg',
      nodeResourceGroup: 'every-option-nodes',
      state: {
        storageAccount: 'everyoptionstate',
        container: 'platform-state',
        keyPrefix: 'platforms/every-option/',
        resourceGroup: 'every-option-state',
        subscriptionId: '00000000-0000-4000-8000-000000000002',
      },
    },
    cluster: {
      kubernetesVersion: '1.33',
      skuTier: 'Premium',
      network: { plugin: 'azure', mode: 'overlay', policy: 'cilium' },
      apiServer: { private: true },
      upgrade: { channel: 'stable', nodeOs: 'SecurityPatch' },
      systemPool: {
        vmSize: 'Standard_D8ds_v5',
        minCount: 3,
        maxCount: 6,
        maxPods: 60,
        zones: [1, '2', 3],
        osDiskType: 'Managed',
        hostEncryption: false,
      },
      userPools: [
        {
          name: 'apps',
          vmSize: 'Standard_D4ds_v5',
          minCount: 2,
          maxCount: 12,
          maxPods: 80,
          zones: ['1', '2'],
          osDiskType: 'Ephemeral',
          hostEncryption: true,
          labels: { 'example.com/team': 'payments', workload: 'general' },
          taints: ['dedicated=apps:NoSchedule', 'example.com/spot=:PreferNoSchedule'],
        },
        { name: 'batch', minCount: 1, maxCount: 3, labels: {}, taints: ['batch=true:NoExecute'] },
      ],
      logRetentionDays: 90,
      maintenance: {
        utcOffset: '+02:00',
        upgrade: {
          frequency: 'RelativeMonthly',
          interval: 2,
          weekIndex: 'First',
          dayOfWeek: 'Sunday',
          startTime: '22:30',
          durationHours: 8,
          notAllowed: [{ start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z' }],
        },
        nodeOs: {
          frequency: 'AbsoluteMonthly',
          dayOfMonth: 15,
          interval: 1,
          startTime: '03:00',
          durationHours: 6,
        },
      },
      runCommand: true,
      imageCleaner: { enabled: true, intervalHours: 48 },
      auditLogs: { enabled: true, apiServer: true, retentionDays: 180 },
      controlPlaneIdentity: 'UserAssigned',
      addons: { defender: true, azurePolicy: true, managedPrometheus: true, applicationRouting: true },
    },
    groups: {
      admins: {
        displayName: 'Platform admins',
        description: 'Cluster administrators of every-option',
        members: ['0b3f9a5e-1c2d-4e6f-8a7b-9c0d1e2f3a4b'],
      },
      ops: { displayName: 'Platform operators', description: 'GitOps operators' },
      tenants: { displayName: 'Capsule users' },
      payments: {
        displayName: 'Payments team',
        // a user and a group, by object id
        members: ['6a1e2f3b-4c5d-4e7f-8a9b-0c1d2e3f4a5b', 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a'],
      },
      sre: { objectId: '0FD5E5BB-39BB-468C-B343-DCDFB01E92D0' },
      auditors: { objectId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' },
    },
    admins: ['admins', 'auditors'],
    kyverno: {
      namespace: 'policy-engine',
      replicas: { admission: 4, background: 3, cleanup: 2, reports: 3 },
      podSecurity: 'baseline',
      podSecurityVersion: '1.33',
      action: 'Audit',
      policies: {
        'require-probes': { enabled: false },
        'disallow-latest-tag': { action: 'Enforce', enabled: true },
      },
      exceptionNamespace: 'policy-exceptions',
      imageVerification: {
        images: ['everyoption.azurecr.io/*'],
        issuer: 'https://token.actions.githubusercontent.com',
        subject: 'https://github.com/example/payments/.github/workflows/release.yml@refs/heads/main',
        action: 'Audit',
      },
      allowedRegistries: ['everyoption.azurecr.io', 'mcr.microsoft.com/oss'],
      policyApi: 'policies.kyverno.io/v1',
      exceptions: [
        {
          name: 'legacy-writable-root',
          policies: ['require-ro-rootfs'],
          namespace: 'payments-api',
          workloads: ['api'],
          reason: 'The legacy image writes its cache under /var/cache; fixed in the next release.',
          expiresAt: '2027-01-31T00:00:00Z',
        },
      ],
    },
    capsule: {
      users: 'tenants',
      forceTenantPrefix: true,
      namespace: 'tenancy-system',
      replicas: 3,
      administrators: [
        { kind: 'User', name: 'deployer@example.com' },
        { kind: 'Group', name: 'ops' },
        { kind: 'ServiceAccount', name: 'flux-system:kustomize-controller' },
      ],
      proxy: { dnsLabel: 'every-option-proxy', replicas: 3, internalIp: '10.224.0.250' },
      guardrails: { action: 'Audit', exemptServiceAccountNamespaces: ['flux-system'] },
    },
    // The IngressClass of another NGINX controller of the application routing add-on.
    ingress: { namespace: 'app-routing-system', className: 'nginx-public' },
    containerRegistry: { name: 'everyoption', sku: 'Premium', publicNetworkAccess: false },
    tenants: [
      {
        name: 'payments',
        owners: ['payments', 'sre'],
        namespaceQuota: 6,
        quota: { 'requests.cpu': '16', 'limits.memory': '64Gi', pods: 200, 'count/deployments.apps': '40' },
        limits: {
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          default: { cpu: '1', memory: '512Mi' },
        },
        ingressClasses: ['nginx-internal'],
        storageClasses: ['managed-csi-premium'],
        serviceTypes: { loadBalancer: true, nodePort: true, externalName: true },
        registries: ['everyoption.azurecr.io'],
        nodePool: 'apps',
        internetEgress: true,
        preventDeletion: false,
      },
    ],
    keyVaults: {
      payments: {
        name: 'every-option-payments',
        sku: 'premium',
        softDeleteRetentionDays: 30,
        publicNetworkAccess: false,
      },
      shared: {
        tenant: 'payments',
        resourceId:
          '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/shared-secrets/providers/Microsoft.KeyVault/vaults/payments-shared',
      },
    },
    workloads: [
      {
        name: 'api',
        tenant: 'payments',
        namespace: 'payments-api',
        kind: 'Deployment',
        image: 'everyoption.azurecr.io/payments/api:2.4.1',
        port: 8443,
        replicas: 3,
        labels: { 'app.kubernetes.io/tier': 'backend', 'example.com/owner': 'payments' },
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi', cpu: '2' } },
        runAsUser: 20001,
        runAsGroup: 20001,
        writablePaths: ['/var/cache/api'],
        probes: { readinessPath: '/ready', livenessPath: '/healthz' },
        autoscaling: { minReplicas: 3, maxReplicas: 12, cpuUtilization: 60 },
        zoneSpread: 'DoNotSchedule',
        allowFrom: [
          { workload: 'worker' },
          { namespace: 'payments-api', labels: { 'app.kubernetes.io/name': 'api' } },
        ],
        ingress: {
          host: 'payments.example.com',
          path: '/api',
          className: 'nginx-internal',
          tlsSecretName: 'payments-tls',
        },
        config: { LOG_LEVEL: 'info', FEATURE_FLAGS: 'refunds,disputes' },
        keyVault: {
          name: 'kv-payments',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          clientId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
          mountPath: '/mnt/secrets',
          secrets: [
            { name: 'db-password', type: 'secret', file: 'db-password', env: 'DB_PASSWORD' },
            { name: 'signing-key', type: 'key' },
          ],
        },
      },
      {
        name: 'worker',
        tenant: 'payments',
        namespace: 'payments-api',
        kind: 'StatefulSet',
        image: 'everyoption.azurecr.io/payments/worker@sha256:' + 'a'.repeat(64),
        port: 9090,
        replicas: 2,
        zoneSpread: 'None',
        storage: { size: '20Gi', mountPath: '/var/lib/worker', storageClass: 'managed-csi-premium' },
        // A referenced vault, read with an identity the infra stack creates (a secret and a key)
        keyVault: {
          vault: 'shared',
          secrets: [{ name: 'worker-token' }, { name: 'worker-signing', type: 'key' }],
        },
      },
      {
        name: 'nightly-report',
        tenant: 'payments',
        namespace: 'payments-batch',
        kind: 'CronJob',
        image: 'everyoption.azurecr.io/payments/report:1.0.0',
        schedule: '30 2 * * *',
        command: ['/bin/report'],
        args: ['--since', '24h'],
        // The tenant's vault, read with an identity made elsewhere (its tenant: the platform's)
        keyVault: { clientId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', secrets: [{ name: 'smtp-password' }] },
      },
      {
        name: 'migrate',
        tenant: 'payments',
        namespace: 'payments-batch',
        kind: 'Job',
        image: 'everyoption.azurecr.io/payments/migrate:3.2.0',
      },
    ],
  };
}

/** The keys every-option cannot set with the others: a registry referenced by resource id. */
export function alternativesPlatform(): Record<string, any> {
  const p = everyOptionPlatform();
  p.containerRegistry = {
    resourceId:
      '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/shared-images/providers/Microsoft.ContainerRegistry/registries/sharedimages',
  };
  return p;
}
