import { Preflight, PolicyResultStatus } from '../../lib/preflight';
import { PlatformError } from '../../lib/platform-file';
import { deployment, podSpec, policy, runAsNonRoot } from './fixtures';

function exception(name: string, spec: Record<string, unknown> = {}, namespace = 'kyverno-exceptions'): any {
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'PolicyException',
    metadata: { name, namespace },
    spec: {
      policyRefs: [{ kind: 'ValidatingPolicy', name: 'require-run-as-non-root' }],
      matchConditions: [{ name: 'legacy', expression: "object.metadata.name == 'legacy'" }],
      ...spec,
    },
  };
}

const rootWorkloads = [
  deployment('legacy', 'apps', podSpec({ nonRoot: false })),
  deployment('other', 'apps', podSpec({ nonRoot: false })),
];

function outcomes(policies: any[], extra: Record<string, string> = {}): string[] {
  return new Preflight({ policies, objects: rootWorkloads, ...extra })
    .evaluate()
    .results.map(
      (r) =>
        `${r.resource.name} ${r.rule} ${r.result} ${r.blocking}${r.result === 'skip' ? ` ${r.message}` : ''}`,
    );
}

describe('PolicyExceptions', () => {
  test('GIVEN an exception for one workload THEN that workload is skipped and the others still fail', () => {
    expect(outcomes([runAsNonRoot(), exception('legacy-root')])).toEqual([
      'legacy exception skip false excepted by PolicyException kyverno-exceptions/legacy-root',
      'other validation fail true',
    ]);
  });

  test('reportResult pass reports the excepted object as a pass', () => {
    expect(outcomes([runAsNonRoot(), exception('e', { reportResult: 'pass' })])[0]).toBe(
      'legacy exception pass false',
    );
  });

  test('allowedValues keep the policy running, with the values in exceptions.allowedValues', () => {
    const images = policy(
      'allowed-images',
      'object.spec.containers.all(c, c.image in exceptions.allowedValues)',
    );
    const e = exception('images', {
      policyRefs: [{ kind: 'ValidatingPolicy', name: 'allowed-images' }],
      allowedValues: ['nginxinc/nginx-unprivileged:1.27.3'],
    });
    expect(outcomes([images, e])).toEqual(['legacy validation pass false', 'other validation fail true']);
  });

  test('an expired exception, or one outside the exception namespace, lifts nothing', () => {
    const expiring = exception('e', { expiresAt: '2026-01-01T00:00:00Z' });
    expect(outcomes([runAsNonRoot(), expiring], { evaluationTime: '2025-12-31T23:59:59Z' })[0]).toMatch(
      /^legacy exception skip/,
    );
    expect(outcomes([runAsNonRoot(), expiring], { evaluationTime: '2026-01-01T00:00:00Z' })[0]).toBe(
      'legacy validation fail true',
    );
    expect(outcomes([runAsNonRoot(), exception('e')], { exceptionNamespace: 'elsewhere' })[0]).toBe(
      'legacy validation fail true',
    );
  });

  test('exceptions among the checked objects are not honoured (a team cannot free itself)', () => {
    const results = new Preflight({
      policies: [runAsNonRoot()],
      objects: [...rootWorkloads, exception('self-service')],
    }).evaluate().results;
    expect(results.map((r) => r.result)).toEqual([PolicyResultStatus.FAIL, PolicyResultStatus.FAIL]);
  });

  test('a malformed exception is a PlatformError naming it and the field', () => {
    expect(() => new Preflight({ policies: [exception('e', { policyRefs: [] })], objects: [] })).toThrow(
      PlatformError,
    );
    expect(() => new Preflight({ policies: [exception('e', { policyRefs: [] })], objects: [] })).toThrow(
      'PolicyException/kyverno-exceptions/e spec.policyRefs: expected a non-empty list, received []',
    );
    expect(() => new Preflight({ policies: [exception('e', { expiresAt: 'soon' })], objects: [] })).toThrow(
      'PolicyException/kyverno-exceptions/e spec.expiresAt: expected an RFC 3339 time, received "soon"',
    );
    expect(() => new Preflight({ policies: [], objects: [], evaluationTime: 'now' })).toThrow(
      'Preflight evaluationTime: expected an RFC 3339 time, received "now"',
    );
  });
});
