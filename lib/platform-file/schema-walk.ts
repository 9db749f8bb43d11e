import type { z } from 'zod';

/** A node of the platform schema. */
export type SchemaNode = z.core.$ZodType;
type Def = Record<string, unknown> & { type: string };

// Wrappers that change neither the shape nor the keys of what they wrap.
const WRAPPERS = ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'];

function defOf(node: SchemaNode): Def {
  return node._zod.def as unknown as Def;
}

/** The node under its wrappers and transforms: what gives the shape of the input. */
export function unwrapSchema(node: SchemaNode): SchemaNode {
  const def = defOf(node);
  if (WRAPPERS.includes(def.type)) return unwrapSchema(def.innerType as SchemaNode);
  if (def.type === 'pipe') return unwrapSchema(def.in as SchemaNode);
  return node;
}

/**
 * The schema below `node` for `key`: the key of an object, or (whatever the key) the items of a
 * list or the values of a map.
 */
export function childSchema(node: SchemaNode | undefined, key: PropertyKey): SchemaNode | undefined {
  if (!node) return undefined;
  const def = defOf(unwrapSchema(node));
  if (def.type === 'object') return (def.shape as Record<string, SchemaNode>)[String(key)];
  if (def.type === 'array') return def.element as SchemaNode;
  if (def.type === 'record') return def.valueType as SchemaNode;
  return undefined;
}

/** The keys an object node accepts, or undefined when the node is not an object. */
export function objectKeys(node: SchemaNode | undefined): string[] | undefined {
  if (!node) return undefined;
  const def = defOf(unwrapSchema(node));
  return def.type === 'object' ? Object.keys(def.shape as object) : undefined;
}

/** The default zod applies at `node` (which a JSON schema loses where a value is transformed). */
export function schemaDefault(node: SchemaNode | undefined): unknown {
  for (let n = node; n;) {
    const def = defOf(n);
    if (def.type === 'default') {
      return typeof def.defaultValue === 'function'
        ? (def.defaultValue as () => unknown)()
        : def.defaultValue;
    }
    n = WRAPPERS.includes(def.type) ? (def.innerType as SchemaNode) : undefined;
  }
  return undefined;
}
