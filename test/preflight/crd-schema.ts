import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import * as YAML from 'yaml';

/** The upstream PolicyReport CRDs (../shared/schemas beside the repository) as validators. */
export function policyReportValidator(): (o: unknown) => string[] {
  const dir = path.join(__dirname, '..', '..', '..', 'shared', 'schemas', 'kyverno');
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const kw of [
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-list-type',
    'x-kubernetes-map-type',
  ])
    ajv.addKeyword(kw);
  for (const f of ['int32', 'int64']) ajv.addFormat(f, true);
  const schemas = new Map<string, ReturnType<Ajv['compile']>>();
  for (const file of ['wgpolicyk8s.io_policyreports.yaml', 'wgpolicyk8s.io_clusterpolicyreports.yaml']) {
    const crd = YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const v = crd.spec.versions.find((x: { name: string }) => x.name === 'v1alpha2');
    schemas.set(crd.spec.names.kind, ajv.compile(v.schema.openAPIV3Schema));
  }
  return (o: unknown) => {
    const validate = schemas.get((o as { kind: string }).kind);
    if (!validate) return [`no schema for ${(o as { kind: string }).kind}`];
    return validate(o) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}
