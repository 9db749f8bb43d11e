import * as fc from 'fast-check';
import { parsePlatform, PlatformValidationError } from '../../lib/platform-file';
import { toYaml, validPlatform } from './fixtures';

/** The loader's whole contract: a valid spec, or the project's validation error — nothing else. */
function loadsOrRejectsCleanly(text: string): boolean {
  try {
    const spec = parsePlatform(text, 'generated.yaml');
    return typeof spec.name === 'string' && Array.isArray(spec.tenants);
  } catch (e) {
    if (e instanceof PlatformValidationError)
      return e.issues.length > 0 && e.issues.every((i) => i.message.length > 0);
    throw e;
  }
}

const PATHS: string[][] = [
  ['name'],
  ['azure', 'location'],
  ['cluster', 'apiServer', 'authorizedIpRanges'],
  ['cluster', 'systemPool', 'minCount'],
  ['cluster', 'userPools'],
  ['groups', 'dev'],
  ['groups', 'sre', 'objectId'],
  ['admins'],
  ['kyverno', 'replicas', 'admission'],
  ['kyverno', 'action'],
  ['capsule', 'users'],
  ['tenants', '0', 'name'],
  ['tenants', '0', 'owners'],
  ['tenants', '0', 'quota', 'requests.memory'],
  ['tenants', '1'],
  ['workloads', '0', 'image'],
  ['workloads', '0', 'namespace'],
  ['workloads', '0', 'labels'],
  ['workloads'],
];

function setAt(root: Record<string, any>, path: string[], value: unknown): void {
  let node: any = root;
  for (const p of path.slice(0, -1)) {
    if (node[p] === null || typeof node[p] !== 'object') node[p] = {};
    node = node[p];
  }
  node[path[path.length - 1]] = value;
}

const leaf = fc.oneof(
  fc.string(),
  fc.integer({ min: -5, max: 70000 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    'dev',
    'admins',
    'tenants',
    '16Gi',
    '0.0.0.0/0',
    'nginx:latest',
    'dev-demo',
    'Enforce',
    '8',
  ),
  fc.uuid(),
);
const value = fc.oneof(
  leaf,
  fc.array(leaf, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), leaf, { maxKeys: 3 }),
);

describe('loader properties', () => {
  test('mutated platform files load or fail with a validation error', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PATHS), value), { maxLength: 4 }), (mutations) => {
        const platform = validPlatform();
        for (const [path, v] of mutations) setAt(platform, path, v);
        return loadsOrRejectsCleanly(toYaml(platform));
      }),
      { numRuns: 300 },
    );
  });

  test('arbitrary YAML documents load or fail with a validation error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => loadsOrRejectsCleanly(toYaml(json))),
      { numRuns: 200 },
    );
  });

  test('arbitrary text loads or fails with a validation error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => loadsOrRejectsCleanly(text)),
      { numRuns: 200 },
    );
  });
});
