import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');

/** Result of validating objects against kubernetes-models. */
export interface ModelValidation {
  /** `kind/name` of every object a model was found for. */
  readonly checked: string[];
  /** `kind/name: message` of every invalid object. */
  readonly errors: string[];
  /** `apiVersion kind` of objects kubernetes-models has no model for (custom resources). */
  readonly unknown: string[];
}

/**
 * Validates objects with kubernetes-models. The package ships ES modules only, which jest's
 * CommonJS runtime cannot load, so a child node process imports it.
 */
export function validateWithKubernetesModels(objects: any[]): ModelValidation {
  const script = `
    import { readFileSync } from 'node:fs';
    const objects = JSON.parse(readFileSync(0, 'utf8'));
    const result = { checked: [], errors: [], unknown: [] };
    for (const o of objects) {
      const [g, v] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      let Model;
      try {
        Model = (await import(g ? 'kubernetes-models/' + g + '/' + v + '/' + o.kind : 'kubernetes-models/' + v + '/' + o.kind))[o.kind];
      } catch { result.unknown.push(o.apiVersion + ' ' + o.kind); continue; }
      const id = o.kind + '/' + o.metadata.name;
      result.checked.push(id);
      try { new Model(o).validate(); } catch (e) { result.errors.push(id + ': ' + String(e.message).slice(0, 400)); }
    }
    process.stdout.write(JSON.stringify(result));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(objects),
    cwd: ROOT,
  });
  return JSON.parse(out.toString());
}

/** Validates SecretProviderClass objects against the upstream CRD; one message per violation. */
export function secretProviderClassErrors(objects: any[]): string[] {
  const file = path.resolve(
    ROOT,
    '../shared/schemas/secrets-store/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml',
  );
  const crd = parseAllDocuments(fs.readFileSync(file, 'utf8'))[0].toJSON();
  const version = crd.spec.versions.find((v: any) => v.name === 'v1');
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(version.schema.openAPIV3Schema);
  const errors: string[] = [];
  for (const o of objects.filter((x) => x.kind === 'SecretProviderClass')) {
    if (o.apiVersion !== 'secrets-store.csi.x-k8s.io/v1')
      errors.push(`${o.metadata.name}: apiVersion ${o.apiVersion}`);
    if (!validate(o))
      errors.push(
        ...(validate.errors ?? []).map((e) => `${o.metadata.name}: ${e.instancePath} ${e.message}`),
      );
  }
  return errors;
}
