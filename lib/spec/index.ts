export * from './errors';
export * from './formats';
export * from './load';
export * from './outputs';
export * from './environment';
export { systemNamespaces } from './validate';
export { platformFileSchema } from './schema/platform';
export type {
  PlatformFile,
  PlatformSpec,
  GroupSpec,
  TenantSpec,
  WorkloadSpec,
  ClusterSpec,
  KyvernoSpec,
  CapsuleSpec,
} from './schema/platform';
export { platformFileReference } from './reference';
