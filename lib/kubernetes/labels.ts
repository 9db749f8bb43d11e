// The label keys that more than one part of the platform writes or selects on: Capsule's tenants,
// the Kyverno policies and the hardened workloads must agree on each of them.

/** Label Capsule puts on every namespace of a tenant; the platform also puts it on the Tenant itself. */
export const TENANT_LABEL = 'capsule.clastix.io/tenant';

/** Label the API server puts on every namespace, with the namespace's name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Pod label of the platform's hardened workloads (`cdk-aks-platform.io/ingress: workload`): a pod
 * carrying it gets no ingress from the tenant-wide policy, only what its own NetworkPolicy admits
 * (its port, from its declared peers). Pods without it keep the tenant-wide ingress allowance.
 */
export const WORKLOAD_INGRESS_LABEL = 'cdk-aks-platform.io/ingress';

/** Value of `WORKLOAD_INGRESS_LABEL` on the pods of the hardened workloads. */
export const WORKLOAD_INGRESS_LABEL_VALUE = 'workload';

/** Label AKS puts on every node, with the name of its node pool. */
export const AGENT_POOL_LABEL = 'kubernetes.azure.com/agentpool';
