/** A Kubernetes object as plain JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = Record<string, any>;

/** Where each pod controller keeps its pod template, and the resource name autogen knows it by. */
const POD_CONTROLLERS: Record<string, { readonly resource: string; readonly template: readonly string[] }> = {
  Deployment: { resource: 'deployments', template: ['spec', 'template'] },
  StatefulSet: { resource: 'statefulsets', template: ['spec', 'template'] },
  DaemonSet: { resource: 'daemonsets', template: ['spec', 'template'] },
  ReplicaSet: { resource: 'replicasets', template: ['spec', 'template'] },
  Job: { resource: 'jobs', template: ['spec', 'template'] },
  CronJob: { resource: 'cronjobs', template: ['spec', 'jobTemplate', 'spec', 'template'] },
};

/** The controllers Kyverno generates pod rules for when a policy does not list them. */
export const DEFAULT_POD_CONTROLLERS: readonly string[] = Object.values(POD_CONTROLLERS).map(
  (c) => c.resource,
);

/** The autogen resource name of a pod controller kind (`Deployment` → `deployments`), if it is one. */
export function podControllerResource(kind: string): string | undefined {
  return POD_CONTROLLERS[kind]?.resource;
}

/**
 * The Pod a controller would create, the way Kyverno's autogen sees it: the template's metadata
 * and spec, with the controller's namespace and name (generated pod names are not known yet).
 * @returns undefined when the manifest is not a pod controller or has no template
 */
export function podFromController(controller: Manifest): Manifest | undefined {
  const where = POD_CONTROLLERS[controller.kind];
  if (!where) return undefined;
  let template: unknown = controller;
  for (const key of where.template) template = (template as Manifest | undefined)?.[key];
  if (!template || typeof template !== 'object') return undefined;
  const t = template as Manifest;
  const metadata: Manifest = { ...(t.metadata ?? {}), name: controller.metadata?.name };
  if (controller.metadata?.namespace !== undefined) metadata.namespace = controller.metadata.namespace;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: t.spec ?? {} };
}

/**
 * Where a field of the Pod that `podFromController` builds is written in the controller: the
 * pod's spec and metadata are the template's, except its name and namespace, which are the
 * controller's.
 */
export function controllerPathOfPodField(
  controllerKind: string,
  podPath: ReadonlyArray<string | number>,
): Array<string | number> {
  const where = POD_CONTROLLERS[controllerKind];
  if (!where) return [...podPath];
  const [top, second] = podPath;
  if (top === 'metadata' && (second === 'name' || second === 'namespace')) return [...podPath];
  if (top === 'spec' || top === 'metadata') return [...where.template, ...podPath];
  return [...podPath];
}
