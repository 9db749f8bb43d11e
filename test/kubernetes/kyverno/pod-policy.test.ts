import { Testing } from 'cdk8s';
import type { PodPolicyDefinition } from '../../../lib/kubernetes/kyverno';
import {
  findPodPolicy,
  PodController,
  PodPolicy,
  PolicyAction,
  PolicyApi,
  PolicyCategory,
  PolicySeverity,
} from '../../../lib/kubernetes/kyverno';
import { PlatformError } from '../../../lib/platform-file';
import { evaluate } from './evaluate';
import { podWith } from './pods';

const definition = (over: Partial<PodPolicyDefinition> = {}): PodPolicyDefinition => ({
  name: 'require-team-label',
  title: 'Require a Team Label',
  description: 'Pods must name their team.',
  category: PolicyCategory.CONVENTIONS,
  severity: PolicySeverity.LOW,
  validations: [
    {
      expression: "has(object.metadata.labels) && 'team' in object.metadata.labels",
      message: 'Set the team label.',
    },
  ],
  ...over,
});

function synth(
  def: PodPolicyDefinition,
  props: { action?: PolicyAction; api?: PolicyApi; excludedNamespaces?: string[] } = {},
) {
  const chart = Testing.chart();
  const policy = new PodPolicy(chart, 'policy', { definition: def, ...props });
  const [manifest] = Testing.synth(chart);
  return { policy, manifest };
}

describe('PodPolicy: one definition, two renderers', () => {
  test('ValidatingPolicy: Deny on Enforce, pods only, autogen for every controller, exclusions by name label', () => {
    const { policy, manifest } = synth(definition(), { excludedNamespaces: ['kube-system', 'kyverno'] });
    expect(policy.kind).toBe('ValidatingPolicy');
    expect(policy.action).toBe(PolicyAction.ENFORCE);
    expect(manifest.apiVersion).toBe('policies.kyverno.io/v1');
    expect(manifest.spec.validationActions).toEqual(['Deny']);
    expect(manifest.spec.autogen.podControllers.controllers).toEqual([
      'daemonsets',
      'deployments',
      'statefulsets',
      'jobs',
      'cronjobs',
    ]);
    expect(manifest.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
    ]);
    expect(manifest.spec.matchConstraints.namespaceSelector).toEqual({
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kyverno'] },
      ],
    });
    expect(manifest.spec).not.toHaveProperty('validationFailureAction');
    expect(manifest.metadata.annotations['policies.kyverno.io/category']).toBe('Conventions');
    expect(manifest).toMatchSnapshot();
  });

  test('Audit renders validationActions [Audit]', () => {
    const { manifest } = synth(definition(), { action: PolicyAction.AUDIT });
    expect(manifest.spec.validationActions).toEqual(['Audit']);
  });

  test('legacy ClusterPolicy: validate.cel with a per-rule failureAction, never the deprecated spec-level one', () => {
    const { policy, manifest } = synth(definition({ podControllers: [PodController.DEPLOYMENTS] }), {
      api: PolicyApi.LEGACY,
      action: PolicyAction.AUDIT,
      excludedNamespaces: ['kube-system'],
    });
    expect(policy.kind).toBe('ClusterPolicy');
    expect(manifest.apiVersion).toBe('kyverno.io/v1');
    expect(manifest.spec).not.toHaveProperty('validationFailureAction');
    const rule = manifest.spec.rules[0];
    expect(rule.validate.failureAction).toBe('Audit');
    expect(rule.validate.cel.expressions).toEqual(definition().validations);
    expect(rule.match.any[0].resources.namespaceSelector.matchExpressions[0]).toEqual({
      key: 'kubernetes.io/metadata.name',
      operator: 'NotIn',
      values: ['kube-system'],
    });
    expect(manifest.metadata.annotations['pod-policies.kyverno.io/autogen-controllers']).toBe('Deployment');
    expect(manifest).toMatchSnapshot();
  });

  test('both renderings give the same verdicts', () => {
    const cel = synth(definition()).manifest;
    const legacy = synth(definition(), { api: PolicyApi.LEGACY }).manifest;
    const good = podWith((p) => (p.metadata.labels.team = 'blue'));
    const bad = podWith(() => undefined);
    for (const m of [cel, legacy]) {
      expect(evaluate(m, good).passed).toBe(true);
      expect(evaluate(m, bad)).toEqual({ matched: true, passed: false, messages: ['Set the team label.'] });
    }
  });

  test('the definition default action applies unless an action is given', () => {
    const tier = findPodPolicy('restrict-app-tier-label')!;
    expect(synth(tier).policy.action).toBe(PolicyAction.AUDIT);
    expect(synth(tier, { action: PolicyAction.ENFORCE }).manifest.spec.validationActions).toEqual(['Deny']);
  });

  test('onlyNamespaces selects namespaces by name label, minus the excluded ones', () => {
    const { manifest } = synth(definition({ onlyNamespaces: ['default', 'kube-system'] }), {
      excludedNamespaces: ['kube-system', 'kyverno'],
    });
    expect(manifest.spec.matchConstraints.namespaceSelector.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['default', 'kube-system'] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
    ]);
  });

  describe('bad input is refused in the constructor, naming the field and the value', () => {
    const cases: Array<[string, Partial<PodPolicyDefinition>, RegExp]> = [
      ['name', { name: 'Require_Team' }, /definition\.name: "Require_Team" must be a DNS label/],
      ['empty title', { title: ' ' }, /policy require-team-label: title: must not be empty/],
      ['no validations', { validations: [] }, /validations: must list at least one entry/],
      [
        'optional syntax',
        { validations: [{ expression: 'object.metadata.?labels', message: 'm' }] },
        /validations\[0\]\.expression: "object\.metadata\.\?labels" is not standard CEL/,
      ],
      ['broken CEL', { validations: [{ expression: 'a &&', message: 'm' }] }, /is not standard CEL/],
      [
        'empty message',
        { validations: [{ expression: 'true', message: '' }] },
        /validations\[0\]\.message: must not be empty/,
      ],
      [
        'bad messageExpression',
        { validations: [{ expression: 'true', message: 'm', messageExpression: "'a' +" }] },
        /messageExpression/,
      ],
      [
        'variable name',
        { variables: [{ name: 'my-var', expression: '1' }] },
        /variables\[0\]\.name: "my-var" must be a CEL identifier/,
      ],
      [
        'variable twice',
        {
          variables: [
            { name: 'a', expression: '1' },
            { name: 'a', expression: '2' },
          ],
        },
        /variables\[1\]\.name: "a" is declared twice/,
      ],
      [
        'match condition name',
        { matchConditions: [{ name: 'Not OK', expression: 'true' }] },
        /matchConditions\[0\]\.name: "Not OK" must be a DNS label/,
      ],
      ['only namespaces empty', { onlyNamespaces: [] }, /onlyNamespaces: must list at least one entry/],
      [
        'only namespace',
        { onlyNamespaces: ['Default'] },
        /onlyNamespaces\[0\]: "Default" must be a DNS label/,
      ],
    ];
    test.each(cases)('%s', (_what, over, message) => {
      expect(() => synth(definition(over))).toThrow(PlatformError);
      expect(() => synth(definition(over))).toThrow(message);
    });

    test('excluded namespace', () => {
      expect(() => synth(definition(), { excludedNamespaces: ['kube_system'] })).toThrow(
        /excludedNamespaces\[0\]: "kube_system" must be a DNS label/,
      );
    });
  });
});
