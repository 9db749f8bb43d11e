import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { describeValue } from '../../platform-file/errors';
import { PropProblems } from '../../platform-file/prop-problems';
import { isDnsLabel } from '../../platform-file/formats';
import { TENANT_LABEL } from '../labels';
import { podSecurityLabels, PodSecurityLevel, PodSecurityVersion } from '../pod-security';

/** A namespace the platform creates for a tenant (for example the namespace of a tenant workload). */
export interface TenantNamespaceOptions {
  /** Namespace name; with the tenant prefix rule it must start with `<tenant>-`. */
  readonly name: string;
}

export interface TenantNamespaceProps extends TenantNamespaceOptions {
  /** Name of the tenant the namespace belongs to. */
  readonly tenant: string;
  /** Refuse names that do not start with `<tenant>-`. @default true */
  readonly forceTenantPrefix?: boolean;
  /** Level Pod Security Admission enforces. @default PodSecurityLevel.RESTRICTED */
  readonly podSecurity?: PodSecurityLevel;
  /** Kubernetes minor of the Pod Security Standards (the `*-version` labels). @default PodSecurityVersion.LATEST */
  readonly podSecurityVersion?: PodSecurityVersion;
}

/**
 * A Namespace assigned to a tenant the way Capsule 0.14 expects from an administrator: the
 * `capsule.clastix.io/tenant` label (an owner reference would need the Tenant's uid, which only
 * exists in the cluster). It carries the Pod Security Admission labels from the start, so it is
 * never unlabelled while Capsule has not yet reconciled it.
 */
export class TenantNamespace extends Construct {
  public readonly name: string;
  public readonly tenant: string;
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const problems = new PropProblems('TenantNamespace', this.node.path);
    if (!isDnsLabel(props.name)) {
      problems.add(
        'name',
        `${describeValue(props.name)} is not a namespace name (a DNS label: lowercase letters, digits and '-', at most 63 characters)`,
      );
    } else if ((props.forceTenantPrefix ?? true) && !props.name.startsWith(`${props.tenant}-`)) {
      problems.add(
        'name',
        `${describeValue(props.name)} must start with "${props.tenant}-" (the tenant prefix rule is on)`,
      );
    }
    problems.throwIfAny();
    this.name = props.name;
    this.tenant = props.tenant;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: props.name,
        labels: {
          [TENANT_LABEL]: props.tenant,
          ...podSecurityLabels(
            props.podSecurity ?? PodSecurityLevel.RESTRICTED,
            props.podSecurityVersion ?? PodSecurityVersion.LATEST,
          ),
        },
      },
    });
  }
}
