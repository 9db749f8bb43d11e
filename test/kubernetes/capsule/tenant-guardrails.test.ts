import { run } from '@bufbuild/cel';
import { Testing } from 'cdk8s';
import {
  GuardrailAction,
  NETWORK_POLICY_LOCK,
  POD_SECURITY_LOCK,
  TenantGuardrails,
  TenantGuardrailsProps,
} from '../../../lib/kubernetes/capsule';
import { PodSecurityLevel, PodSecurityVersion } from '../../../lib/kubernetes/pod-security';
import { HardenedDeployment, NetworkPeer } from '../../../lib/kubernetes/workloads';
import { PlatformError } from '../../../lib/platform-file';
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

/**
 * Whether the policy `name` refuses a request by `user` on `object` (matchConditions, then
 * validations). As in the API server, `oldObject` is null on CREATE.
 */
function refuses(
  objects: any[],
  name: string,
  user: { username: string; groups?: string[] },
  object?: any,
  update?: { oldObject: any },
): boolean {
  const policy = find(objects, 'ValidatingAdmissionPolicy', name);
  const bindings = {
    request: toCel({ userInfo: user, operation: update ? 'UPDATE' : 'CREATE' }),
    object: object === undefined ? null : toCel(object),
    oldObject: update ? toCel(update.oldObject) : null,
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
  // Built per test (beforeEach, not at collection): mutation testing then knows which tests run which code.
  let objects: any[];
  let policy: any;
  let binding: any;
  beforeEach(() => {
    objects = synth({ exemptGroupIds: [ADMINS.toUpperCase()] });
    policy = find(objects, 'ValidatingAdmissionPolicy', NETWORK_POLICY_LOCK);
    binding = find(objects, 'ValidatingAdmissionPolicyBinding', NETWORK_POLICY_LOCK);
  });

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

describe('TenantGuardrails: who applies the NetworkPolicy of a hardened workload', () => {
  // The lock stays (Capsule issue #649): workload manifests, NetworkPolicy included, are applied
  // by the platform's pipeline identity, never by a tenant owner's own credentials.
  const PIPELINE = '9d4c2b7a-1e3f-4a5b-8c6d-7e8f9a0b1c2d';
  let objects: any[];
  let networkPolicy: any;
  beforeEach(() => {
    objects = synth({ exemptGroupIds: [PIPELINE], exemptServiceAccountNamespaces: ['flux-system'] });
    const chart = Testing.chart();
    new HardenedDeployment(chart, 'api', {
      namespace: 'dev-demo',
      image: 'ghcr.io/example/api:1.2.3',
      port: 8080,
      allowFrom: [NetworkPeer.workload('web')],
    });
    networkPolicy = Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy');
  });

  test('the object is the NetworkPolicy HardenedDeployment emits', () => {
    expect(networkPolicy.metadata).toMatchObject({ name: 'api', namespace: 'dev-demo' });
  });

  test('a tenant owner creating it is refused', () => {
    expect(refuses(objects, NETWORK_POLICY_LOCK, owner, networkPolicy)).toBe(true);
    expect(refuses(objects, NETWORK_POLICY_LOCK, tenantServiceAccount, networkPolicy)).toBe(true);
  });

  test('a member of an exempt group (the pipeline identity) may create it', () => {
    const pipeline = { username: 'deploy-pipeline@contoso.com', groups: [PIPELINE, 'system:authenticated'] };
    expect(refuses(objects, NETWORK_POLICY_LOCK, pipeline, networkPolicy)).toBe(false);
    expect(refuses(objects, NETWORK_POLICY_LOCK, pipeline, networkPolicy, { oldObject: networkPolicy })).toBe(
      false,
    );
  });

  test('a service account of an exempt namespace (a GitOps controller) may create it', () => {
    expect(
      refuses(objects, NETWORK_POLICY_LOCK, sa('flux-system', 'kustomize-controller'), networkPolicy),
    ).toBe(false);
    // A service account named the same in another namespace is not exempt.
    expect(refuses(objects, NETWORK_POLICY_LOCK, sa('dev-demo', 'kustomize-controller'), networkPolicy)).toBe(
      true,
    );
  });
});

describe('TenantGuardrails: Pod Security labels of tenant namespaces', () => {
  let objects: any[];
  beforeEach(() => {
    objects = synth();
  });
  /** The labels Capsule puts on a namespace of a restricted tenant. */
  const PSA: Record<string, string> = {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'latest',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'latest',
  };
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

  test('an owner may not remove an enforce, audit or warn label the namespace has', () => {
    const before = ns(PSA);
    for (const mode of ['enforce', 'audit', 'warn']) {
      const labels = { ...PSA };
      delete labels[`pod-security.kubernetes.io/${mode}`];
      expect({
        mode,
        refused: refuses(objects, POD_SECURITY_LOCK, owner, ns(labels), { oldObject: before }),
      }).toEqual({ mode, refused: true });
    }
  });

  test('removing every label at once, or the whole labels map, is refused too', () => {
    const before = ns(PSA);
    expect(refuses(objects, POD_SECURITY_LOCK, owner, ns({}), { oldObject: before })).toBe(true);
    expect(
      refuses(objects, POD_SECURITY_LOCK, owner, { metadata: { name: 'dev-x' } }, { oldObject: before }),
    ).toBe(true);
  });

  test('an update that keeps the labels, or changes other labels, is accepted', () => {
    const before = ns(PSA);
    expect(refuses(objects, POD_SECURITY_LOCK, owner, ns(PSA), { oldObject: before })).toBe(false);
    expect(
      refuses(objects, POD_SECURITY_LOCK, owner, ns({ ...PSA, team: 'payments' }), { oldObject: before }),
    ).toBe(false);
  });

  test('an update may still not weaken a kept label', () => {
    const before = ns(PSA);
    for (const [key, value] of [
      ['pod-security.kubernetes.io/enforce', 'privileged'],
      ['pod-security.kubernetes.io/audit', 'baseline'],
      ['pod-security.kubernetes.io/warn', 'privileged'],
      ['pod-security.kubernetes.io/enforce-version', 'v1.22'],
    ]) {
      expect({
        key,
        refused: refuses(objects, POD_SECURITY_LOCK, owner, ns({ ...PSA, [key]: value }), {
          oldObject: before,
        }),
      }).toEqual({ key, refused: true });
    }
  });

  test('an update of a namespace that had no label yet may leave it out (Capsule adds it)', () => {
    const before = ns({});
    expect(refuses(objects, POD_SECURITY_LOCK, owner, ns({ team: 'payments' }), { oldObject: before })).toBe(
      false,
    );
    expect(
      refuses(
        objects,
        POD_SECURITY_LOCK,
        owner,
        { metadata: { name: 'dev-x' } },
        {
          oldObject: { metadata: { name: 'dev-x' } },
        },
      ),
    ).toBe(false);
  });

  test('a namespace created without labels at all is accepted', () => {
    expect(refuses(objects, POD_SECURITY_LOCK, owner, { metadata: { name: 'dev-x' } })).toBe(false);
  });

  test('the platform (Capsule reconciling its labels) may remove them', () => {
    expect(
      refuses(objects, POD_SECURITY_LOCK, sa('capsule-system', 'capsule'), ns({}), { oldObject: ns(PSA) }),
    ).toBe(false);
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
    const before = { oldObject: enforce('baseline') };
    expect(refuses(baseline, POD_SECURITY_LOCK, owner, enforce('restricted'), before)).toBe(false);
    expect(refuses(baseline, POD_SECURITY_LOCK, owner, ns({}), before)).toBe(true);
  });

  test('an owner may not remove a version label the namespace has', () => {
    for (const mode of ['enforce', 'audit', 'warn']) {
      const labels = { ...PSA };
      delete labels[`pod-security.kubernetes.io/${mode}-version`];
      expect({
        mode,
        refused: refuses(objects, POD_SECURITY_LOCK, owner, ns(labels), { oldObject: ns(PSA) }),
      }).toEqual({ mode, refused: true });
    }
  });

  test("with a pinned version, only the platform's version is accepted, not latest nor an older one", () => {
    const pinned = synth({ podSecurityVersion: PodSecurityVersion.of(35) });
    const version = (v: string) =>
      ns({
        ...PSA,
        ...Object.fromEntries(
          ['enforce', 'audit', 'warn'].map((m) => [`pod-security.kubernetes.io/${m}-version`, v]),
        ),
      });
    expect(refuses(pinned, POD_SECURITY_LOCK, owner, version('v1.35'))).toBe(false);
    expect(refuses(pinned, POD_SECURITY_LOCK, owner, version('v1.35'), { oldObject: version('v1.35') })).toBe(
      false,
    );
    for (const v of ['latest', 'v1.34', 'v1.22', 'v1.36']) {
      expect({ v, refused: refuses(pinned, POD_SECURITY_LOCK, owner, version(v)) }).toEqual({
        v,
        refused: true,
      });
    }
    const policy = find(pinned, 'ValidatingAdmissionPolicy', POD_SECURITY_LOCK);
    expect(policy.spec.validations[2].message).toBe(
      "a tenant namespace follows the platform's Pod Security Standards version (v1.35), and keeps its pod-security.kubernetes.io/*-version labels",
    );
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
    [
      { exemptGroupIds: ['admins'] },
      /^TenantGuardrails test\/guardrails: exemptGroupIds\[0\]: "admins" is not an Entra ID object id/,
    ],
    [
      { exemptServiceAccountNamespaces: ['Flux'] },
      /exemptServiceAccountNamespaces\[0\]: "Flux" is not a namespace name/,
    ],
    [{ capsuleNamespace: '' }, /capsuleNamespace: "" is not a namespace name/],
  ])('bad props: %j', (props, message) => {
    expect(() => synth(props)).toThrow(PlatformError);
    expect(() => synth(props)).toThrow(message);
  });
});
