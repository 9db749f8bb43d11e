import { describeValue, PlatformError } from './errors';
import { decodeUtf8, INPUT_LIMITS, readRegularFile } from './input';
import { isUuid } from './formats';
import type { PlatformSpec } from './types';

/** Name of the Terraform stack that creates the groups and the cluster. */
export const INFRA_STACK_NAME = 'infra';

/** The Terraform output (in the infra stack) that carries the object id of group `key`. */
export function groupObjectIdOutputName(key: string): string {
  return `group_${key.replace(/-/g, '_')}_object_id`;
}

/**
 * Reads an outputs file: what `cdktf deploy --outputs-file <file>` writes (outputs by stack,
 * nested by construct), or `terraform output -json` of the infra stack ({"name": {"value": ...}}).
 * A regular UTF-8 file of at most `INPUT_LIMITS.outputsFileBytes`, nested at most
 * `INPUT_LIMITS.outputsDepth` levels.
 */
export function readOutputsFile(file: string): unknown {
  const what = `the outputs file ${file} (PLATFORM_OUTPUTS)`;
  const decoded = decodeUtf8(readRegularFile(file, what, INPUT_LIMITS.outputsFileBytes));
  if ('invalid' in decoded)
    throw new PlatformError(
      `${what}: line ${decoded.invalid.line}, column ${decoded.invalid.column}: byte ${decoded.invalid.byte} is not UTF-8`,
    );
  let value: unknown;
  try {
    value = JSON.parse(decoded.text);
  } catch (e) {
    throw new PlatformError(`${what} is not JSON: ${(e as Error).message}`);
  }
  const depth = nestingDepth(value, INPUT_LIMITS.outputsDepth);
  if (depth > INPUT_LIMITS.outputsDepth)
    throw new PlatformError(
      `${what} is nested more than ${INPUT_LIMITS.outputsDepth} levels deep: it is not a Terraform outputs file`,
    );
  return value;
}

/** Depth of a JSON value, counted without recursion and up to `limit + 1`. */
function nestingDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) max = depth + 1;
    if (max > limit) return max;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Every value of the outputs named in `names`, anywhere below `node` (cdktf nests outputs by
 * construct path). `{ "value": v }` entries (terraform output -json) give `v`.
 */
function findOutputs(node: unknown, names: ReadonlySet<string>): Map<string, unknown[]> {
  const found = new Map<string, unknown[]>();
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    for (const [key, child] of Object.entries(v)) {
      if (names.has(key)) {
        const value =
          child !== null && typeof child === 'object' && Object.hasOwn(child, 'value')
            ? (child as { value: unknown }).value
            : child;
        const list = found.get(key);
        if (list) list.push(value);
        else found.set(key, [value]);
      } else stack.push(child);
    }
  }
  return found;
}

/** The nil UUID is a placeholder, never the id of an Entra object. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * An output of `stack` in an outputs file: under the stack's key (`cdktf deploy --outputs-file`),
 * or at the top (`terraform output -json` of that stack).
 * @returns undefined when the file has no such output
 * @throws PlatformError when the file holds that output twice with different values
 */
export function stackOutput(outputs: unknown, stack: string, name: string): unknown {
  const scope =
    outputs !== null && typeof outputs === 'object' && Object.hasOwn(outputs, stack)
      ? (outputs as Record<string, unknown>)[stack]
      : outputs;
  const values = findOutputs(scope, new Set([name])).get(name) ?? [];
  if (new Set(values.map((v) => JSON.stringify(v))).size > 1)
    throw new PlatformError(
      `the outputs file has ${values.length} outputs ${name} with different values: which one is this platform's is unknown`,
    );
  return values[0];
}

/**
 * The groups whose object ids the Kubernetes YAML carries literally: the tenant owners, and the
 * admin groups that the tenant guardrails exempt.
 */
export function groupKeysNeededByKubernetes(spec: PlatformSpec): string[] {
  const admins = spec.tenants.length > 0 ? spec.admins : [];
  return [...new Set([...spec.tenants.flatMap((t) => t.owners), ...admins])].sort();
}

/**
 * Resolves group keys to Entra object ids: the `objectId` of a referenced group, or the infra
 * stack output of a created one.
 * @param outputs the parsed outputs file, or undefined when none was given
 * @throws PlatformError naming every group whose id is missing and how to get it
 */
export function resolveGroupObjectIds(
  spec: PlatformSpec,
  keys: readonly string[],
  outputs: unknown,
  outputsSource?: string,
): Map<string, string> {
  const ids = new Map<string, string>();
  const problems: string[] = [];
  const scope =
    outputs !== null && typeof outputs === 'object' && Object.hasOwn(outputs, INFRA_STACK_NAME)
      ? (outputs as Record<string, unknown>)[INFRA_STACK_NAME]
      : outputs;
  const created = keys.filter((k) => spec.groups[k]?.objectId === undefined);
  const found =
    outputs === undefined
      ? new Map<string, unknown[]>()
      : findOutputs(scope, new Set(created.map(groupObjectIdOutputName)));
  for (const key of keys) {
    const group = spec.groups[key];
    if (!group) throw new Error(`group key ${key} is not in the spec`);
    if (group.objectId !== undefined) {
      ids.set(key, group.objectId);
      continue;
    }
    const name = groupObjectIdOutputName(key);
    const values = found.get(name) ?? [];
    const distinct = [
      ...new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : JSON.stringify(v)))),
    ];
    const value = values[0];
    const at = `group "${key}" (${group.displayName})`;
    if (distinct.length > 1) {
      problems.push(
        `  - ${at}: ${outputsSource} has ${values.length} outputs ${name} with different values (${distinct.join(', ')}): which one is this platform's is unknown`,
      );
    } else if (typeof value === 'string' && isUuid(value) && value !== NIL_UUID) {
      ids.set(key, value.toLowerCase());
    } else if (value !== undefined) {
      const why = value === NIL_UUID ? 'the nil UUID, a placeholder' : 'not an object id';
      problems.push(`  - ${at}: output ${name} in ${outputsSource} is ${describeValue(value)}, ${why}`);
    } else {
      const where =
        outputs === undefined
          ? 'no outputs file was given (PLATFORM_OUTPUTS)'
          : `${outputsSource} has no output ${name}`;
      problems.push(`  - ${at}: ${where}`);
    }
  }
  // Two groups with one id: a tenant would be owned by another group (the admins, say).
  const byId = new Map<string, string[]>();
  for (const [key, id] of ids) {
    const list = byId.get(id);
    if (list) list.push(key);
    else byId.set(id, [key]);
  }
  for (const [id, shared] of byId)
    if (shared.length > 1)
      problems.push(
        `  - groups ${shared.map((k) => `"${k}"`).join(', ')} all have the object id ${id}: each Entra group has its own id (are the outputs those of another platform, or edited by hand?)`,
      );
  if (problems.length > 0) {
    throw new PlatformError(
      [
        'the Kubernetes YAML needs the object ids of groups the infra stack creates:',
        ...problems,
        'Deploy the infra stack and pass its outputs: `cdktf deploy infra --outputs-file outputs.json` then',
        'PLATFORM_OUTPUTS=outputs.json (or `terraform output -json` of the infra stack), or reference existing',
        'groups with groups.<key>.objectId.',
      ].join('\n'),
    );
  }
  return ids;
}
