import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { reportToYaml } from '../../lib/preflight/report-yaml';

describe('reportToYaml', () => {
  test('block style, plain words unquoted, anything ambiguous quoted', () => {
    expect(
      reportToYaml({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        metadata: { name: 'preflight', labels: { 'app.kubernetes.io/managed-by': 'x' } },
        results: [
          { policy: 'p', scored: true, message: 'a: b', n: 'no', v: '1.0', resources: [{ kind: 'Pod' }] },
          'on',
        ],
        empty: [],
        none: {},
      }),
    ).toBe(
      [
        'apiVersion: wgpolicyk8s.io/v1alpha2',
        'metadata:',
        '  name: preflight',
        '  labels:',
        '    app.kubernetes.io/managed-by: x',
        'results:',
        '  - policy: p',
        '    scored: true',
        '    message: "a: b"',
        '    "n": "no"',
        '    v: "1.0"',
        '    resources:',
        '      - kind: Pod',
        '  - "on"',
        'empty: []',
        'none: {}',
        '',
      ].join('\n'),
    );
  });

  test('any tree of strings, numbers and booleans reads back as itself', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom('null', 'true', '~', '- x', '#', '0x1F', '1e3', 'a\nb', ' pad '),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.string(), tree, { maxKeys: 4 }), (doc) => {
        expect(YAML.parse(reportToYaml(doc)) ?? {}).toEqual(doc);
      }),
    );
  });
});
