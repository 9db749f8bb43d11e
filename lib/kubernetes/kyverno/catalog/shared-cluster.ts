import type { PodPolicyDefinition } from '../model';
import { PolicyCategory, PolicyResource, PolicySeverity } from '../model';
import { ALL_CONTAINERS, str } from '../private/cel';

/** Name of the registry restriction, as used in overrides and exceptions. */
export const IMAGE_REGISTRIES_POLICY_NAME = 'restrict-image-registries';

/**
 * Services must not set `externalIPs`: any tenant could claim an address of another tenant or of
 * the cluster, and the nodes would route its traffic to the tenant's pods (CVE-2020-8554).
 */
export const RESTRICT_SERVICE_EXTERNAL_IPS: PodPolicyDefinition = {
  name: 'restrict-service-external-ips',
  resource: PolicyResource.SERVICE,
  title: 'Restrict Service External IPs',
  description:
    "Services must not set externalIPs: a tenant could claim another tenant's or the cluster's address and intercept its traffic (CVE-2020-8554).",
  category: PolicyCategory.MULTI_TENANCY,
  severity: PolicySeverity.HIGH,
  validations: [
    {
      expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
      message: 'Services must not set spec.externalIPs (CVE-2020-8554).',
    },
  ],
};

// An image reference names its registry when its first path segment has a dot, a port or is
// localhost; otherwise it is a Docker Hub name (library/ for single names), as container runtimes read it.
const FIRST = "c.image.split('/')[0]";
const QUALIFIED =
  `(c.image.contains('/') && (${FIRST}.contains('.') || ${FIRST}.contains(':') || ${FIRST} == 'localhost')) ? c.image : ` +
  "'docker.io/' + c.image";
const NORMALIZED =
  "i.startsWith('docker.io/') && size(i.split('/')) == 2 ? 'docker.io/library/' + i.substring(10) : i";

/**
 * Every image of the pod (init, regular and ephemeral containers) must come from one of
 * `registries`: a host (`myregistry.azurecr.io`), or a host and path (`ghcr.io/contoso`).
 */
export function imageRegistriesPolicy(registries: readonly string[]): PodPolicyDefinition {
  const allowed = `[${registries.map((r) => str(r + '/')).join(', ')}]`;
  const message = `Images must come from ${registries.join(', ')}.`;
  const outside = `variables.images.filter(i, !${allowed}.exists(r, i.startsWith(r)))`;
  return {
    name: IMAGE_REGISTRIES_POLICY_NAME,
    title: 'Restrict Image Registries',
    description: `Every image, init and ephemeral containers included, must come from ${registries.join(', ')}.`,
    category: PolicyCategory.SUPPLY_CHAIN,
    severity: PolicySeverity.HIGH,
    variables: [
      ALL_CONTAINERS,
      { name: 'qualifiedImages', expression: `variables.containers.map(c, ${QUALIFIED})` },
      { name: 'images', expression: `variables.qualifiedImages.map(i, ${NORMALIZED})` },
    ],
    validations: [
      {
        expression: `size(${outside}) == 0`,
        message,
        messageExpression: `${str(message + ' Images: ')} + ${outside}.join(', ')`,
      },
    ],
  };
}
