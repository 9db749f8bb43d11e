import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { checkBase64Certificate, kubeloginExec } from '../private/kubelogin';
import { terraformText } from '../private/terraform-text';

export { AKS_ENTRA_SERVER_ID } from '../private/kubelogin';

/** Properties of an {@link AksHelmProvider}. */
export interface AksHelmProviderProps {
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
 * The Helm provider for an Entra-only cluster. Local accounts are disabled, so `kube_config`
 * carries no client certificate: tokens come from the kubelogin exec plugin, which must be on
 * the PATH of the machine that runs the deploy. No credential is stored in the configuration.
 */
export class AksHelmProvider extends Construct {
  public readonly provider: HelmProvider;

  constructor(scope: Construct, id: string, props: AksHelmProviderProps) {
    super(scope, id);
    const ca = checkBase64Certificate(
      'AksHelmProvider.clusterCaCertificateBase64',
      props.clusterCaCertificateBase64,
    );
    this.provider = new HelmProvider(this, 'helm', {
      kubernetes: {
        host: terraformText(props.host),
        clusterCaCertificate: Fn.base64decode(ca),
        exec: kubeloginExec(props.loginMode),
      },
    });
  }
}
