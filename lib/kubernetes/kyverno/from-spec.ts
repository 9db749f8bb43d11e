import type { Construct } from 'constructs';
import type { PlatformSpec, WorkloadIdentityIds } from '../../platform-file';
import { keyVaultAccesses, systemNamespaces, workloadIdentityKey } from '../../platform-file';
import type { WorkloadIdentityGrant } from './catalog';
import { KyvernoPolicies } from './kyverno-policies';
import { SpecProblems } from '../private/spec-problems';
import { PodSecurityLevel, PodSecurityVersion } from '../pod-security';
import { podSecurityVersionOf } from '../../platform-file/schema/kyverno';
import { PolicyAction, PolicyApi } from './model';

const ACTIONS: Record<'Audit' | 'Enforce', PolicyAction> = {
  Audit: PolicyAction.AUDIT,
  Enforce: PolicyAction.ENFORCE,
};

/**
 * Adds the Kyverno policy catalog selected by the platform file.
 * @param workloadIdentities the resolved identities of the workloads (resolvePlatformOutputs),
 *   whose client ids `restrict-workload-identity` allows in their namespaces
 * @throws PlatformValidationError with the problems of the catalog and of every exception
 */
export function kyvernoPoliciesFromSpec(
  scope: Construct,
  spec: PlatformSpec,
  workloadIdentities: ReadonlyMap<string, WorkloadIdentityIds> = new Map(),
): KyvernoPolicies {
  const problems = new SpecProblems();
  const policies = addKyvernoPolicies(scope, spec, problems, workloadIdentities);
  problems.throwIfAny();
  return policies!;
}

/**
 * The client ids issued to each workload namespace: the identities the infra stack created (as
 * resolved from its outputs) and those the platform file names. A workload whose identity is not
 * resolved issues nothing.
 */
function issuedIdentities(
  spec: PlatformSpec,
  identities: ReadonlyMap<string, WorkloadIdentityIds>,
): WorkloadIdentityGrant[] {
  const byNamespace = new Map<string, string[]>();
  for (const a of keyVaultAccesses(spec)) {
    const ns = a.workload.namespace;
    const id = identities.get(workloadIdentityKey(ns, a.workload.name))?.clientId ?? a.clientId;
    const list = byNamespace.get(ns) ?? [];
    if (id !== undefined && !list.includes(id)) list.push(id);
    byNamespace.set(ns, list);
  }
  return [...byNamespace].map(([namespace, clientIds]) => ({ namespace, clientIds }));
}

/**
 * kyvernoPoliciesFromSpec, recording problems in `problems` instead of throwing.
 * @param workloadIdentities the resolved identities of the workloads (resolvePlatformOutputs)
 */
export function addKyvernoPolicies(
  scope: Construct,
  spec: PlatformSpec,
  problems: SpecProblems,
  workloadIdentities: ReadonlyMap<string, WorkloadIdentityIds> = new Map(),
): KyvernoPolicies | undefined {
  const k = spec.kyverno;
  const action = (a: 'Audit' | 'Enforce' | undefined) => (a === undefined ? undefined : ACTIONS[a]);
  const policies = problems.build(
    scope,
    'kyverno',
    'kyverno',
    () =>
      new KyvernoPolicies(scope, 'kyverno', {
        podSecurity: k.podSecurity === 'baseline' ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED,
        podSecurityVersion: PodSecurityVersion.parse(podSecurityVersionOf(spec)),
        allowedRegistries: k.allowedRegistries,
        workloadIdentities: issuedIdentities(spec, workloadIdentities),
        action: ACTIONS[k.action],
        api: k.policyApi === 'kyverno.io/v1' ? PolicyApi.LEGACY : PolicyApi.CEL,
        overrides: Object.entries(k.policies).map(([policyName, o]) => ({
          policyName,
          action: action(o.action),
          enabled: o.enabled,
        })),
        // `default` is a system namespace for naming, but it stays checked: disallow-default-namespace
        // keeps workloads out, and anything admitted there must still meet Pod Security.
        excludedNamespaces: systemNamespaces(spec).filter((ns) => ns !== 'default'),
        exceptionNamespace: k.exceptionNamespace,
        imageVerification: k.imageVerification && {
          images: k.imageVerification.images,
          issuer: k.imageVerification.issuer,
          subject: k.imageVerification.subject,
          action: action(k.imageVerification.action),
        },
      }),
  );
  if (!policies) return undefined;
  k.exceptions.forEach((e, i) =>
    problems.build(policies, `exception-${e.name}`, `kyverno.exceptions[${i}]`, () =>
      policies.addException(`exception-${e.name}`, {
        exceptionName: e.name,
        policies: e.policies,
        workloadNamespace: e.namespace,
        workloads: e.workloads,
        reason: e.reason,
        expiresAt: e.expiresAt,
      }),
    ),
  );
  return policies;
}
