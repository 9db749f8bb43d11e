import { Construct } from 'constructs';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { describeValue, PlatformError } from '../../platform-file/errors';
import { assertDnsLabel, assertIntInRange } from '../private/checks';
import { terraformText } from '../private/terraform-text';
import type { CapsuleRelease } from './capsule-release';

/** Properties of a {@link CapsuleProxyCa}. */
export interface CapsuleProxyCaProps {
  /**
   * The Capsule release, whose namespace (created with it) receives the CA Secret; the
   * capsule-proxy release that uses the CA must be in that namespace too.
   */
  readonly capsule: CapsuleRelease;
  /** Common name of the CA certificate, e.g. `<platform> capsule-proxy CA`. */
  readonly commonName: string;
  /**
   * Name of the Secret (`tls.crt`, `tls.key`) that cert-manager's CA Issuer reads.
   * @default 'capsule-proxy-ca'
   */
  readonly secretName?: string;
  /**
   * Validity of the CA certificate, in hours.
   * @default 87600 (10 years)
   */
  readonly validityHours?: number;
  /**
   * How long before its expiry an apply replaces the CA (then every kubeconfig must be fetched
   * again), in hours.
   * @default 8760 (1 year)
   */
  readonly earlyRenewalHours?: number;
}

/**
 * The certificate authority of capsule-proxy's serving certificate, issued by Terraform so that
 * the deploy knows the CA and can hand it to owners in their kubeconfigs: an ECDSA P-256 key, a
 * self-signed CA certificate, and a `kubernetes.io/tls` Secret that cert-manager's CA Issuer signs
 * the proxy's certificate with. The private key goes only into the Terraform state and that
 * Secret: never into an output, a file or Helm values.
 */
export class CapsuleProxyCa extends Construct {
  /** Name of the Secret holding the CA certificate and key. */
  public readonly secretName: string;
  /** Namespace of that Secret. */
  public readonly namespace: string;
  /** The CA certificate (PEM); public, for the owners' kubeconfigs. */
  public readonly certificatePem: string;
  /** The Secret resource (capsule-proxy's release depends on it). */
  public readonly secret: SecretV1;

  constructor(scope: Construct, id: string, props: CapsuleProxyCaProps) {
    super(scope, id);
    this.namespace = props.capsule.namespace;
    this.secretName = props.secretName ?? 'capsule-proxy-ca';
    assertDnsLabel('CapsuleProxyCa.secretName', this.secretName);
    if (props.commonName.length === 0 || props.commonName.length > 64) {
      throw new PlatformError(
        `CapsuleProxyCa.commonName must be 1 to 64 characters, got ${describeValue(props.commonName)}`,
      );
    }
    const validity = props.validityHours ?? 87600;
    assertIntInRange('CapsuleProxyCa.validityHours', validity, 24, 876000);
    const renewal = props.earlyRenewalHours ?? 8760;
    assertIntInRange('CapsuleProxyCa.earlyRenewalHours', renewal, 0, validity - 1);

    const key = new PrivateKey(this, 'key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' });
    const cert = new SelfSignedCert(this, 'certificate', {
      privateKeyPem: key.privateKeyPem,
      isCaCertificate: true,
      setSubjectKeyId: true,
      subject: [{ commonName: terraformText(props.commonName), organization: 'capsule-proxy' }],
      validityPeriodHours: validity,
      earlyRenewalHours: renewal,
      allowedUses: ['cert_signing', 'crl_signing', 'digital_signature'],
    });
    this.certificatePem = cert.certPem;
    this.secret = new SecretV1(this, 'secret', {
      metadata: {
        name: this.secretName,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/part-of': 'capsule-proxy' },
      },
      type: 'kubernetes.io/tls',
      // The provider base64-encodes `data` itself.
      data: { 'tls.crt': cert.certPem, 'tls.key': key.privateKeyPem },
      // The namespace comes with the Capsule release.
      dependsOn: [props.capsule.release],
    });
  }
}
