import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { validateXML } from 'xmllint-wasm';

const VENDOR = path.join(__dirname, '..', '..', 'vendor');

let sarif: ((log: unknown) => string[]) | undefined;

/**
 * The published SARIF 2.1.0 schema (vendor/sarif-spec, JSON Schema draft-04) as a validator,
 * compiled once (a compile takes most of a second).
 */
export function sarifValidator(): (log: unknown) => string[] {
  sarif ??= compileSarifValidator();
  return sarif;
}

function compileSarifValidator(): (log: unknown) => string[] {
  const schema = JSON.parse(
    fs.readFileSync(path.join(VENDOR, 'sarif-spec', 'sarif-schema-2.1.0.json'), 'utf8'),
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

/** Errors of `xml` against the Ant JUnit XSD (vendor/junit-schema), read by libxml2 (WebAssembly). */
export async function junitErrors(xml: string): Promise<string[]> {
  const xsd = fs.readFileSync(path.join(VENDOR, 'junit-schema', 'JUnit.xsd'), 'utf8');
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'JUnit.xsd', contents: xsd }],
    maxMemoryPages: 1024,
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}
