import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { aksConnection } from '../private/kubelogin';
import type { AksConnectionOptions } from './aks-connection';

export { AKS_ENTRA_SERVER_ID } from '../private/kubelogin';

/** Properties of an {@link AksHelmProvider}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AksHelmProviderProps extends AksConnectionOptions {}

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
      kubernetes: aksConnection('AksHelmProvider', props),
    });
  }
}
