import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { describeValue, PlatformError } from '../../platform-file/errors';
import { PolicyAction, PolicyApi, PolicyCategory, PolicySeverity, ALL_POD_CONTROLLERS } from './model';
import { checkDnsLabel, checkNotEmpty, checkText } from './private/checks';
import {
  legacyControllers,
  namespaceSelector,
  policyAnnotations,
  POD_RESOURCE_RULE,
  validationActions,
} from './private/render';

/** Name of the image verification policy, as used in overrides and exceptions. */
export const IMAGE_SIGNATURE_POLICY_NAME = 'verify-image-signatures';

/** Sigstore's public transparency log, where keyless signatures are recorded. */
export const PUBLIC_REKOR_URL = 'https://rekor.sigstore.dev';

/**
 * The images of every container of the pod (init, regular and ephemeral), from the `images`
 * variable Kyverno fills for pods and pod controllers; a list Kyverno did not fill counts as empty.
 */
const ALL_POD_IMAGES =
  '(' +
  ['initContainers', 'containers', 'ephemeralContainers']
    .map((list) => `('${list}' in images ? images.${list} : [])`)
    .join(' + ') +
  ')';

export interface ImageSignaturePolicyProps {
  /** Image patterns to verify, e.g. `myregistry.azurecr.io/*`; other images are not checked. */
  readonly images: string[];
  /** OIDC issuer of the signer's identity, e.g. `https://token.actions.githubusercontent.com`. */
  readonly issuer: string;
  /** Certificate subject (identity) of the signer, e.g. a workflow URL or an e-mail. */
  readonly subject: string;
  /**
   * What Kyverno does with an unsigned or wrongly signed image.
   * @default PolicyAction.ENFORCE
   */
  readonly action?: PolicyAction;
  /**
   * Namespaces never checked (matched by their immutable name label).
   * @default - none
   */
  readonly excludedNamespaces?: string[];
  /**
   * The policy API to emit.
   * @default PolicyApi.CEL
   */
  readonly api?: PolicyApi;
}

/**
 * Sigstore cosign keyless verification: images matching `images` must carry a signature whose
 * certificate was issued to `subject` by `issuer`. Emitted as an ImageValidatingPolicy, or on
 * request as a legacy ClusterPolicy `verifyImages` rule.
 */
export class ImageSignaturePolicy extends Construct {
  public readonly policyName = IMAGE_SIGNATURE_POLICY_NAME;
  public readonly action: PolicyAction;
  public readonly api: PolicyApi;
  /** Kind of the emitted object: what a PolicyException refers to. */
  public readonly kind: string;
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ImageSignaturePolicyProps) {
    super(scope, id);
    checkNotEmpty(props.images, 'images');
    props.images.forEach((img, i) => {
      checkText(img, `images[${i}]`);
      if (/\s/.test(img))
        throw new PlatformError(`images[${i}]: ${describeValue(img)} must not contain spaces`);
    });
    if (!/^https:\/\/[^\s/]+/.test(props.issuer)) {
      throw new PlatformError(
        `issuer: ${describeValue(props.issuer)} must be an https URL of an OIDC issuer`,
      );
    }
    checkText(props.subject, 'subject');
    const excluded = [...(props.excludedNamespaces ?? [])];
    excluded.forEach((ns, i) => checkDnsLabel(ns, `excludedNamespaces[${i}]`));

    this.action = props.action ?? PolicyAction.ENFORCE;
    this.api = props.api ?? PolicyApi.CEL;
    this.kind = this.api === PolicyApi.CEL ? 'ImageValidatingPolicy' : 'ClusterPolicy';
    const annotations = policyAnnotations({
      title: 'Verify Image Signatures',
      category: PolicyCategory.SUPPLY_CHAIN,
      severity: PolicySeverity.HIGH,
      description: `Images matching ${props.images.join(', ')} must be signed (cosign keyless) by ${props.subject}.`,
    });
    const selector = namespaceSelector(excluded);
    const audit = this.action === PolicyAction.AUDIT;

    const manifest =
      this.api === PolicyApi.CEL
        ? {
            apiVersion: 'policies.kyverno.io/v1',
            kind: 'ImageValidatingPolicy',
            metadata: { name: this.policyName, annotations },
            spec: {
              validationActions: validationActions(this.action),
              autogen: { podControllers: { controllers: [...ALL_POD_CONTROLLERS] } },
              matchConstraints: { resourceRules: [POD_RESOURCE_RULE], namespaceSelector: selector },
              matchImageReferences: props.images.map((glob) => ({ glob })),
              // An audit must not change what it admits: no tag is rewritten to a digest.
              validationConfigurations: audit ? { mutateDigest: false } : undefined,
              attestors: [
                {
                  name: 'cosign',
                  cosign: { keyless: { identities: [{ issuer: props.issuer, subject: props.subject }] } },
                },
              ],
              validations: [
                {
                  expression: `${ALL_POD_IMAGES}.map(image, verifyImageSignatures(image, [attestors.cosign])).all(e, e > 0)`,
                  message: `Images must be signed by ${props.subject} (issuer ${props.issuer}).`,
                },
              ],
            },
          }
        : {
            apiVersion: 'kyverno.io/v1',
            kind: 'ClusterPolicy',
            metadata: {
              name: this.policyName,
              annotations: {
                ...annotations,
                'pod-policies.kyverno.io/autogen-controllers': legacyControllers(ALL_POD_CONTROLLERS),
              },
            },
            spec: {
              rules: [
                {
                  name: this.policyName,
                  match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector: selector } }] },
                  verifyImages: [
                    {
                      imageReferences: [...props.images],
                      failureAction: this.action,
                      // Kyverno refuses an Audit rule that would mutate digests (the default).
                      mutateDigest: audit ? false : undefined,
                      attestors: [
                        {
                          entries: [
                            {
                              keyless: {
                                issuer: props.issuer,
                                subject: props.subject,
                                rekor: { url: PUBLIC_REKOR_URL },
                              },
                            },
                          ],
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          };
    this.apiObject = new ApiObject(this, 'Resource', manifest);
  }
}
