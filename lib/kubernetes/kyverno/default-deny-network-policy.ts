import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { PolicyApi, PolicyCategory, PolicySeverity } from './model';
import { checkDnsLabel } from './private/checks';
import { NAMESPACE_NAME_LABEL } from '../labels';
import { policyAnnotations } from './private/render';
import { str } from './private/cel';

/** Name of the generating policy, as used in overrides. */
export const DEFAULT_DENY_POLICY_NAME = 'add-default-deny-network-policy';

export interface DefaultDenyNetworkPolicyProps {
  /**
   * Namespaces that get no NetworkPolicy (matched by their immutable name label and by name).
   * @default - none
   */
  readonly excludedNamespaces?: string[];
  /**
   * Name of the NetworkPolicy created in each namespace.
   * @default 'default-deny'
   */
  readonly networkPolicyName?: string;
  /**
   * The policy API to emit.
   * @default PolicyApi.CEL
   */
  readonly api?: PolicyApi;
}

/**
 * Gives every namespace a NetworkPolicy that denies all ingress and egress except DNS to the
 * cluster DNS (CoreDNS in kube-system, label `k8s-app: kube-dns` on AKS): new namespaces when they
 * are created, namespaces that existed before the policy (generateExisting), and any namespace
 * again when it is updated (a label change). Tenants then open what they need with their own
 * NetworkPolicies. Kyverno keeps the generated policy in sync, so a tenant cannot delete it.
 */
export class DefaultDenyNetworkPolicy extends Construct {
  public readonly policyName = DEFAULT_DENY_POLICY_NAME;
  /** Name of the generated NetworkPolicy. */
  public readonly networkPolicyName: string;
  public readonly api: PolicyApi;
  public readonly excludedNamespaces: string[];
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps = {}) {
    super(scope, id);
    this.excludedNamespaces = [...(props.excludedNamespaces ?? [])];
    this.excludedNamespaces.forEach((ns, i) => checkDnsLabel(ns, `excludedNamespaces[${i}]`));
    this.networkPolicyName = props.networkPolicyName ?? 'default-deny';
    checkDnsLabel(this.networkPolicyName, 'networkPolicyName');
    this.api = props.api ?? PolicyApi.CEL;
    this.apiObject = new ApiObject(
      this,
      'Resource',
      this.api === PolicyApi.CEL ? this.renderCel() : this.renderLegacy(),
    );
  }

  /** The NetworkPolicy spec written into each namespace. */
  public networkPolicySpec(): Record<string, unknown> {
    const dnsPort = (protocol: string) => ({ protocol, port: 53 });
    return {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [dnsPort('UDP'), dnsPort('TCP')],
        },
      ],
    };
  }

  private annotations() {
    return policyAnnotations(
      {
        title: 'Add a Default-Deny NetworkPolicy',
        category: PolicyCategory.MULTI_TENANCY,
        severity: PolicySeverity.MEDIUM,
        description:
          'Every new namespace gets a NetworkPolicy denying all traffic but DNS; tenants allow what they need.',
      },
      'Namespace',
    );
  }

  private renderCel() {
    // The namespace name is also checked by a match condition: the selector relies on a label the
    // API server adds, and a generator must never act on a system namespace.
    const template = stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.networkPolicyName, namespace: '(( object.metadata.name ))' },
      spec: this.networkPolicySpec(),
    });
    const excluded = this.excludedNamespaces;
    return {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'GeneratingPolicy',
      metadata: { name: this.policyName, annotations: this.annotations() },
      spec: {
        evaluation: { synchronize: { enabled: true }, generateExisting: { enabled: true } },
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['namespaces'],
            },
          ],
          namespaceSelector: excluded.length
            ? { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: excluded }] }
            : undefined,
        },
        matchConditions: excluded.length
          ? [
              {
                name: 'not-a-system-namespace',
                expression: `!(object.metadata.name in [${excluded.map(str).join(', ')}])`,
              },
            ]
          : undefined,
        generate: [{ template: { interpolate: 'cel', value: template } }],
      },
    };
  }

  private renderLegacy() {
    const excluded = this.excludedNamespaces;
    return {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: this.policyName, annotations: this.annotations() },
      spec: {
        rules: [
          {
            name: this.policyName,
            match: { any: [{ resources: { kinds: ['Namespace'], operations: ['CREATE', 'UPDATE'] } }] },
            // By name too: generateExisting acts on namespaces that are already there.
            exclude: excluded.length
              ? {
                  any: [
                    {
                      resources: {
                        kinds: ['Namespace'],
                        selector: {
                          matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: excluded }],
                        },
                      },
                    },
                    { resources: { kinds: ['Namespace'], names: [...excluded] } },
                  ],
                }
              : undefined,
            generate: {
              generateExisting: true,
              apiVersion: 'networking.k8s.io/v1',
              kind: 'NetworkPolicy',
              name: this.networkPolicyName,
              namespace: '{{request.object.metadata.name}}',
              synchronize: true,
              data: { spec: this.networkPolicySpec() },
            },
          },
        ],
      },
    };
  }
}
