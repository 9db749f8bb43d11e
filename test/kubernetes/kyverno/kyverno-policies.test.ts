import { Testing } from 'cdk8s';
import type { KyvernoPoliciesProps } from '../../../lib/kubernetes/kyverno';
import {
  BEST_PRACTICES,
  CONVENTIONS,
  DEFAULT_EXCLUDED_NAMESPACES,
  KyvernoPolicies,
  podSecurityBaseline,
  podSecurityRestricted,
  PolicyAction,
  PolicyApi,
  RESTRICT_SERVICE_EXTERNAL_IPS,
} from '../../../lib/kubernetes/kyverno';
import { PodSecurityLevel, PodSecurityVersion } from '../../../lib/kubernetes/pod-security';
import { PlatformError } from '../../../lib/platform-file';
import { cel } from './evaluate';

type Json = Record<string, any>;

const IMAGES = {
  images: ['myacr.azurecr.io/*'],
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/contoso/api/.github/workflows/release.yml@refs/heads/main',
};

function synth(props: KyvernoPoliciesProps = {}) {
  const chart = Testing.chart();
  const catalog = new KyvernoPolicies(chart, 'kyverno', props);
  return { catalog, chart, objects: Testing.synth(chart) as Json[] };
}
const byName = (objects: Json[], name: string) => objects.find((o) => o.metadata.name === name)!;
const names = (objects: Json[], kind: string) =>
  objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);

