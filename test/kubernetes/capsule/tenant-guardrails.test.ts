import { run } from '@bufbuild/cel';
import { Testing } from 'cdk8s';
import {
  GuardrailAction,
  NETWORK_POLICY_LOCK,
  POD_SECURITY_LOCK,
  PodSecurityLevel,
  TenantGuardrails,
  TenantGuardrailsProps,
} from '../../../lib/kubernetes/capsule';
import { PlatformError } from '../../../lib/spec';
import { coreObjectErrors } from './upstream-schemas';

const ADMINS = '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13';
const DEV_OWNERS = 'b71c9e3a-5d2f-4b8e-a046-9e3f7c1d2a58';

function synth(props: TenantGuardrailsProps = {}): any[] {
  const chart = Testing.chart();
  new TenantGuardrails(chart, 'guardrails', props);
  return Testing.synth(chart);
}

/** CEL maps are JS Maps; lists stay arrays. */
function toCel(v: any): any {
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  return v;
}

const find = (objects: any[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

/** Whether the policy `name` refuses a request by `user` on `object` (matchConditions, then validations). */
function refuses(
  objects: any[],
  name: string,
  user: { username: string; groups?: string[] },
  object?: any,
): boolean {
  const policy = find(objects, 'ValidatingAdmissionPolicy', name);
  const bindings = {
    request: toCel({ userInfo: user }),
    object: object === undefined ? null : toCel(object),
  };
  const applies = policy.spec.matchConditions.every((c: any) => run(c.expression, bindings) === true);
  if (!applies) return false;
  return policy.spec.validations.some((v: any) => run(v.expression, bindings) !== true);
}

const owner = { username: 'alice@contoso.com', groups: [DEV_OWNERS, 'system:authenticated'] };
const tenantServiceAccount = {
  username: 'system:serviceaccount:dev-demo:deployer',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:dev-demo', 'system:authenticated'],
};
const sa = (ns: string, name: string) => ({
  username: `system:serviceaccount:${ns}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
});
const admin = { username: 'bob@contoso.com', groups: [ADMINS, 'system:authenticated'] };

describe('TenantGuardrails: NetworkPolicies of tenant namespaces', () => {
  const objects = synth({ exemptGroupIds: [ADMINS.toUpperCase()] });
  const policy = find(objects, 'ValidatingAdmissionPolicy', NETWORK_POLICY_LOCK);
  const binding = find(objects, 'ValidatingAdmissionPolicyBinding', NETWORK_POLICY_LOCK);

  test('matches every write of a NetworkPolicy, fails closed', () => {
    expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(policy.spec.failurePolicy).toBe('Fail');
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      {
        apiGroups: ['networking.k8s.io'],
        apiVersions: ['*'],
        operations: ['CREATE', 'UPDATE', 'DELETE'],
        resources: ['networkpolicies'],
      },
    ]);
  });

  test('bound to the namespaces Capsule labels as tenant namespaces, denying', () => {
    expect(binding.spec).toEqual({
      policyName: NETWORK_POLICY_LOCK,
      validationActions: ['Deny'],
      matchResources: {
        namespaceSelector: { matchExpressions: [{ key: 'capsule.clastix.io/tenant', operator: 'Exists' }] },
      },
    });
  });

  test('refuses tenant owners and the service accounts of tenant namespaces', () => {
    expect(refuses(objects, NETWORK_POLICY_LOCK, owner)).toBe(true);
    expect(refuses(objects, NETWORK_POLICY_LOCK, tenantServiceAccount)).toBe(true);
    expect(refuses(objects, NETWORK_POLICY_LOCK, { username: 'carol@contoso.com' })).toBe(true);
  });

  test('lets the platform through: Capsule, Kyverno, kube-system, controller manager, masters, admins', () => {
    for (const user of [
      sa('capsule-system', 'capsule'),
      sa('kyverno', 'kyverno-background-controller'),
      sa('kube-system', 'namespace-controller'),
      { username: 'system:kube-controller-manager' },
      { username: 'masterclient', groups: ['system:masters'] },
      admin,
    ]) {
      expect({ user: user.username, refused: refuses(objects, NETWORK_POLICY_LOCK, user) }).toEqual({
        user: user.username,
        refused: false,
      });
    }
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('TenantGuardrails: Pod Security labels of tenant namespaces', () => {
  const objects = synth();
  const ns = (labels: Record<string, string>) => ({
    metadata: { name: 'dev-x', labels: { 'capsule.clastix.io/tenant': 'dev', ...labels } },
  });

  test('matches namespace creation and updates in tenant namespaces', () => {
    const policy = find(objects, 'ValidatingAdmissionPolicy', POD_SECURITY_LOCK);
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] },
    ]);
    const binding = find(objects, 'ValidatingAdmissionPolicyBinding', POD_SECURITY_LOCK);
    expect(binding.spec.matchResources.namespaceSelector.matchExpressions[0].key).toBe(
      'capsule.clastix.io/tenant',
    );
  });

  test('an owner may leave the labels to Capsule or repeat the platform level', () => {
    expect(refuses(objects, POD_SECURITY_LOCK, owner, ns({}))).toBe(false);
    expect(
      refuses(
        objects,
        POD_SECURITY_LOCK,
        owner,
        ns({
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        }),
      ),
    ).toBe(false);
  });

  test('an owner may not weaken enforce, audit, warn or pin an old version', () => {
    for (const labels of <Record<string, string>[]>[
      { 'pod-security.kubernetes.io/enforce': 'privileged' },
      { 'pod-security.kubernetes.io/enforce': 'baseline' },
      { 'pod-security.kubernetes.io/audit': 'baseline' },
      { 'pod-security.kubernetes.io/warn': 'privileged' },
      { 'pod-security.kubernetes.io/enforce-version': 'v1.22' },
    ]) {
      expect({ labels, refused: refuses(objects, POD_SECURITY_LOCK, owner, ns(labels)) }).toEqual({
        labels,
        refused: true,
      });
    }
  });

  test('the platform (Capsule reconciling its labels) is not checked', () => {
    const privileged = ns({ 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(refuses(objects, POD_SECURITY_LOCK, sa('capsule-system', 'capsule'), privileged)).toBe(false);
  });

  test('with a baseline platform, baseline and restricted are accepted, privileged is not', () => {
    const baseline = synth({ podSecurity: PodSecurityLevel.BASELINE });
    const enforce = (level: string) => ns({ 'pod-security.kubernetes.io/enforce': level });
    expect(refuses(baseline, POD_SECURITY_LOCK, owner, enforce('baseline'))).toBe(false);
    expect(refuses(baseline, POD_SECURITY_LOCK, owner, enforce('restricted'))).toBe(false);
    expect(refuses(baseline, POD_SECURITY_LOCK, owner, enforce('privileged'))).toBe(true);
  });
});

describe('TenantGuardrails: options', () => {
  test('extra exempt namespaces (a GitOps controller) and other Capsule/Kyverno namespaces', () => {
    const objects = synth({
      exemptServiceAccountNamespaces: ['flux-system'],
      capsuleNamespace: 'capsule',
      kyvernoNamespace: 'policy',
    });
    expect(refuses(objects, NETWORK_POLICY_LOCK, sa('flux-system', 'kustomize-controller'))).toBe(false);
    expect(refuses(objects, NETWORK_POLICY_LOCK, sa('capsule', 'capsule'))).toBe(false);
    expect(refuses(objects, NETWORK_POLICY_LOCK, sa('policy', 'kyverno-background-controller'))).toBe(false);
    expect(refuses(objects, NETWORK_POLICY_LOCK, sa('capsule-system', 'capsule'))).toBe(true);
  });

  test('Audit action: recorded and warned, not refused', () => {
    const objects = synth({ action: GuardrailAction.AUDIT });
    for (const b of objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')) {
      expect(b.spec.validationActions).toEqual(['Audit', 'Warn']);
    }
  });

  test('valid against the Kubernetes API, each binding after its policy', () => {
    const objects = synth({ exemptGroupIds: [ADMINS] });
    expect(objects.map((o) => o.kind)).toEqual([
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]);
    expect(coreObjectErrors(objects)).toEqual([]);
  });

  test.each([
    [{ exemptGroupIds: ['admins'] }, /exemptGroupIds: "admins" is not an Entra ID object id/],
    [{ exemptServiceAccountNamespaces: ['Flux'] }, /TenantGuardrails: "Flux" is not a namespace name/],
    [{ capsuleNamespace: '' }, /TenantGuardrails: "" is not a namespace name/],
  ])('bad props: %j', (props, message) => {
    expect(() => synth(props)).toThrow(PlatformError);
    expect(() => synth(props)).toThrow(message);
  });
});
