import { NAMESPACE_NAME_LABEL, TENANT_LABEL, WORKLOAD_INGRESS_LABEL } from '../labels';

/**
 * Name of the NetworkPolicy replicated into every namespace of a tenant that isolates every pod
 * (default-deny both ways) and lists the tenant's egress allowances.
 */
export const TENANT_NETWORK_POLICY_NAME = 'tenant-isolation';

/**
 * Name of the NetworkPolicy replicated into every namespace of a tenant that admits the tenant's
 * own namespaces (and the ingress controller) to the pods the platform does not manage: those
 * without `WORKLOAD_INGRESS_LABEL`.
 */
export const TENANT_INGRESS_POLICY_NAME = 'tenant-ingress';

/**
 * Address ranges internet egress never reaches: the private ranges (nodes, pods, services and
 * peered networks), shared address space, link-local (the Azure instance metadata service,
 * 169.254.169.254, hands out node identity tokens) and the Azure platform address 168.63.129.16.
 */
export const NON_INTERNET_RANGES: readonly string[] = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '168.63.129.16/32',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
];

/** Where cluster DNS runs: CoreDNS pods in kube-system, labelled `k8s-app: kube-dns` on AKS. */
export const CLUSTER_DNS = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } } as const;

export interface TenantNetworkPolicyOptions {
  readonly tenant: string;
  readonly internetEgress: boolean;
  /** @default - no ingress controller is admitted */
  readonly ingressControllerNamespace?: string;
}

/**
 * The NetworkPolicies every namespace of a tenant carries, in this order:
 *
 * 1. `tenant-isolation` selects every pod for both directions, so the namespace is default-deny,
 *    and allows egress to the tenant's namespaces, to cluster DNS and, optionally, the internet.
 *    It admits no ingress.
 * 2. `tenant-ingress` admits the tenant's own namespaces (and the ingress controller's) to the
 *    pods that do not carry `WORKLOAD_INGRESS_LABEL`: pods the platform does not manage keep
 *    working as before. The hardened workloads set that label on their pods, so their ingress is
 *    exactly what their own NetworkPolicy admits (policies add up: a tenant-wide allowance
 *    selecting them would make theirs restrict nothing).
 *
 * A default-deny policy generated next to them changes nothing.
 */
export function tenantNetworkPolicies(options: TenantNetworkPolicyOptions): Record<string, unknown>[] {
  const ownTenant = { namespaceSelector: { matchLabels: { [TENANT_LABEL]: options.tenant } } };
  const ingressFrom: Record<string, unknown>[] = [ownTenant];
  if (options.ingressControllerNamespace !== undefined) {
    ingressFrom.push({
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: options.ingressControllerNamespace } },
    });
  }
  const egress: Record<string, unknown>[] = [
    { to: [ownTenant] },
    {
      to: [
        {
          namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: CLUSTER_DNS.namespace } },
          podSelector: { matchLabels: { ...CLUSTER_DNS.podLabels } },
        },
      ],
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ],
    },
  ];
  if (options.internetEgress) {
    egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...NON_INTERNET_RANGES] } }] });
  }
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: TENANT_NETWORK_POLICY_NAME },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        egress,
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: TENANT_INGRESS_POLICY_NAME },
      spec: {
        podSelector: { matchExpressions: [{ key: WORKLOAD_INGRESS_LABEL, operator: 'DoesNotExist' }] },
        policyTypes: ['Ingress'],
        ingress: [{ from: ingressFrom }],
      },
    },
  ];
}
