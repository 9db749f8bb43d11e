import { NAMESPACE_NAME_LABEL, TENANT_LABEL } from './tenant-options';

/** Name of the NetworkPolicy replicated into every namespace of a tenant. */
export const TENANT_NETWORK_POLICY_NAME = 'tenant-isolation';

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
  readonly ingressControllerNamespace?: string;
}

/**
 * The NetworkPolicy every namespace of a tenant carries. It selects every pod for both
 * directions, so the namespace is default-deny; what it lists is the only traffic allowed.
 * NetworkPolicies add up: a default-deny policy generated next to it changes nothing.
 */
export function tenantNetworkPolicy(options: TenantNetworkPolicyOptions): Record<string, unknown> {
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
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: TENANT_NETWORK_POLICY_NAME },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: ingressFrom }],
      egress,
    },
  };
}
