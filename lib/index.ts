// Public API: re-exports only.
export * from './platform-file';
export * from './azure';
export * from './kubernetes/labels';
export * from './kubernetes/pod-security';
export * from './kubernetes/capsule';
export * from './kubernetes/workloads';
export * from './kubernetes/platform';
export { synthKubernetesPlatform, type KubernetesSynthOptions } from './kubernetes/synth';
export * from './kubernetes/kyverno';
export * from './preflight';
