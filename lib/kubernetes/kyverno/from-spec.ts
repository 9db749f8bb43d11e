import type { Construct } from 'constructs';
import type { PlatformSpec } from '../../spec';
import { systemNamespaces } from '../../spec';
import { KyvernoPolicies } from './kyverno-policies';
import { PodSecurityLevel, PodSecurityVersion } from '../capsule/tenant-options';
import { podSecurityVersionOf } from '../../spec/schema/kyverno';
import { PolicyAction, PolicyApi } from './model';

const ACTIONS: Record<'Audit' | 'Enforce', PolicyAction> = {
  Audit: PolicyAction.AUDIT,
  Enforce: PolicyAction.ENFORCE,
};

/** Adds the Kyverno policy catalog selected by the platform file. */
export function kyvernoPoliciesFromSpec(scope: Construct, spec: PlatformSpec): KyvernoPolicies {
  const k = spec.kyverno;
  const action = (a: 'Audit' | 'Enforce' | undefined) => (a === undefined ? undefined : ACTIONS[a]);
  const policies = new KyvernoPolicies(scope, 'kyverno', {
    podSecurity: k.podSecurity === 'baseline' ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED,
    podSecurityVersion: PodSecurityVersion.parse(podSecurityVersionOf(spec)),
    allowedRegistries: k.allowedRegistries,
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
  });
  k.exceptions.forEach((e) =>
    policies.addException(`exception-${e.name}`, {
      exceptionName: e.name,
      policies: e.policies,
      workloadNamespace: e.namespace,
      workloads: e.workloads,
      reason: e.reason,
      expiresAt: e.expiresAt,
    }),
  );
  return policies;
}
