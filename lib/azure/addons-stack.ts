import type { Construct } from 'constructs';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { AksHelmProvider } from './addons/aks-helm-provider';
import { AksKubernetesProvider } from './addons/aks-kubernetes-provider';
import { CapsuleProxyCa } from './addons/capsule-proxy-ca';
import { CapsuleProxyRelease } from './addons/capsule-proxy-release';
import { CapsuleRelease, CapsuleSubjectKind } from './addons/capsule-release';
import { CertManagerRelease } from './addons/cert-manager-release';
import { KyvernoRelease } from './addons/kyverno-release';
import { TenantKubeconfig } from './addons/tenant-kubeconfig';
import { stateBackendFromSpec } from './from-spec';
import type { InfraStack, InfraStackProps } from './infra-stack';
import { PlatformStack } from './platform-stack';

/** Properties of the {@link AddonsStack}. */
export interface AddonsStackProps extends InfraStackProps {
  /** The stack that creates the cluster and the groups. */
  readonly infra: InfraStack;
}

/**
 * The `addons` stack: Helm releases of cert-manager, Kyverno, Capsule and capsule-proxy, the CA
 * of capsule-proxy, and the kubeconfig of every tenant's owners (outputs
 * `tenant_<tenant>_kubeconfig`). A separate stack because a provider cannot be configured from a
 * cluster created in the same apply; it reads the cluster and the group ids from `infra`
 * (cross-stack references).
 */
export class AddonsStack extends PlatformStack {
  public readonly certManager: CertManagerRelease;
  public readonly kyverno: KyvernoRelease;
  public readonly capsule: CapsuleRelease;
  public readonly capsuleProxy: CapsuleProxyRelease;
  public readonly capsuleProxyCa: CapsuleProxyCa;
  /** The owners' kubeconfig of each tenant, in the order of the platform file. */
  public readonly kubeconfigs: TenantKubeconfig[];

  constructor(scope: Construct, id: string, props: AddonsStackProps) {
    super(scope, id);
    const { spec, infra } = props;
    (props.stateBackend ?? stateBackendFromSpec(spec)).applyTo(this);
    const cluster = {
      host: infra.cluster.apiServerHost,
      clusterCaCertificateBase64: infra.cluster.clusterCaCertificate,
    };
    new AksHelmProvider(this, 'helm', cluster);
    new AksKubernetesProvider(this, 'kubernetes', cluster);
    new TlsProvider(this, 'tls', {});
    const adminIds = spec.admins.map((k) => infra.group(k).objectId);

    this.certManager = new CertManagerRelease(this, 'cert-manager');
    this.kyverno = new KyvernoRelease(this, 'kyverno', {
      namespace: spec.kyverno.namespace,
      replicas: spec.kyverno.replicas,
      policyExceptionNamespace: spec.kyverno.exceptionNamespace,
      // The network policy engine must start even while Kyverno is down.
      additionalExcludedNamespaces:
        spec.cluster.network.policy === 'calico' ? ['calico-system', 'tigera-operator'] : [],
    });
    this.capsule = new CapsuleRelease(this, 'capsule', {
      certManager: this.certManager,
      namespace: spec.capsule.namespace,
      replicas: spec.capsule.replicas,
      forceTenantPrefix: spec.capsule.forceTenantPrefix,
      usersGroupObjectId: infra.group(spec.capsule.users).objectId,
      adminGroupObjectIds: adminIds,
      administrators: spec.capsule.administrators.map((a) => ({
        kind: a.kind as CapsuleSubjectKind,
        name:
          a.kind === 'Group'
            ? infra.group(a.name).objectId
            : a.kind === 'ServiceAccount'
              ? `system:serviceaccount:${a.name}`
              : a.name,
      })),
    });
    this.capsuleProxyCa = new CapsuleProxyCa(this, 'capsule-proxy-ca', {
      capsule: this.capsule,
      commonName: `${spec.name} capsule-proxy CA`,
    });
    this.capsuleProxy = new CapsuleProxyRelease(this, 'capsule-proxy', {
      ca: this.capsuleProxyCa,
      internalIp: spec.capsule.proxy.internalIp,
      certManager: this.certManager,
      capsule: this.capsule,
      replicas: spec.capsule.proxy.replicas,
      dnsLabel: spec.capsule.proxy.dnsLabel,
      location: spec.azure.location,
      adminGroupObjectIds: adminIds,
      allowedSourceRanges: spec.cluster.apiServer.authorizedIpRanges,
      internal: spec.cluster.apiServer.private === true,
    });
    const server = this.capsuleProxy.url;
    this.kubeconfigs =
      server === undefined
        ? []
        : spec.tenants.map(
            (t) =>
              new TenantKubeconfig(this, `kubeconfig-${t.name}`, {
                tenant: t.name,
                platform: spec.name,
                server,
                caCertificatePem: this.capsuleProxyCa.certificatePem,
              }),
          );
  }
}
