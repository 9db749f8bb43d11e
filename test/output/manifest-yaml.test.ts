import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { documentToYaml, manifestsToYaml } from '../../lib/output/manifest-yaml';
import { referenceSpec, richSpec, synthPlatform } from '../kubernetes/workloads/fixtures';

describe('manifestsToYaml writes exactly what cdk8s Yaml.stringify writes', () => {
  test('every object of the reference platform and of the platform with every workload option', () => {
    for (const spec of [referenceSpec(), richSpec()]) {
      const objects = synthPlatform(spec);
      expect(objects.length).toBeGreaterThan(20);
      expect(manifestsToYaml(objects)).toBe(Yaml.stringify(...objects));
    }
  });

  test('block maps and lists, quoting, empty collections, YAML 1.1 words and numbers', () => {
    const document = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'api', y: 'n' } },
      data: { on: 'off', yes: 'no', null: '~', port: '8080', octal: '0755', time: '12:30', hex: '0x1F' },
      list: [
        1,
        -1,
        0.5,
        1e21,
        -0,
        true,
        null,
        'a: b',
        ' pad',
        '#x',
        '',
        [],
        {},
        [['nested']],
        [{ a: 1, b: [2] }],
      ],
      empty: [],
      none: {},
    };
    const text = documentToYaml(document);
    expect(text).toBe(Yaml.stringify(document));
    expect(text).toContain('    "y": "n"\n');
    expect(text).toContain('\n  "on": "off"\n');
  });

  test('what the fast path leaves to the emitter: lines, undefined, an object met twice, a scalar document', () => {
    const shared = { a: 1 };
    for (const document of [
      { script: 'line one\nline two\n' },
      { a: undefined, b: 1 },
      { one: shared, two: shared },
      'just a string',
      [],
      {},
      null,
    ])
      expect(documentToYaml(document)).toBe(Yaml.stringify(document));
  });

  test('any tree of strings, numbers, booleans and nulls', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^[a-zE][a-zE0-9./+-]{0,6}$/),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        'null',
        'True',
        'y',
        'No',
        '~',
        '- x',
        '#',
        '0x1F',
        '1e3',
        '1_000',
        '.inf',
        'a\nb',
        ' pad ',
        "it's",
        '"q"',
      ),
    );
    const key = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[a-zE][a-zE0-9./+-]{0,6}$/),
      fc.constantFrom('on', 'y', '? k', 'a: b', '-'),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(fc.array(tree.map, { minLength: 1, maxLength: 3 }), (documents) => {
        expect(manifestsToYaml(documents)).toBe(Yaml.stringify(...documents));
      }),
      { numRuns: 200 },
    );
  });
});
