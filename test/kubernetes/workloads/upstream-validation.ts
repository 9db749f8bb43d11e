import { crd } from '../../upstream/schemas';

export { validateWithKubernetesModels } from '../../upstream/schemas';
export type { ModelValidation } from '../../upstream/schemas';

/** Validates SecretProviderClass objects against the upstream CRD; one message per violation. */
export function secretProviderClassErrors(objects: any[]): string[] {
  const validate = crd('secrets-store.csi.x-k8s.io/v1', 'SecretProviderClass').validate;
  const errors: string[] = [];
  for (const o of objects.filter((x) => x.kind === 'SecretProviderClass')) {
    if (o.apiVersion !== 'secrets-store.csi.x-k8s.io/v1')
      errors.push(`${o.metadata.name}: apiVersion ${o.apiVersion}`);
    if (!validate(o))
      errors.push(
        ...(validate.errors ?? []).map((e) => `${o.metadata.name}: ${e.instancePath} ${e.message}`),
      );
  }
  return errors;
}
