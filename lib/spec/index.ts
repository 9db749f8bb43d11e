export * from './errors';
export * from './formats';
export * from './aks';
export * from './load';
export * from './outputs';
export * from './environment';
export { systemNamespaces } from './validate';
export * from './types';
export { platformFileReference } from './reference';
