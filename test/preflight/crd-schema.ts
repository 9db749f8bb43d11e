import { crd } from '../upstream/schemas';

/** The upstream PolicyReport and ClusterPolicyReport CRDs (vendor/kyverno) as one validator. */
export function policyReportValidator(): (o: unknown) => string[] {
  const kinds = ['PolicyReport', 'ClusterPolicyReport'];
  for (const kind of kinds) crd('wgpolicyk8s.io/v1alpha2', kind);
  return (o: unknown) => {
    const { apiVersion, kind } = o as { apiVersion: string; kind: string };
    if (!kinds.includes(kind)) return [`no schema for ${kind}`];
    const validate = crd(apiVersion, kind).validate;
    return validate(o) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}