describe('KyvernoPolicies', () => {
  test('defaults: restricted profile, Enforce, CEL kinds, system namespaces excluded everywhere', () => {
    const { objects } = synth();
    const validating = names(objects, 'ValidatingPolicy');
    expect(validating).toHaveLength(12 + 6 + 2 + 5 + 1);
    expect(validating).toEqual(
      [
        ...podSecurityBaseline(),
        ...podSecurityRestricted(),
        ...CONVENTIONS,
        ...BEST_PRACTICES,
        RESTRICT_SERVICE_EXTERNAL_IPS,
      ].map((d) => d.name),
    );
    expect(names(objects, 'GeneratingPolicy')).toEqual(['add-default-deny-network-policy']);
    expect(names(objects, 'ImageValidatingPolicy')).toEqual([]);
    expect(names(objects, 'Namespace')).toEqual(['kyverno-exceptions']);
    expect(objects.filter((o) => o.kind === 'ClusterPolicy')).toEqual([]);
    for (const o of objects.filter((o) => o.kind !== 'Namespace')) {
      const exclusion = o.spec.matchConstraints.namespaceSelector.matchExpressions.find(
        (e: Json) => e.operator === 'NotIn',
      );
      if (o.metadata.name === 'disallow-default-namespace') {
        expect(o.spec.matchConstraints.namespaceSelector.matchExpressions).toEqual([
          { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['default'] },
        ]);
        continue;
      }
      expect({ name: o.metadata.name, exclusion }).toEqual({
        name: o.metadata.name,
        exclusion: {
          key: 'kubernetes.io/metadata.name',
          operator: 'NotIn',
          values: DEFAULT_EXCLUDED_NAMESPACES,
        },
      });
    }
    const actions = Object.fromEntries(
      objects
        .filter((o) => o.kind === 'ValidatingPolicy')
        .map((o) => [o.metadata.name, o.spec.validationActions]),
    );
    expect(actions['disallow-privileged-containers']).toEqual(['Deny']);
    expect(actions['require-app-name-label']).toEqual(['Deny']);
    expect(actions['restrict-app-tier-label']).toEqual(['Audit']);
    expect(objects).toMatchSnapshot();
  });

  test('baseline leaves out the 6 restricted controls', () => {
    const { objects } = synth({ podSecurity: PodSecurityLevel.BASELINE });
    const validating = names(objects, 'ValidatingPolicy');
    expect(validating).toHaveLength(12 + 2 + 5 + 1);
    for (const d of podSecurityRestricted()) expect(validating).not.toContain(d.name);
  });

  test('Audit everywhere, one policy back to Enforce, one disabled', () => {
    const { objects, catalog } = synth({
      action: PolicyAction.AUDIT,
      overrides: [
        { policyName: 'disallow-privileged-containers', action: PolicyAction.ENFORCE },
        { policyName: 'require-probes', enabled: false },
        { policyName: 'add-default-deny-network-policy', enabled: false },
      ],
    });
    expect(byName(objects, 'disallow-privileged-containers').spec.validationActions).toEqual(['Deny']);
    expect(byName(objects, 'disallow-host-path').spec.validationActions).toEqual(['Audit']);
    expect(byName(objects, 'require-probes')).toBeUndefined();
    expect(catalog.podPolicy('require-probes')).toBeUndefined();
    expect(catalog.defaultDenyNetworkPolicy).toBeUndefined();
    expect(names(objects, 'GeneratingPolicy')).toEqual([]);
  });

  test('an override can turn the audit-only tier policy into Enforce', () => {
    const { objects } = synth({
      overrides: [{ policyName: 'restrict-app-tier-label', action: PolicyAction.ENFORCE }],
    });
    expect(byName(objects, 'restrict-app-tier-label').spec.validationActions).toEqual(['Deny']);
  });

  test('image verification: keyless attestor, images, the catalog action unless overridden', () => {
    const { objects } = synth({ action: PolicyAction.AUDIT, imageVerification: IMAGES });
    const p = byName(objects, 'verify-image-signatures');
    expect(p.kind).toBe('ImageValidatingPolicy');
    expect(p.spec.validationActions).toEqual(['Audit']);
    expect(p.spec.matchImageReferences).toEqual([{ glob: 'myacr.azurecr.io/*' }]);
    expect(p.spec.attestors).toEqual([
      {
        name: 'cosign',
        cosign: { keyless: { identities: [{ issuer: IMAGES.issuer, subject: IMAGES.subject }] } },
      },
    ]);
    const enforced = synth({
      action: PolicyAction.AUDIT,
      imageVerification: IMAGES,
      overrides: [{ policyName: 'verify-image-signatures', action: PolicyAction.ENFORCE }],
    }).objects;
    expect(byName(enforced, 'verify-image-signatures').spec.validationActions).toEqual(['Deny']);
  });

  test('default-deny generator: new, existing and updated namespaces, not system ones, DNS to CoreDNS allowed, kept in sync', () => {
    const { objects } = synth();
    const g = byName(objects, 'add-default-deny-network-policy');
    expect(g.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] },
    ]);
    expect(g.spec.evaluation).toEqual({
      synchronize: { enabled: true },
      generateExisting: { enabled: true },
    });
    const condition = g.spec.matchConditions[0].expression;
    expect(cel(condition, { object: { metadata: { name: 'dev-demo' } } })).toBe(true);
    for (const ns of DEFAULT_EXCLUDED_NAMESPACES)
      expect(cel(condition, { object: { metadata: { name: ns } } })).toBe(false);
    const template = g.spec.generate[0].template;
    expect(template.interpolate).toBe('cel');
    expect(template.value).toContain('namespace: (( object.metadata.name ))');
    expect(template.value).toContain('k8s-app: kube-dns');
    expect(template.value).toMatch(/policyTypes:\n\s+- Ingress\n\s+- Egress/);
  });

  test('the exception namespace is emitted, restricted, labelled with its name', () => {
    const { objects } = synth({ exceptionNamespace: 'policy-exceptions' });
    expect(byName(objects, 'policy-exceptions')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'policy-exceptions',
        labels: {
          'app.kubernetes.io/part-of': 'kyverno',
          'kubernetes.io/metadata.name': 'policy-exceptions',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
      },
    });
    const pinned = synth({ podSecurityVersion: PodSecurityVersion.of(34) }).objects;
    expect(
      byName(pinned, 'kyverno-exceptions').metadata.labels['pod-security.kubernetes.io/enforce-version'],
    ).toBe('v1.34');
  });

  test('legacy API: ClusterPolicies with per-rule actions, a generate rule, a verifyImages rule', () => {
    const { objects } = synth({
      api: PolicyApi.LEGACY,
      imageVerification: IMAGES,
      action: PolicyAction.AUDIT,
    });
    expect(new Set(objects.map((o) => o.kind))).toEqual(new Set(['ClusterPolicy', 'Namespace']));
    const policies = objects.filter((o) => o.kind === 'ClusterPolicy');
    expect(policies).toHaveLength(26 + 2);
    for (const p of policies) {
      expect(p.apiVersion).toBe('kyverno.io/v1');
      expect(p.spec).not.toHaveProperty('validationFailureAction');
      expect(p.spec.rules).toHaveLength(1);
    }
    expect(byName(objects, 'require-ro-rootfs').spec.rules[0].validate.failureAction).toBe('Audit');
    const gen = byName(objects, 'add-default-deny-network-policy').spec.rules[0];
    expect(gen.generate).toMatchObject({
      kind: 'NetworkPolicy',
      name: 'default-deny',
      synchronize: true,
      generateExisting: true,
    });
    expect(gen.match.any[0].resources.operations).toEqual(['CREATE', 'UPDATE']);
    expect(gen.exclude.any[0].resources.selector.matchExpressions[0]).toEqual({
      key: 'kubernetes.io/metadata.name',
      operator: 'In',
      values: DEFAULT_EXCLUDED_NAMESPACES,
    });
    expect(gen.exclude.any[1].resources).toEqual({
      kinds: ['Namespace'],
      names: DEFAULT_EXCLUDED_NAMESPACES,
    });
    const verify = byName(objects, 'verify-image-signatures').spec.rules[0].verifyImages[0];
    expect(verify).toEqual({
      imageReferences: IMAGES.images,
      failureAction: 'Audit',
      mutateDigest: false,
      attestors: [
        {
          entries: [
            {
              keyless: {
                issuer: IMAGES.issuer,
                subject: IMAGES.subject,
                rekor: { url: 'https://rekor.sigstore.dev' },
              },
            },
          ],
        },
      ],
    });
    expect(objects).toMatchSnapshot();
  });

  test('same input, byte-identical output', () => {
    const a = JSON.stringify(synth({ imageVerification: IMAGES }).objects);
    const b = JSON.stringify(synth({ imageVerification: IMAGES }).objects);
    expect(a).toBe(b);
  });

  describe('bad input is refused in the constructor', () => {
    const cases: Array<[string, KyvernoPoliciesProps, RegExp]> = [
      [
        'unknown override',
        { overrides: [{ policyName: 'disallow-latest' }] },
        /overrides\[0\]\.policyName: "disallow-latest" is not a policy of the catalog \(known: .*disallow-latest-tag/,
      ],
      [
        'override twice',
        { overrides: [{ policyName: 'require-probes' }, { policyName: 'require-probes', enabled: false }] },
        /overrides\[1\]\.policyName: "require-probes" is overridden twice/,
      ],
      [
        'action on the generator',
        { overrides: [{ policyName: 'add-default-deny-network-policy', action: PolicyAction.AUDIT }] },
        /overrides\[0\]\.action: "Audit" cannot apply to add-default-deny-network-policy/,
      ],
      [
        'default excluded',
        { excludedNamespaces: ['kube-system', 'default'] },
        /excludedNamespaces: must not contain "default"/,
      ],
      [
        'excluded not a label',
        { excludedNamespaces: ['Kube-System'] },
        /excludedNamespaces\[0\]: "Kube-System" must be a DNS label/,
      ],
      [
        'exception namespace',
        { exceptionNamespace: 'exceptions!' },
        /exceptionNamespace: "exceptions!" must be a DNS label/,
      ],
      [
        'image issuer',
        { imageVerification: { ...IMAGES, issuer: 'http://issuer' } },
        /issuer: "http:\/\/issuer" must be an https URL/,
      ],
      ['image subject', { imageVerification: { ...IMAGES, subject: '' } }, /subject: must not be empty/],
      ['no images', { imageVerification: { ...IMAGES, images: [] } }, /images: must list at least one entry/],
      [
        'image pattern with a space',
        { imageVerification: { ...IMAGES, images: ['a b'] } },
        /images\[0\]: "a b" must not contain spaces/,
      ],
    ];
    test.each(cases)('%s', (_what, props, message) => {
      expect(() => synth(props)).toThrow(PlatformError);
      expect(() => synth(props)).toThrow(message);
    });
  });
});
