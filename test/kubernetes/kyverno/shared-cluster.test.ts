import { Testing } from 'cdk8s';
import type { KyvernoPoliciesProps } from '../../../lib/kubernetes/kyverno';
import {
  DEFAULT_EXCLUDED_NAMESPACES,
  KyvernoPolicies,
  PolicyAction,
  PolicyApi,
} from '../../../lib/kubernetes/kyverno';
import { Preflight, PolicyResultStatus } from '../../../lib/preflight';
import { PlatformError } from '../../../lib/platform-file';
import { evaluate } from './evaluate';
import { clean, podWith } from './pods';

type Json = Record<string, any>;

function synth(props: KyvernoPoliciesProps = {}): Json[] {
  const chart = Testing.chart();
  new KyvernoPolicies(chart, 'kyverno', props);
  return Testing.synth(chart);
}
const byName = (objects: Json[], name: string): Json => objects.find((o) => o.metadata.name === name)!;

function service(spec: Json, namespace = 'dev-demo'): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace },
    spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
  };
}

const REGISTRIES = ['myregistry.azurecr.io', 'docker.io/library', 'ghcr.io/contoso'];
const app = (pod: Json) => pod.spec.containers[0];

describe.each([PolicyApi.CEL, PolicyApi.LEGACY])('holes of a shared cluster (%s)', (api) => {
  const objects = synth({ api, allowedRegistries: REGISTRIES });

  describe('Service externalIPs (CVE-2020-8554)', () => {
    const policy = byName(objects, 'restrict-service-external-ips');

    test('denied by default, for Services only', () => {
      expect(policy).toBeDefined();
      if (api === PolicyApi.CEL) {
        expect(policy.spec.validationActions).toEqual(['Deny']);
        expect(policy.spec.matchConstraints.resourceRules).toEqual([
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['services'] },
        ]);
        expect(policy.spec.autogen).toBeUndefined();
      } else {
        expect(policy.spec.rules[0].validate.failureAction).toBe('Enforce');
        expect(policy.spec.rules[0].match.any[0].resources.kinds).toEqual(['Service']);
        expect(policy.metadata.annotations).not.toHaveProperty([
          'pod-policies.kyverno.io/autogen-controllers',
        ]);
      }
      expect(policy.metadata.annotations['policies.kyverno.io/subject']).toBe('Service');
    });

    test('a Service with externalIPs is refused; without, or with an empty list, it is admitted', () => {
      expect(evaluate(policy, service({ externalIPs: ['10.0.0.10'] }))).toEqual({
        matched: true,
        passed: false,
        messages: ['Services must not set spec.externalIPs (CVE-2020-8554).'],
      });
      for (const spec of [{}, { externalIPs: [] }, { type: 'LoadBalancer' }, { type: 'NodePort' }])
        expect(evaluate(policy, service(spec))).toEqual({ matched: true, passed: true, messages: [] });
    });

    test('system namespaces are left alone; pods are not matched', () => {
      for (const ns of DEFAULT_EXCLUDED_NAMESPACES)
        expect(evaluate(policy, service({ externalIPs: ['10.0.0.10'] }, ns)).matched).toBe(false);
      expect(
        evaluate(
          policy,
          podWith(() => undefined),
        ).matched,
      ).toBe(false);
    });
  });

  describe('allowed registries', () => {
    const policy = byName(objects, 'restrict-image-registries');
    const withImage = (image: string, where: 'app' | 'init' | 'ephemeral' = 'app') =>
      evaluate(
        policy,
        podWith((p) => {
          app(p).image = 'myregistry.azurecr.io/api:1.0.0';
          if (where === 'app') app(p).image = image;
          if (where === 'init') p.spec.initContainers[0].image = image;
          if (where === 'ephemeral')
            p.spec.ephemeralContainers = [{ ...clean(app(p)), name: 'debug', image }];
        }),
      );

    test('images from the listed registries are admitted; Docker Hub short names are docker.io/library', () => {
      for (const image of [
        'myregistry.azurecr.io/team/api:1.0.0',
        'myregistry.azurecr.io/api@sha256:' + '0'.repeat(64),
        'nginx:1.27.3',
        'docker.io/nginx:1.27.3',
        'docker.io/library/nginx:1.27.3',
        'ghcr.io/contoso/api:2.0.0',
      ])
        expect({ image, ...withImage(image) }).toEqual({ image, matched: true, passed: true, messages: [] });
    });

    test('images from anywhere else are refused, and named', () => {
      for (const image of [
        'nginxinc/nginx-unprivileged:1.27.3',
        'docker.io/nginxinc/nginx-unprivileged:1.27.3',
        'ghcr.io/contoso-evil/api:2.0.0',
        'ghcr.io/api:2.0.0',
        'myregistry.azurecr.io.evil.example/api:1.0.0',
        'localhost:5000/api:1.0.0',
        'mcr.microsoft.com/oss/nginx:1.27',
      ])
        expect({ image, passed: withImage(image).passed }).toEqual({ image, passed: false });
      expect(withImage('quay.io/evil/miner:1').messages).toEqual([
        'Images must come from myregistry.azurecr.io, docker.io/library, ghcr.io/contoso. Images: quay.io/evil/miner:1',
      ]);
    });

    test('init and ephemeral containers are checked too', () => {
      expect(withImage('quay.io/evil/miner:1', 'init').passed).toBe(false);
      expect(withImage('quay.io/evil/miner:1', 'ephemeral').passed).toBe(false);
      expect(withImage('myregistry.azurecr.io/tools:1', 'init').passed).toBe(true);
    });
  });
});

