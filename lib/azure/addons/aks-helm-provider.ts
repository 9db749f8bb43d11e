import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { describeValue, PlatformError } from '../../spec/errors';
import { terraformText } from '../private/terraform-text';

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
    const ca = props.clusterCaCertificateBase64;
    // A function argument: cdktf quotes it but leaves `%{` live, and a certificate is base64 only.
    if (!Token.isUnresolved(ca) && !/^[A-Za-z0-9+/=\s]+$/.test(ca)) {
      throw new PlatformError(
        `AksHelmProvider.clusterCaCertificateBase64 must be base64 (a PEM certificate, encoded), got ${describeValue(ca)}`,
      );
    }
    this.provider = new HelmProvider(this, 'helm', {
      kubernetes: {
        host: terraformText(props.host),
        clusterCaCertificate: Fn.base64decode(ca),
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'kubelogin',
          args: [
            'get-token',
            '--login',
            terraformText(props.loginMode ?? 'azurecli'),
            '--server-id',
            AKS_ENTRA_SERVER_ID,
          ],
        },
      },
    });
  }
}
