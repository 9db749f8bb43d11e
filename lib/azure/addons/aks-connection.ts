/**
 * How a Terraform provider reaches an Entra-only AKS cluster: its address, its CA, and the
 * kubelogin mode that gets the tokens. The props of `AksHelmProvider` and `AksKubernetesProvider`.
 */
export interface AksConnectionOptions {
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
