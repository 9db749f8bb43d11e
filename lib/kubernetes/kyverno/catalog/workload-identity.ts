import type { PodPolicyDefinition } from '../model';
import { PolicyCategory, PolicyResource, PolicySeverity } from '../model';
import { str } from '../private/cel';
import { TENANT_LABEL } from '../../labels';

/** Name of the workload identity restriction, as used in overrides and exceptions. */
export const WORKLOAD_IDENTITY_POLICY_NAME = 'restrict-workload-identity';

/** The ServiceAccount annotation the Azure workload identity webhook reads the client id from. */
export const WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

/** The client ids of the identities the platform issued to one namespace. */
export interface WorkloadIdentityGrant {
  /** The namespace of the ServiceAccounts. */
  readonly namespace: string;
  /** Client ids (UUIDs) a ServiceAccount of that namespace may carry. */
  readonly clientIds: string[];
}

/**
 * ServiceAccounts of tenant namespaces (those with Capsule's tenant label) may carry in
 * `azure.workload.identity/client-id` only a client id the platform issued to their namespace:
 * a tenant cannot make its pods present another tenant's identity, nor one the platform never
 * federated with the cluster. Client ids are compared in lowercase, as Entra ID does.
 */
export function workloadIdentityPolicy(grants: readonly WorkloadIdentityGrant[]): PodPolicyDefinition {
  const byNamespace = new Map<string, Set<string>>();
  for (const g of grants) {
    const ids = byNamespace.get(g.namespace) ?? new Set<string>();
    for (const id of g.clientIds) ids.add(id.toLowerCase());
    byNamespace.set(g.namespace, ids);
  }
  const issued = [...byNamespace.keys()]
    .sort()
    .map((ns) => `${str(ns)}: [${[...byNamespace.get(ns)!].sort().map(str).join(', ')}]`)
    .join(', ');
  const annotation = str(WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION);
  const message =
    'A ServiceAccount of a tenant namespace may only carry a workload identity client id that the platform issued to that namespace.';
  return {
    name: WORKLOAD_IDENTITY_POLICY_NAME,
    resource: PolicyResource.SERVICE_ACCOUNT,
    title: 'Restrict Workload Identities',
    description:
      'ServiceAccounts of tenant namespaces carry in azure.workload.identity/client-id only a client id the platform issued to their namespace.',
    category: PolicyCategory.MULTI_TENANCY,
    severity: PolicySeverity.HIGH,
    namespaceLabel: TENANT_LABEL,
    variables: [
      {
        name: 'clientId',
        expression: `has(object.metadata.annotations) && ${annotation} in object.metadata.annotations ? object.metadata.annotations[${annotation}].lowerAscii() : ''`,
      },
      { name: 'issued', expression: `{${issued}}` },
      {
        name: 'allowed',
        expression:
          'namespaceObject.metadata.name in variables.issued ? variables.issued[namespaceObject.metadata.name] : []',
      },
    ],
    validations: [
      {
        expression: "variables.clientId == '' || variables.clientId in variables.allowed",
        message,
        messageExpression: `${str(message + ' Client id: ')} + variables.clientId + ${str(', namespace: ')} + namespaceObject.metadata.name`,
      },
    ],
  };
}
