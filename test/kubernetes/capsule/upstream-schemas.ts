import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');

/** The upstream Capsule 0.14 CRDs, kept next to the project (reference data, read only). */
const CAPSULE_SCHEMAS = path.resolve(ROOT, '../shared/schemas/capsule');

const ajv = new Ajv({ strict: false, allErrors: true });
for (const kw of [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
  'x-kubernetes-embedded-resource',
]) {
  ajv.addKeyword(kw);
}
for (const f of ['int32', 'int64', 'byte', 'quantity', 'date-time', 'duration']) ajv.addFormat(f, true);

function intOrString(s: any): any {
  if (s && typeof s === 'object') {
    if (s['x-kubernetes-int-or-string']) {
      delete s.type;
      s.anyOf = s.anyOf ?? [{ type: 'integer' }, { type: 'string' }];
    }
    for (const v of Object.values(s)) intOrString(v);
  }
  return s;
}

export interface CrdVersion {
  validate: ValidateFunction;
  deprecated: boolean;
  served: boolean;
  /** Paths (dotted) of spec fields whose description starts with "Deprecated". */
  deprecatedFields: string[];
}

/** The validator of `<plural>.capsule.clastix.io` at `version`. */
export function capsuleCrd(plural: string, version = 'v1beta2'): CrdVersion {
  const file = path.join(CAPSULE_SCHEMAS, `capsule.clastix.io_${plural}.yaml`);
  const crd = parseAllDocuments(fs.readFileSync(file, 'utf8'))[0].toJSON();
  const v = crd.spec.versions.find((x: any) => x.name === version);
  const schema = v.schema.openAPIV3Schema;
  const deprecatedFields: string[] = [];
  const walk = (s: any, at: string) => {
    for (const [k, c] of Object.entries<any>(s?.properties ?? {})) {
      const p = at ? `${at}.${k}` : k;
      if (/^Deprecated/.test(c.description ?? '')) deprecatedFields.push(p);
      walk(c.type === 'array' ? c.items : c, p);
    }
  };
  walk(schema.properties.spec, '');
  return {
    validate: ajv.compile(intOrString(structuredClone(schema))),
    deprecated: Boolean(v.deprecated),
    served: Boolean(v.served),
    deprecatedFields,
  };
}

/**
 * Validates core Kubernetes objects with kubernetes-models (ES modules only, which jest's CommonJS
 * runtime cannot load: a child node process does it).
 * @returns one message per invalid object
 */
export function coreObjectErrors(objects: any[]): string[] {
  const script = `
    import { readFileSync } from 'node:fs';
    const objects = JSON.parse(readFileSync(0, 'utf8'));
    const errors = [];
    for (const o of objects) {
      const [g, v] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      const Model = (await import(g ? 'kubernetes-models/' + g + '/' + v : 'kubernetes-models/' + v))[o.kind];
      try { new Model(o).validate(); } catch (e) { errors.push(o.kind + '/' + o.metadata.name + ': ' + e.message); }
    }
    process.stdout.write(JSON.stringify(errors));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(objects),
    cwd: ROOT,
  });
  return JSON.parse(out.toString());
}
