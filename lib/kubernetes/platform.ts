import { App, Chart } from 'cdk8s';
import type { PlatformSpec, WorkloadIdentityIds } from '../platform-file';
import { addTenants } from './capsule/from-spec';
import { addKyvernoPolicies } from './kyverno/from-spec';
import { SpecProblems } from './private/spec-problems';
import { addWorkloads } from './workloads/from-spec';

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
 * @param workloadIdentities identity of every workload that reads Key Vault, by
 *   workloadIdentityKey (resolvePlatformOutputs reads them from the infra outputs)
 * @throws PlatformValidationError with the problems of every construct, by platform-file key
 */
export function addKubernetesPlatform(
  app: App,
  spec: PlatformSpec,
  groupObjectIds: ReadonlyMap<string, string>,
  workloadIdentities: ReadonlyMap<string, WorkloadIdentityIds> = new Map(),
): KubernetesPlatformCharts {
  // Every construct is built before any problem is reported: one synth names all of them.
  const problems = new SpecProblems();
  const policies = new Chart(app, 'kyverno-policies');
  addKyvernoPolicies(policies, spec, problems, workloadIdentities);
  const tenants = new Chart(app, 'tenants');
  addTenants(tenants, spec, groupObjectIds, problems);
  const workloads = new Chart(app, 'workloads');
  addWorkloads(workloads, spec, problems, workloadIdentities);
  problems.throwIfAny();
  return { policies, tenants, workloads };
}
