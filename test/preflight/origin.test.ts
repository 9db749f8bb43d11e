import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifests } from '../../lib/preflight';

function read(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'origin-'));
  fs.writeFileSync(path.join(dir, 'm.yaml'), text);
  return readManifests(dir);
}

const DOC = `# a comment first
---
apiVersion: v1
kind: ConfigMap
metadata: { name: a }
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: &labels
    app: p
spec:
  containers:
    - name: c
      image: x:1
      securityContext:
        privileged: true
  overhead: *labels
`;

describe('ManifestOrigin', () => {
  const set = read(DOC);
  const pod = set.origins[1];

  test('each object: its document and the line and column of its first key', () => {
    // A comment before the first `---` belongs to the first document.
    expect(set.origins.map((o) => [o.location.document, o.location.line, o.location.column])).toEqual([
      [1, 3, 1],
      [2, 7, 1],
    ]);
  });

  test('a field: the line and column of its key, of the item in a list', () => {
    expect(pod.locate(['spec', 'containers', 0, 'securityContext', 'privileged'])).toEqual({
      path: 'spec.containers[0].securityContext.privileged',
      line: 18,
      column: 9,
    });
    // An item of a list: where its content starts, after the dash.
    expect(pod.locate(['spec', 'containers', 0])).toEqual({
      path: 'spec.containers[0]',
      line: 15,
      column: 7,
    });
  });

  test('a missing field: its deepest ancestor that is written', () => {
    expect(pod.locate(['spec', 'containers', 0, 'resources', 'limits'])).toEqual({
      path: 'spec.containers[0]',
      line: 15,
      column: 7,
    });
    expect(pod.locate(['spec', 'containers', 3])).toEqual({ path: 'spec.containers', line: 14, column: 3 });
  });

  test('past an alias: the alias', () => {
    expect(pod.locate(['spec', 'overhead', 'app'])).toEqual({ path: 'spec.overhead', line: 19, column: 3 });
  });

  test('the object itself has no field location', () => {
    expect(pod.locate([])).toBeUndefined();
  });
});
