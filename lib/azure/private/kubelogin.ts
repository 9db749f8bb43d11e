import { Fn, Token } from 'cdktf';
import { describeValue, PlatformError } from '../../platform-file/errors';
import type { AksConnectionOptions } from '../addons/aks-connection';
import { terraformText } from './terraform-text';

/**
 * The application id of the AKS Entra ID server application, the audience of tokens that
 * AKS accepts (the same for every cluster and tenant).
 */
export const AKS_ENTRA_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** The exec block of a Kubernetes client that gets its Entra ID token from kubelogin. */
export interface KubeloginExec {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: string[];
}

/**
 * `kubelogin get-token` for the AKS Entra ID server application: local accounts are disabled,
 * so every client of the cluster (the providers, the owners' kubeconfigs) authenticates this way.
 * `literal` makes the login mode literal Terraform text; a caller that escapes the whole text
 * it is part of passes the identity.
 */
export function kubeloginExec(
  loginMode = 'azurecli',
  literal: (text: string) => string = terraformText,
): KubeloginExec {
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'kubelogin',
    args: ['get-token', '--login', literal(loginMode), '--server-id', AKS_ENTRA_SERVER_ID],
  };
}

/**
 * Refuses a cluster CA that is not base64. It goes into a function argument (`base64decode`),
 * where cdktf quotes it but leaves `%{` live, and a certificate is base64 only.
 */
export function checkBase64Certificate(what: string, ca: string): string {
  if (!Token.isUnresolved(ca) && !/^[A-Za-z0-9+/=\s]+$/.test(ca)) {
    throw new PlatformError(`${what} must be base64 (a PEM certificate, encoded), got ${describeValue(ca)}`);
  }
  return ca;
}

/** What a provider of the cluster connects with, from the props of `kind` (named in errors). */
export function aksConnection(kind: string, props: AksConnectionOptions) {
  const ca = checkBase64Certificate(`${kind}.clusterCaCertificateBase64`, props.clusterCaCertificateBase64);
  return {
    host: terraformText(props.host),
    clusterCaCertificate: Fn.base64decode(ca),
    exec: kubeloginExec(props.loginMode),
  };
}
