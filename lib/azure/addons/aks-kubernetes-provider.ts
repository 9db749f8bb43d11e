import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { checkBase64Certificate, kubeloginExec } from '../private/kubelogin';
import { terraformText } from '../private/terraform-text';

/** Properties of an {@link AksKubernetesProvider}. */
export interface AksKubernetesProviderProps {
  /** API server URL (`kube_config[0].host`). */
  readonly host: string;
  /** Base64 PEM of the cluster CA (`kube_config[0].cluster_ca_certificate`). */
  readonly clusterCaCertificateBase64: string;
  /**
   * kubelogin login mode: `azurecli` reuses `az login`; pipelines may use `workloadidentity`
   * or `msi`.
   * @default 'azurecli'
   */
  readonly loginMode?: string;
}

/**
 * The Kubernetes provider for an Entra-only cluster, authenticated like {@link AksHelmProvider}
 * (kubelogin exec, no stored credential). The add-ons use it for the one object that must not
 * travel through Helm values: the Secret holding capsule-proxy's CA key.
 */
export class AksKubernetesProvider extends Construct {
  public readonly provider: KubernetesProvider;

  constructor(scope: Construct, id: string, props: AksKubernetesProviderProps) {
    super(scope, id);
    const ca = checkBase64Certificate(
      'AksKubernetesProvider.clusterCaCertificateBase64',
      props.clusterCaCertificateBase64,
    );
    this.provider = new KubernetesProvider(this, 'kubernetes', {
      host: terraformText(props.host),
      clusterCaCertificate: Fn.base64decode(ca),
      exec: [kubeloginExec(props.loginMode)],
    });
  }
}
