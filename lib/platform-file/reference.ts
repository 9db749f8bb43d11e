import { z } from 'zod';
import { childSchema, schemaDefault, type SchemaNode } from './schema-walk';
import { platformFileSchema } from './schema/platform';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
}

/**
 * The reference of the platform file as a Markdown table (key, type, default, description),
 * generated from the schema itself so that the documentation cannot drift from the validation.
 */
export function platformFileReference(): string {
  const root = z.toJSONSchema(platformFileSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const rows: string[] = ['| key | type | default | description |', '|---|---|---|---|'];
  walk(root, platformFileSchema, '', true, rows);
  return rows.join('\n') + '\n';
}

function walk(
  schema: JsonSchema,
  zodSchema: SchemaNode | undefined,
  path: string,
  required: boolean,
  rows: string[],
): void {
  const object = objectOf(schema);
  if (path !== '') {
    const description = escape(schema.description ?? '');
    rows.push(
      `| \`${path}\` | ${typeOf(schema)} | ${defaultOf(schema, zodSchema, required)} | ${description} |`,
    );
  }
  const descend = (properties: JsonSchema, zodParent: SchemaNode | undefined, prefix: string) => {
    for (const [key, child] of Object.entries(properties.properties!)) {
      walk(
        child,
        childSchema(zodParent, key),
        `${prefix}${key}`,
        properties.required?.includes(key) ?? false,
        rows,
      );
    }
  };
  if (object?.properties) {
    descend(object, zodSchema, path === '' ? '' : `${path}.`);
  } else if (schema.items && objectOf(schema.items)?.properties) {
    descend(objectOf(schema.items)!, childSchema(zodSchema, '[]'), `${path}[].`);
  } else if (
    typeof schema.additionalProperties === 'object' &&
    objectOf(schema.additionalProperties)?.properties
  ) {
    descend(objectOf(schema.additionalProperties)!, childSchema(zodSchema, '<key>'), `${path}.<key>.`);
  }
}

function objectOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.type === 'object') return schema;
  return undefined;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(' \\| ');
  if (schema.type === 'array') return schema.items ? `list of ${typeOf(schema.items)}` : 'list';
  if (schema.type === 'object' && !schema.properties && schema.additionalProperties) {
    return typeof schema.additionalProperties === 'object'
      ? `map of ${typeOf(schema.additionalProperties)}`
      : 'map';
  }
  if (schema.type === 'object') return 'mapping';
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  return schema.type ?? 'any';
}

function defaultOf(schema: JsonSchema, zodSchema: SchemaNode | undefined, required: boolean): string {
  const d = schema.default !== undefined ? schema.default : schemaDefault(zodSchema);
  if (d !== undefined) {
    if (d !== null && typeof d === 'object' && Object.keys(d).length === 0)
      return Array.isArray(d) ? '`[]`' : 'see keys';
    return `\`${JSON.stringify(d)}\``;
  }
  return required ? '**required**' : '-';
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
