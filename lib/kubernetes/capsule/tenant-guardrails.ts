import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { describeValue } from '../../platform-file/errors';
import { PropProblems } from '../../platform-file/prop-problems';
import { isDnsLabel, isUuid } from '../../platform-file/formats';
import { TENANT_LABEL } from '../labels';
import { PodSecurityLevel, PodSecurityVersion } from '../pod-security';

/** What the API server does with a request a guardrail refuses. */
export enum GuardrailAction {
  /** Refuse the request. */
  DENY = 'Deny',
  /** Let it through, recording it in the audit log and warning the client. */
  AUDIT = 'Audit',
}

export interface TenantGuardrailsProps {
  /**
   * Entra ID object ids of groups that may still write NetworkPolicies in tenant namespaces and
   * Pod Security labels on them: the platform admins and the identity that applies the YAML.
   * @default - none: only the system identities listed in docs/tenants.md
   */
  readonly exemptGroupIds?: string[];
  /**
   * Namespaces whose service accounts are exempt too (GitOps controllers such as flux-system).
   * Never a tenant namespace.
   * @default - none besides kube-system and the Capsule and Kyverno namespaces
   */
  readonly exemptServiceAccountNamespaces?: string[];
  /** Namespace of Capsule, whose controller replicates the tenant NetworkPolicies. @default 'capsule-system' */
  readonly capsuleNamespace?: string;
  /** Namespace of Kyverno, whose background controller generates default-deny policies. @default 'kyverno' */
  readonly kyvernoNamespace?: string;
  /** Weakest Pod Security level a tenant namespace may be labelled to enforce. @default PodSecurityLevel.RESTRICTED */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * The only `*-version` a tenant namespace's Pod Security labels may carry (an older version can
   * lack controls: runAsUser is only checked from 1.23).
   * @default PodSecurityVersion.LATEST
   */
  readonly podSecurityVersion?: PodSecurityVersion;
  /** @default GuardrailAction.DENY */
  readonly action?: GuardrailAction;
}

export const NETWORK_POLICY_LOCK = 'tenant-network-policy-lock';
export const POD_SECURITY_LOCK = 'tenant-pod-security-lock';

/**
 * Keeps tenant owners from loosening their isolation from inside. NetworkPolicies add up, so one
 * extra "allow all" policy written by an owner (the `admin` role allows it) would undo the
 * tenant's default-deny: no identity but the platform's may create, change or delete a
 * NetworkPolicy in a namespace labelled `capsule.clastix.io/tenant`, nor label such a namespace
 * with a Pod Security level weaker than the platform's, nor remove its Pod Security labels. Built
 * on ValidatingAdmissionPolicy (Kubernetes 1.30+), evaluated in the API server: no webhook that
 * could be down. The NetworkPolicies of the hardened workloads are locked too: they are applied by
 * an exempt identity (`exemptGroupIds`, or a GitOps controller of `exemptServiceAccountNamespaces`).
 */
export class TenantGuardrails extends Construct {
  /** The CEL condition true for requests made by anyone but the platform. */
  public readonly notPlatformCondition: string;
  public readonly action: GuardrailAction;