describe('the preflight engine evaluates the new controls too', () => {
  const policies = synth({ allowedRegistries: ['myregistry.azurecr.io'] });
  test('a Service with externalIPs and a pod from another registry are blocking violations', () => {
    const pod = podWith(() => undefined);
    const result = new Preflight({
      policies,
      objects: [service({ externalIPs: ['10.0.0.10'] }), service({}), pod],
    }).evaluate();
    const failed = result.results
      .filter((r) => r.result === PolicyResultStatus.FAIL)
      .map((r) => `${r.policy} ${r.resource.kind}`);
    expect(failed).toEqual(['restrict-service-external-ips Service', 'restrict-image-registries Pod']);
    expect(result.violations.every((r) => r.blocking)).toBe(true);
    expect(result.violations).toHaveLength(2);
  });
});

describe('an exception frees a named Service from the externalIPs control', () => {
  test('the Service of the workload is excepted, another one is not', () => {
    const chart = Testing.chart();
    const catalog = new KyvernoPolicies(chart, 'kyverno');
    catalog.addException('ingress-vip', {
      exceptionName: 'ingress-vip',
      policies: ['restrict-service-external-ips'],
      workloadNamespace: 'dev-demo',
      workloads: ['api'],
      reason: 'The on-premises gateway routes to this address.',
    });
    const other = {
      ...service({ externalIPs: ['10.0.0.10'] }),
      metadata: { name: 'web', namespace: 'dev-demo' },
    };
    const results = new Preflight({
      policies: Testing.synth(chart),
      objects: [service({ externalIPs: ['10.0.0.10'] }), other],
    })
      .evaluate()
      .results.filter((r) => r.policy === 'restrict-service-external-ips')
      .map((r) => [r.resource.name, r.result]);
    expect(results).toEqual([
      ['api', PolicyResultStatus.SKIP],
      ['web', PolicyResultStatus.FAIL],
    ]);
  });
});

describe('registry restriction: options', () => {
  test('a registry named by its port only (an in-cluster registry) is told from a Docker Hub namespace', () => {
    const policy = byName(synth({ allowedRegistries: ['registry:5000'] }), 'restrict-image-registries');
    const passes = (image: string) =>
      evaluate(
        policy,
        podWith((p) => {
          p.spec.initContainers[0].image = 'registry:5000/tools:1';
          app(p).image = image;
        }),
      ).passed;
    expect(passes('registry:5000/team/api:1.0.0')).toBe(true);
    expect(passes('registry/api:1.0.0')).toBe(false);
  });

  test('off when no registry is listed', () => {
    expect(byName(synth(), 'restrict-image-registries')).toBeUndefined();
  });

  test('an override can set it to Audit or disable it; externalIPs can be disabled too', () => {
    const objects = synth({
      allowedRegistries: ['myregistry.azurecr.io'],
      overrides: [
        { policyName: 'restrict-image-registries', action: PolicyAction.AUDIT },
        { policyName: 'restrict-service-external-ips', enabled: false },
      ],
    });
    expect(byName(objects, 'restrict-image-registries').spec.validationActions).toEqual(['Audit']);
    expect(byName(objects, 'restrict-service-external-ips')).toBeUndefined();
  });

  test.each([
    [
      'a scheme',
      ['https://myregistry.azurecr.io'],
      /allowedRegistries\[0\]: "https:\/\/myregistry.azurecr.io" must be a registry host/,
    ],
    [
      'a wildcard',
      ['myregistry.azurecr.io/*'],
      /allowedRegistries\[0\]: "myregistry.azurecr.io\/\*" must be a registry host/,
    ],
    ['a Docker Hub namespace', ['contoso'], /allowedRegistries\[0\]: "contoso" must be a registry host/],
    [
      'a Docker Hub path',
      ['contoso/team'],
      /allowedRegistries\[0\]: "contoso\/team" must be a registry host/,
    ],
    ['not quite localhost', ['localhostx'], /allowedRegistries\[0\]: "localhostx" must be a registry host/],
    [
      'a trailing slash',
      ['ghcr.io/contoso/'],
      /allowedRegistries\[0\]: "ghcr.io\/contoso\/" must be a registry host/,
    ],
    ['twice', ['ghcr.io', 'ghcr.io'], /allowedRegistries\[1\]: "ghcr.io" is listed twice/],
  ])('refused: %s', (_what, allowedRegistries, message) => {
    expect(() => synth({ allowedRegistries })).toThrow(PlatformError);
    expect(() => synth({ allowedRegistries })).toThrow(message);
  });
});
