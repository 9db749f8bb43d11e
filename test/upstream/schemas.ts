// The upstream schemas vendored in vendor/ (see vendor/README.md), as validators. Every test that
// checks emitted objects or chart values against an upstream API reads them through this file, so
// a missing file is a failing test, never a skipped one.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const VENDOR = path.join(ROOT, 'vendor');

/** A vendored file; throws when it is missing (a test must fail, not skip). */
export function vendorFile(source: string, file: string): string {
  const p = path.join(VENDOR, source, file);
  if (!fs.existsSync(p)) throw new Error(`vendored upstream file missing: ${path.relative(ROOT, p)}`);
  return p;
}

/** The CRD files by upstream folder; the only place that maps a kind to its vendored file. */
const CRD_FILES: Record<string, string[]> = {
  kyverno: [
    'policies.kyverno.io_validatingpolicies.yaml',
    'policies.kyverno.io_generatingpolicies.yaml',
    'policies.kyverno.io_imagevalidatingpolicies.yaml',
    'policies.kyverno.io_policyexceptions.yaml',
    'kyverno.io_clusterpolicies.yaml',
    'kyverno.io_policyexceptions.yaml',
    'wgpolicyk8s.io_policyreports.yaml',
    'wgpolicyk8s.io_clusterpolicyreports.yaml',
  ],
  capsule: [
    'capsule.clastix.io_tenants.yaml',
    'capsule.clastix.io_globaltenantresources.yaml',
    'capsule.clastix.io_globalresourcequotas.yaml',
  ],
  'secrets-store-csi-driver': ['secrets-store.csi.x-k8s.io_secretproviderclasses.yaml'],
};

/** Kubernetes' own extensions, which ajv must accept (the API server checks them, not the schema). */
function kubernetesAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const kw of [
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-int-or-string',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-validations',
    'x-kubernetes-embedded-resource',
  ])
    ajv.addKeyword(kw);
  for (const f of ['int32', 'int64', 'byte', 'quantity', 'date-time', 'duration']) ajv.addFormat(f, true);
  return ajv;
}

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

/** One served version of a vendored CRD. */
export interface CrdVersion {
  readonly apiVersion: string;
  readonly kind: string;
  readonly served: boolean;
  readonly deprecated: boolean;
  /** Paths (dotted, under spec) of fields whose description starts with "Deprecated". */
  readonly deprecatedFields: string[];
  readonly validate: ValidateFunction;
}

interface CrdEntry {
  readonly kind: string;
  readonly apiVersion: string;
  readonly served: boolean;
  readonly deprecated: boolean;
  readonly schema: any;
}

let crdIndex: Map<string, CrdEntry> | undefined;

/**
 * Every served version of every vendored CRD. Parsing the CRD files (several MB of YAML) took a
 * second in every test file that validates a custom resource; the index is kept as JSON in
 * node_modules/.cache, under the hash of the files it was read from, and read back by the others.
 */
function index(): Map<string, CrdEntry> {
  if (crdIndex) return crdIndex;
  const files = Object.entries(CRD_FILES).flatMap(([source, names]) =>
    names.map((name) => ({
      name: `${source}/${name}`,
      text: fs.readFileSync(vendorFile(source, name), 'utf8'),
    })),
  );
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(f.name).update('\0').update(f.text).update('\0');
  const cacheFile = path.join(
    ROOT,
    'node_modules',
    '.cache',
    'cdk-aks-platform',
    `crd-index-${hash.digest('hex')}.json`,
  );
  try {
    crdIndex = new Map(JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as [string, CrdEntry][]);
    return crdIndex;
  } catch {
    // Not cached yet (or damaged): read from the files.
  }
  crdIndex = new Map();
  for (const f of files) {
    for (const doc of parseAllDocuments(f.text)) {
      const crd = doc.toJSON();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions) {
        const apiVersion = `${crd.spec.group}/${v.name}`;
        crdIndex.set(`${apiVersion} ${crd.spec.names.kind}`, {
          kind: crd.spec.names.kind,
          apiVersion,
          served: Boolean(v.served),
          deprecated: Boolean(v.deprecated),
          schema: v.schema.openAPIV3Schema,
        });
      }
    }
  }
  const partial = `${cacheFile}.${process.pid}`;
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  fs.writeFileSync(partial, JSON.stringify([...crdIndex]));
  fs.renameSync(partial, cacheFile);
  return crdIndex;
}

const ajv = kubernetesAjv();
const compiled = new Map<string, CrdVersion>();

