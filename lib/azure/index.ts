// The Terraform half: re-exports only.
export * from './cluster-options';
export type { NodePoolOptions, UserNodePoolOptions, ResolvedNodePool } from './node-pool-options';
export * from './entra-group';
export * from './entra-group-membership';
export * from './aks-cluster';
export * from './aks-user-node-pool';
export * from './container-insights';
export * from './cluster-access';
export * from './addons/aks-helm-provider';
export * from './addons/cert-manager-release';
export * from './addons/kyverno-release';
export * from './addons/capsule-release';
export * from './addons/capsule-proxy-release';
export * from './stacks';
export { synthAzurePlatform, ADDONS_STACK_NAME } from './synth';
export type { AzureSynthOptions, AzureSynthResult, WrittenStack } from './synth';
