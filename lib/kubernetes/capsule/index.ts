// Capsule tenants: re-exports only.
export * from './tenant';
export * from './tenant-namespace';
export * from './tenant-guardrails';
export * from './tenant-network-policy';
export * from './tenant-options';
export { tenantsFromSpec } from './from-spec';
export * from './tenant-quota';