/** The vendored CRD of `apiVersion`/`kind`, or undefined when none is vendored. */
export function findCrd(apiVersion: string, kind: string): CrdVersion | undefined {
  const key = `${apiVersion} ${kind}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const entry = index().get(key);
  if (!entry) return undefined;
  const deprecatedFields: string[] = [];
  const walk = (s: any, at: string) => {
    for (const [k, c] of Object.entries<any>(s?.properties ?? {})) {
      const p = at ? `${at}.${k}` : k;
      if (/^Deprecated/.test(c.description ?? '')) deprecatedFields.push(p);
      walk(c.type === 'array' ? c.items : c, p);
    }
  };
  walk(entry.schema.properties?.spec, '');
  const crd: CrdVersion = {
    ...entry,
    deprecatedFields,
    validate: ajv.compile(intOrString(structuredClone(entry.schema))),
  };
  compiled.set(key, crd);
  return crd;
}

/** The vendored CRD of `apiVersion`/`kind`; throws when none is vendored. */
export function crd(apiVersion: string, kind: string): CrdVersion {
  const found = findCrd(apiVersion, kind);
  if (!found) throw new Error(`no vendored CRD for ${apiVersion} ${kind}: add it to vendor/ and CRD_FILES`);
  return found;
}

/** Every apiVersion/kind a vendored CRD defines. */
export function vendoredKinds(): string[] {
  return [...index().keys()].sort();
}

/**
 * Messages for each custom resource that its CRD rejects, or whose version is not served or is
 * deprecated upstream. Objects of other kinds are ignored (see {@link coreObjectErrors}).
 */
export function customResourceErrors(objects: any[]): string[] {
  const errors: string[] = [];
  for (const o of objects) {
    const c = findCrd(o.apiVersion, o.kind);
    if (!c) continue;
    const id = `${o.kind}/${o.metadata?.name}`;
    if (!c.served) errors.push(`${id}: ${o.apiVersion} is not served upstream`);
    if (c.deprecated) errors.push(`${id}: ${o.apiVersion} is deprecated upstream`);
    if (!c.validate(o))
      errors.push(...(c.validate.errors ?? []).map((e) => `${id}: ${e.instancePath || '/'} ${e.message}`));
  }
  return errors;
}

/** Result of validating objects against kubernetes-models. */
export interface ModelValidation {
  /** `kind/name` of every object a model was found for. */
  readonly checked: string[];
  /** `kind/name: message` of every invalid object. */
  readonly errors: string[];
  /** `apiVersion kind` of objects kubernetes-models has no model for (custom resources). */
  readonly unknown: string[];
}

/** The module of kubernetes-models that holds the model of `apiVersion`/`kind`. */
function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

type Model = new (o: unknown) => { validate(): void };

/** Validates objects with kubernetes-models (the official OpenAPI schemas of the core kinds). */
export function validateWithKubernetesModels(objects: any[]): ModelValidation {
  const result = { checked: [] as string[], errors: [] as string[], unknown: [] as string[] };
  for (const o of objects) {
    let model: Model | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      model = require(modelModule(o.apiVersion, o.kind))[o.kind];
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    }
    if (!model) {
      result.unknown.push(`${o.apiVersion} ${o.kind}`);
      continue;
    }
    const id = `${o.kind}/${o.metadata.name}`;
    result.checked.push(id);
    try {
      new model(o).validate();
    } catch (e) {
      result.errors.push(`${id}: ${String((e as Error).message).slice(0, 400)}`);
    }
  }
  return result;
}

/** Messages for each core object kubernetes-models rejects; an object with no model is an error. */
export function coreObjectErrors(objects: any[]): string[] {
  const result = validateWithKubernetesModels(objects);
  return [...result.errors, ...result.unknown.map((k) => `no kubernetes-models model for ${k}`)];
}

/** The charts whose values files are vendored. */
export type VendoredChart = 'cert-manager' | 'kyverno' | 'capsule' | 'capsule-proxy';

const chartValidators = new Map<VendoredChart, ValidateFunction>();

/**
 * The values.schema.json of a vendored chart, as a validator (Kyverno's chart publishes none),
 * compiled once per chart.
 */
export function chartValuesValidator(source: Exclude<VendoredChart, 'kyverno'>): ValidateFunction {
  let validate = chartValidators.get(source);
  if (!validate) {
    validate = compileChartValuesValidator(source);
    chartValidators.set(source, validate);
  }
  return validate;
}

function compileChartValuesValidator(source: Exclude<VendoredChart, 'kyverno'>): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(vendorFile(source, 'values.schema.json'), 'utf8'));
  // cert-manager publishes a draft-07 schema, the Capsule charts 2020-12 ones.
  const validator = String(schema.$schema ?? '').includes('draft-07')
    ? new Ajv({ strict: false, allErrors: true })
    : new Ajv2020({ strict: false, allErrors: true });
  addFormats(validator);
  return validator.compile(schema);
}

/** The default values.yaml of a vendored chart, parsed. */
export function chartDefaultValues(source: VendoredChart): Record<string, unknown> {
  return parse(fs.readFileSync(vendorFile(source, 'values.yaml'), 'utf8')) as Record<string, unknown>;
}
