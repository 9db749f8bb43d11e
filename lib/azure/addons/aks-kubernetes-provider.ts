import { Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { aksConnection } from '../private/kubelogin';
import type { AksConnectionOptions } from './aks-connection';

/** Properties of an {@link AksKubernetesProvider}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AksKubernetesProviderProps extends AksConnectionOptions {}

/**
 * The Kubernetes provider for an Entra-only cluster, authenticated like {@link AksHelmProvider}
 * (kubelogin exec, no stored credential). The add-ons use it for the one object that must not
 * travel through Helm values: the Secret holding capsule-proxy's CA key.
 */
export class AksKubernetesProvider extends Construct {
  public readonly provider: KubernetesProvider;

  constructor(scope: Construct, id: string, props: AksKubernetesProviderProps) {
    super(scope, id);
    const { host, clusterCaCertificate, exec } = aksConnection('AksKubernetesProvider', props);
    this.provider = new KubernetesProvider(this, 'kubernetes', { host, clusterCaCertificate, exec: [exec] });
  }
}
