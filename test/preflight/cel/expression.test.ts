import { CelExpression } from '../../../lib/preflight/cel/expression';
import { PlatformError } from '../../../lib/platform-file';

const pod = {
  spec: {
    containers: [
      {
        name: 'a',
        image: 'x:1',
        securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
      },
      { name: 'b', image: 'y:2', ports: [{ containerPort: BigInt(80), hostPort: BigInt(0) }] },
    ],
  },
  metadata: { labels: { app: 'demo' } },
};

function value(expression: string, bindings: Record<string, unknown> = { object: pod }): unknown {
  const outcome = CelExpression.compile(expression, 'test').evaluate(bindings as never);
  if ('error' in outcome) throw new Error(outcome.error);
  return outcome.value;
}

describe('CelExpression', () => {
  test('optional selection: present, absent, chained through absent fields', () => {
    expect(
      value("object.spec.containers[0].?securityContext.?capabilities.?drop.orValue([]) == ['ALL']"),
    ).toBe(true);
    expect(value('object.spec.?initContainers.orValue([]).size()')).toBe(BigInt(0));
    expect(value("object.spec.?nope.?deeper.orValue('d')")).toBe('d');
    expect(value("object.metadata.?labels[?'app'].orValue('')")).toBe('demo');
    expect(value("object.metadata.labels[?'zz'].hasValue()")).toBe(false);
    expect(value('[1, 2][?5].orValue(7)')).toBe(BigInt(7));
    expect(value('optional.of(1).value() + optional.none().or(optional.of(2)).value()')).toBe(BigInt(3));
    expect(value("optional.ofNonZeroValue('').hasValue()")).toBe(false);
  });

  test('a policy written the upstream way evaluates over all containers', () => {
    const expr = 'object.spec.containers.all(c, c.?ports.orValue([]).all(p, p.?hostPort.orValue(0) == 0))';
    expect(value(expr)).toBe(true);
  });

  test('Kubernetes sets and the strings extension', () => {
    expect(value("sets.contains(['ALL', 'X'], ['ALL'])", {})).toBe(true);
    expect(value("sets.intersects(['A'], ['B'])", {})).toBe(false);
    expect(value("sets.equivalent(['A', 'B'], ['B', 'A'])", {})).toBe(true);
    expect(value("'a:b'.split(':').size() == 2 && 'Abc'.lowerAscii() == 'abc'", {})).toBe(true);
  });

  test('a runtime error is an outcome, not an exception', () => {
    const outcome = CelExpression.compile('object.spec.missing == 1', 'w').evaluate({ object: pod } as never);
    expect(outcome).toEqual({ error: expect.stringContaining('missing') });
  });

  test('an expression that does not parse is a PlatformError naming the field and the expression', () => {
    expect(() =>
      CelExpression.compile('object.spec.(', 'ValidatingPolicy/p spec.validations[0].expression'),
    ).toThrow(PlatformError);
    expect(() =>
      CelExpression.compile('object.spec.(', 'ValidatingPolicy/p spec.validations[0].expression'),
    ).toThrow(
      /ValidatingPolicy\/p spec\.validations\[0\]\.expression: the CEL expression does not compile .*object\.spec\.\(/,
    );
    expect(() => CelExpression.compile('  ', 'here')).toThrow(
      'here: expected a CEL expression, received "  "',
    );
  });
});