  constructor(scope: Construct, id: string, props: TenantGuardrailsProps = {}) {
    super(scope, id);
    const problems = new PropProblems('TenantGuardrails', this.node.path);
    const groups = (props.exemptGroupIds ?? []).map((g, i) => {
      if (!isUuid(g))
        problems.add(`exemptGroupIds[${i}]`, `${describeValue(g)} is not an Entra ID object id (a UUID)`);
      return g.toLowerCase();
    });
    const named: Array<[string, string | undefined]> = [
      ['capsuleNamespace', props.capsuleNamespace],
      ['kyvernoNamespace', props.kyvernoNamespace],
      ...(props.exemptServiceAccountNamespaces ?? []).map((ns, i): [string, string] => [
        `exemptServiceAccountNamespaces[${i}]`,
        ns,
      ]),
    ];
    for (const [prop, ns] of named)
      if (ns !== undefined && !isDnsLabel(ns))
        problems.add(prop, `${describeValue(ns)} is not a namespace name`);
    problems.throwIfAny();
    const namespaces = [
      'kube-system',
      props.capsuleNamespace ?? 'capsule-system',
      props.kyvernoNamespace ?? 'kyverno',
      ...(props.exemptServiceAccountNamespaces ?? []),
    ];
    this.action = props.action ?? GuardrailAction.DENY;
    const exemptGroups = [
      'system:masters',
      ...[...new Set(namespaces)].map((ns) => `system:serviceaccounts:${ns}`),
      ...[...new Set(groups)].sort(),
    ];
    // The controller manager acts under its own name when it does not use service account credentials.
    this.notPlatformCondition =
      `request.userInfo.username != 'system:kube-controller-manager' && ` +
      `!(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${celList(exemptGroups)}))`;

    const level = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    const enforceLevels = level === PodSecurityLevel.RESTRICTED ? ['restricted'] : ['baseline', 'restricted'];
    const version = (props.podSecurityVersion ?? PodSecurityVersion.LATEST).label;

    this.policy(NETWORK_POLICY_LOCK, {
      resourceRules: [
        {
          apiGroups: ['networking.k8s.io'],
          apiVersions: ['*'],
          operations: ['CREATE', 'UPDATE', 'DELETE'],
          resources: ['networkpolicies'],
        },
      ],
      validations: [
        {
          expression: 'false',
          reason: 'Forbidden',
          message:
            "NetworkPolicies of tenant namespaces belong to the platform (the tenant's GlobalTenantResource replicates them): ask a platform admin to change the tenant isolation",
        },
      ],
    });

    // On CREATE a missing label is fine (Capsule adds it); on UPDATE a label the namespace had
    // must stay, or removing it would fall back to Pod Security Admission's default, privileged.
    // `key` is a CEL string expression; oldObject is only read on UPDATE (it is null on CREATE).
    const labelRule = (key: string, allowed: string) =>
      `(has(object.metadata.labels) && ${key} in object.metadata.labels) ? ` +
      `object.metadata.labels[${key}] in ${allowed} : ` +
      `!(request.operation == 'UPDATE' && has(oldObject.metadata.labels) && ${key} in oldObject.metadata.labels)`;
    this.policy(POD_SECURITY_LOCK, {
      resourceRules: [
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] },
      ],
      validations: [
        {
          expression: labelRule(`'pod-security.kubernetes.io/enforce'`, celList(enforceLevels)),
          reason: 'Forbidden',
          message: `a tenant namespace enforces Pod Security level ${enforceLevels.join(' or ')}, and keeps its pod-security.kubernetes.io/enforce label`,
        },
        {
          expression: `['audit', 'warn'].all(m, ${labelRule(`('pod-security.kubernetes.io/' + m)`, `['restricted']`)})`,
          reason: 'Forbidden',
          message:
            'a tenant namespace audits and warns at Pod Security level restricted, and keeps its pod-security.kubernetes.io/audit and warn labels',
        },
        {
          expression: `['enforce', 'audit', 'warn'].all(m, ${labelRule(`('pod-security.kubernetes.io/' + m + '-version')`, celList([version]))})`,
          reason: 'Forbidden',
          message: `a tenant namespace follows the platform's Pod Security Standards version (${version}), and keeps its pod-security.kubernetes.io/*-version labels`,
        },
      ],
    });
  }

  private policy(name: string, spec: { resourceRules: unknown[]; validations: unknown[] }): void {
    const policy = new ApiObject(this, name, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: spec.resourceRules },
        matchConditions: [{ name: 'not-the-platform', expression: this.notPlatformCondition }],
        validations: spec.validations,
      },
    });
    const binding = new ApiObject(this, `${name}-binding`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: {
        policyName: name,
        validationActions: this.action === GuardrailAction.DENY ? ['Deny'] : ['Audit', 'Warn'],
        // For a Namespace request the selector is matched against the namespace's own labels.
        matchResources: {
          namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] },
        },
      },
    });
    binding.addDependency(policy);
  }
}

function celList(values: string[]): string {
  return `[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}
