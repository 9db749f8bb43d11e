import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';

/**
 * The application id of the AKS Entra ID server application, the audience of tokens that
 * AKS accepts (the same for every cluster and tenant).
 */
export const AKS_ENTRA_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

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
    this.provider = new HelmProvider(this, 'helm', {
      kubernetes: {
        host: props.host,
        clusterCaCertificate: Fn.base64decode(props.clusterCaCertificateBase64),
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'kubelogin',
          args: ['get-token', '--login', props.loginMode ?? 'azurecli', '--server-id', AKS_ENTRA_SERVER_ID],
        },
      },
    });
  }
}
