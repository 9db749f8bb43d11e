import { crd, CrdVersion } from '../../upstream/schemas';

export { coreObjectErrors } from '../../upstream/schemas';
export type { CrdVersion } from '../../upstream/schemas';

const KINDS: Record<string, string> = {
  tenants: 'Tenant',
  globaltenantresources: 'GlobalTenantResource',
  globalresourcequotas: 'GlobalResourceQuota',
};

/** The validator of `<plural>.capsule.clastix.io` at `version` (vendor/capsule). */
export function capsuleCrd(plural: string, version = 'v1beta2'): CrdVersion {
  return crd(`capsule.clastix.io/${version}`, KINDS[plural] ?? plural);
}
