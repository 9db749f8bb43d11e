import { App, Chart } from 'cdk8s';
import type { PlatformSpec } from '../spec';
import { tenantsFromSpec } from './capsule/from-spec';
import { kyvernoPoliciesFromSpec } from './kyverno/from-spec';
import { workloadsFromSpec } from './workloads/from-spec';

/** The charts of the platform's Kubernetes YAML, one output file each. */
export interface KubernetesPlatformCharts {
  readonly policies: Chart;
  readonly tenants: Chart;
  readonly workloads: Chart;
}

/**
 * Adds the platform's Kubernetes objects to `app`: Kyverno policies, Capsule tenants and the
 * tenants' workloads.
 * @param groupObjectIds object id of every group key of groupKeysNeededByKubernetes(spec)
 */
export function addKubernetesPlatform(
  app: App,
  spec: PlatformSpec,
  groupObjectIds: ReadonlyMap<string, string>,
): KubernetesPlatformCharts {
  const policies = new Chart(app, 'kyverno-policies');
  kyvernoPoliciesFromSpec(policies, spec);
  const tenants = new Chart(app, 'tenants');
  tenantsFromSpec(tenants, spec, groupObjectIds);
  const workloads = new Chart(app, 'workloads');
  workloadsFromSpec(workloads, spec);
  return { policies, tenants, workloads };
}
