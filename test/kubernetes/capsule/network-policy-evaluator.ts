/**
 * A small evaluator of Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), enough to decide
 * whether one endpoint may open a connection to another:
 * - a pod is isolated in a direction when a policy of its namespace selects it and lists that
 *   direction in policyTypes; a non-isolated pod allows everything in that direction;
 * - an isolated pod allows what at least one selecting policy's rules allow (policies add up);
 * - a connection needs the source's egress and the destination's ingress to allow it.
 */

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface Port {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicy {
  metadata: { name: string; namespace: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: { from?: Peer[]; ports?: Port[] }[];
    egress?: { to?: Peer[]; ports?: Port[] }[];
  };
}

export interface Namespace {
  name: string;
  labels: Record<string, string>;
}

/** A pod (namespace set) or an address outside the cluster (namespace unset). */
export interface Endpoint {
  ip: string;
  namespace?: string;
  labels?: Record<string, string>;
}

export interface Connection {
  protocol: 'TCP' | 'UDP';
  port: number;
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const ok =
      e.operator === 'In'
        ? has && (e.values ?? []).includes(labels[e.key])
        : e.operator === 'NotIn'
          ? !has || !(e.values ?? []).includes(labels[e.key])
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : (() => {
                  throw new Error(`unknown operator ${e.operator}`);
                })();
    if (!ok) return false;
  }
  return true;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base) / size) * size;
  const n = ipToNumber(ip);
  return n >= start && n < start + size;
}

export class Cluster {
  constructor(
    private readonly namespaces: Namespace[],
    private readonly policies: NetworkPolicy[],
  ) {}

  /** Whether `from` may open `connection` to `to`. */
  public allows(from: Endpoint, to: Endpoint, connection: Connection): boolean {
    return this.egressAllows(from, to, connection) && this.ingressAllows(to, from, connection);
  }

  private egressAllows(pod: Endpoint, peer: Endpoint, c: Connection): boolean {
    if (pod.namespace === undefined) return true;
    const selecting = this.selecting(pod, 'Egress');
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
      (p.spec.egress ?? []).some((r) => this.peersMatch(r.to, p, peer) && portsMatch(r.ports, c)),
    );
  }

  private ingressAllows(pod: Endpoint, peer: Endpoint, c: Connection): boolean {
    if (pod.namespace === undefined) return true;
    const selecting = this.selecting(pod, 'Ingress');
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
      (p.spec.ingress ?? []).some((r) => this.peersMatch(r.from, p, peer) && portsMatch(r.ports, c)),
    );
  }

  private selecting(pod: Endpoint, direction: 'Ingress' | 'Egress'): NetworkPolicy[] {
    return this.policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        selects(p.spec.podSelector, pod.labels ?? {}) &&
        policyTypes(p).includes(direction),
    );
  }

  private peersMatch(peers: Peer[] | undefined, policy: NetworkPolicy, peer: Endpoint): boolean {
    if (peers === undefined || peers.length === 0) return true;
    return peers.some((q) => this.peerMatches(q, policy, peer));
  }

  private peerMatches(q: Peer, policy: NetworkPolicy, peer: Endpoint): boolean {
    if (q.ipBlock) {
      return inCidr(peer.ip, q.ipBlock.cidr) && !(q.ipBlock.except ?? []).some((e) => inCidr(peer.ip, e));
    }
    if (peer.namespace === undefined) return false;
    if (q.namespaceSelector === undefined && peer.namespace !== policy.metadata.namespace) return false;
    if (q.namespaceSelector !== undefined) {
      const ns = this.namespaces.find((n) => n.name === peer.namespace);
      if (!ns || !selects(q.namespaceSelector, ns.labels)) return false;
    }
    return selects(q.podSelector, peer.labels ?? {});
  }
}

function policyTypes(p: NetworkPolicy): string[] {
  if (p.spec.policyTypes) return p.spec.policyTypes;
  return p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function portsMatch(ports: Port[] | undefined, c: Connection): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== c.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') throw new Error('named ports are not modelled');
    return p.endPort !== undefined ? c.port >= p.port && c.port <= p.endPort : c.port === p.port;
  });
}
