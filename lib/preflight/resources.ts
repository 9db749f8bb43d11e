/** How the API server names a kind: its group, version, plural resource and scope. */
export interface ResourceIdentity {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
  readonly clusterScoped: boolean;
}

// Plural and scope of the kinds a platform or an application emits; other kinds fall back to the
// regular English plural and to the scope their metadata implies.
const KNOWN: Record<string, { readonly resource: string; readonly cluster?: boolean }> = {
  Pod: { resource: 'pods' },
  Service: { resource: 'services' },
  ServiceAccount: { resource: 'serviceaccounts' },
  ConfigMap: { resource: 'configmaps' },
  Secret: { resource: 'secrets' },
  Endpoints: { resource: 'endpoints' },
  PersistentVolumeClaim: { resource: 'persistentvolumeclaims' },
  ResourceQuota: { resource: 'resourcequotas' },
  LimitRange: { resource: 'limitranges' },
  ReplicationController: { resource: 'replicationcontrollers' },
  Namespace: { resource: 'namespaces', cluster: true },
  Node: { resource: 'nodes', cluster: true },
  PersistentVolume: { resource: 'persistentvolumes', cluster: true },
  Deployment: { resource: 'deployments' },
  StatefulSet: { resource: 'statefulsets' },
  DaemonSet: { resource: 'daemonsets' },
  ReplicaSet: { resource: 'replicasets' },
  Job: { resource: 'jobs' },
  CronJob: { resource: 'cronjobs' },
  HorizontalPodAutoscaler: { resource: 'horizontalpodautoscalers' },
  PodDisruptionBudget: { resource: 'poddisruptionbudgets' },
  NetworkPolicy: { resource: 'networkpolicies' },
  Ingress: { resource: 'ingresses' },
  IngressClass: { resource: 'ingressclasses', cluster: true },
  Role: { resource: 'roles' },
  RoleBinding: { resource: 'rolebindings' },
  ClusterRole: { resource: 'clusterroles', cluster: true },
  ClusterRoleBinding: { resource: 'clusterrolebindings', cluster: true },
  StorageClass: { resource: 'storageclasses', cluster: true },
  PriorityClass: { resource: 'priorityclasses', cluster: true },
  RuntimeClass: { resource: 'runtimeclasses', cluster: true },
  CustomResourceDefinition: { resource: 'customresourcedefinitions', cluster: true },
  ValidatingWebhookConfiguration: { resource: 'validatingwebhookconfigurations', cluster: true },
  MutatingWebhookConfiguration: { resource: 'mutatingwebhookconfigurations', cluster: true },
  ValidatingAdmissionPolicy: { resource: 'validatingadmissionpolicies', cluster: true },
  ValidatingAdmissionPolicyBinding: { resource: 'validatingadmissionpolicybindings', cluster: true },
  // Kyverno
  ValidatingPolicy: { resource: 'validatingpolicies', cluster: true },
  MutatingPolicy: { resource: 'mutatingpolicies', cluster: true },
  GeneratingPolicy: { resource: 'generatingpolicies', cluster: true },
  ImageValidatingPolicy: { resource: 'imagevalidatingpolicies', cluster: true },
  DeletingPolicy: { resource: 'deletingpolicies', cluster: true },
  PolicyException: { resource: 'policyexceptions' },
  ClusterPolicy: { resource: 'clusterpolicies', cluster: true },
  Policy: { resource: 'policies' },
  PolicyReport: { resource: 'policyreports' },
  ClusterPolicyReport: { resource: 'clusterpolicyreports', cluster: true },
  // Capsule
  Tenant: { resource: 'tenants', cluster: true },
  CapsuleConfiguration: { resource: 'capsuleconfigurations', cluster: true },
  GlobalTenantResource: { resource: 'globaltenantresources', cluster: true },
  TenantResource: { resource: 'tenantresources' },
  // cert-manager
  Certificate: { resource: 'certificates' },
  Issuer: { resource: 'issuers' },
  ClusterIssuer: { resource: 'clusterissuers', cluster: true },
  // Secrets Store CSI driver
  SecretProviderClass: { resource: 'secretproviderclasses' },
};

function regularPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** Splits `apps/v1` into group `apps` and version `v1`; the core group is the empty string. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The resource identity of a manifest. A kind we do not know is namespaced when its metadata names
 * a namespace and cluster-scoped otherwise.
 */
export function resourceIdentity(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
): ResourceIdentity {
  const { group, version } = splitApiVersion(apiVersion);
  const known = KNOWN[kind];
  return {
    group,
    version,
    kind,
    resource: known?.resource ?? regularPlural(kind),
    clusterScoped: known ? known.cluster === true : namespace === undefined,
  };
}
