// Kyverno policies: re-exports only.
export * from './model';
export * from './catalog';
export * from './pod-policy';
export * from './default-deny-network-policy';
export * from './image-signature-policy';
export * from './policy-exception';
export * from './kyverno-policies';
export { kyvernoPoliciesFromSpec } from './from-spec';
