import type { Construct } from 'constructs';
import { AksHelmProvider } from './addons/aks-helm-provider';
import { CapsuleProxyRelease } from './addons/capsule-proxy-release';
import { CapsuleRelease, CapsuleSubjectKind } from './addons/capsule-release';
import { CertManagerRelease } from './addons/cert-manager-release';
import { KyvernoRelease } from './addons/kyverno-release';
import { stateBackendFromSpec } from './from-spec';
import type { InfraStack, InfraStackProps } from './infra-stack';
import { PlatformStack } from './platform-stack';

/** Properties of the {@link AddonsStack}. */
export interface AddonsStackProps extends InfraStackProps {
  /** The stack that creates the cluster and the groups. */
  readonly infra: InfraStack;
}

/**
 * The `addons` stack: Helm releases of cert-manager, Kyverno, Capsule and capsule-proxy. A
 * separate stack because a provider cannot be configured from a cluster created in the same
 * apply; it reads the cluster and the group ids from `infra` (cross-stack references).
 */
export class AddonsStack extends PlatformStack {
  public readonly certManager: CertManagerRelease;
  public readonly kyverno: KyvernoRelease;
  public readonly capsule: CapsuleRelease;
  public readonly capsuleProxy: CapsuleProxyRelease;

  constructor(scope: Construct, id: string, props: AddonsStackProps) {
    super(scope, id);
    const { spec, infra } = props;
    (props.stateBackend ?? stateBackendFromSpec(spec)).applyTo(this);
    new AksHelmProvider(this, 'helm', {
      host: infra.cluster.apiServerHost,
      clusterCaCertificateBase64: infra.cluster.clusterCaCertificate,
    });
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
    this.capsuleProxy = new CapsuleProxyRelease(this, 'capsule-proxy', {
      certManager: this.certManager,
      capsule: this.capsule,
      replicas: spec.capsule.proxy.replicas,
      dnsLabel: spec.capsule.proxy.dnsLabel,
      location: spec.azure.location,
      adminGroupObjectIds: adminIds,
      allowedSourceRanges: spec.cluster.apiServer.authorizedIpRanges,
      internal: spec.cluster.apiServer.private === true,
    });
  }
}
