import { Testing } from 'cdk8s';
import { ImageSignaturePolicy, PolicyAction, PolicyApi } from '../../../lib/kubernetes/kyverno';
import { evaluateImageValidatingPolicy, podImages } from './evaluate';
import { podWith } from './pods';

type Json = Record<string, any>;

const PROPS = {
  images: ['myacr.azurecr.io/*'],
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/contoso/api/.github/workflows/release.yml@refs/heads/main',
  excludedNamespaces: ['kube-system'],
};

const APP = 'myacr.azurecr.io/team/api:2.1.0';
const INIT = 'myacr.azurecr.io/team/migrate:2.1.0';
const DEBUG = 'myacr.azurecr.io/team/debug:1.0.0';

function policy(api: PolicyApi, action = PolicyAction.ENFORCE): Json {
  const chart = Testing.chart();
  new ImageSignaturePolicy(chart, 'verify', { ...PROPS, api, action });
  const [object] = Testing.synth(chart);
  return object;
}

/** A compliant pod with images of the verified registry: one per container list. */
const pod = (ephemeral = true) =>
  podWith((p) => {
    p.spec.containers[0].image = APP;
    p.spec.initContainers[0].image = INIT;
    if (ephemeral) p.spec.ephemeralContainers = [{ name: 'debug', image: DEBUG }];
  });

describe('ImageSignaturePolicy (CEL) evaluated on a pod', () => {
  const ivpol = policy(PolicyApi.CEL);
  const verdict = (p: Json, signed: string[], images?: Record<string, string[]>) =>
    evaluateImageValidatingPolicy(ivpol, p, signed, images);
  const refused = {
    matched: true,
    passed: false,
    messages: [`Images must be signed by ${PROPS.subject} (issuer ${PROPS.issuer}).`],
  };

  test('every image signed: admitted', () => {
    expect(verdict(pod(), [APP, INIT, DEBUG])).toEqual({ matched: true, passed: true, messages: [] });
  });

  test('an unsigned regular container image: refused', () => {
    expect(verdict(pod(), [INIT, DEBUG])).toEqual(refused);
  });

  test('an unsigned init container image: refused', () => {
    expect(verdict(pod(), [APP, DEBUG])).toEqual(refused);
  });

  test('an unsigned ephemeral container image: refused', () => {
    expect(verdict(pod(), [APP, INIT])).toEqual(refused);
  });

  test('a pod with no init or ephemeral containers: only its containers are verified', () => {
    const bare = podWith((p) => {
      p.spec.containers[0].image = APP;
      delete p.spec.initContainers;
    });
    expect(podImages(bare)).toEqual({ containers: [APP], initContainers: [], ephemeralContainers: [] });
    expect(verdict(bare, [APP]).passed).toBe(true);
    expect(verdict(bare, []).passed).toBe(false);
  });

  test('container lists missing from the images variable count as empty, not as an error', () => {
    expect(verdict(pod(false), [APP], { containers: [APP] }).passed).toBe(true);
    expect(verdict(pod(false), [], { initContainers: [INIT] }).passed).toBe(false);
    expect(verdict(pod(false), [INIT], { initContainers: [INIT] }).passed).toBe(true);
  });

  test('excluded namespaces are not checked', () => {
    const system = podWith((p) => (p.metadata.namespace = 'kube-system'));
    expect(verdict(system, []).matched).toBe(false);
  });
});

describe('ImageSignaturePolicy (legacy verifyImages)', () => {
  test("relies on Kyverno's default image extractors, which cover init and ephemeral containers", () => {
    const rule = policy(PolicyApi.LEGACY).spec.rules[0];
    expect(rule.match.any[0].resources.kinds).toEqual(['Pod']);
    expect(rule).not.toHaveProperty('imageExtractors');
    expect(rule.verifyImages[0].imageReferences).toEqual(PROPS.images);
  });
});

describe('ImageSignaturePolicy in Audit: an audit does not rewrite image tags to digests', () => {
  test('CEL: validationConfigurations.mutateDigest is false in Audit, left to its default (true) in Enforce', () => {
    const audit = policy(PolicyApi.CEL, PolicyAction.AUDIT);
    expect(audit.spec.validationActions).toEqual(['Audit']);
    expect(audit.spec.validationConfigurations).toEqual({ mutateDigest: false });
    expect(policy(PolicyApi.CEL).spec).not.toHaveProperty('validationConfigurations');
  });

  test('legacy: verifyImages[].mutateDigest is false in Audit (Kyverno refuses the rule otherwise)', () => {
    const audit = policy(PolicyApi.LEGACY, PolicyAction.AUDIT).spec.rules[0].verifyImages[0];
    expect(audit).toMatchObject({ failureAction: 'Audit', mutateDigest: false });
    expect(policy(PolicyApi.LEGACY).spec.rules[0].verifyImages[0]).not.toHaveProperty('mutateDigest');
  });
});
