import * as fs from 'node:fs';
import { describeValue, PlatformError } from './errors';
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
 */
export function readOutputsFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new PlatformError(
      `cannot read the outputs file ${file} (PLATFORM_OUTPUTS): ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PlatformError(
      `the outputs file ${file} (PLATFORM_OUTPUTS) is not JSON: ${(e as Error).message}`,
    );
  }
}

/** Finds an output by name anywhere below `node` (cdktf nests outputs by construct path). */
function findOutput(node: unknown, name: string): unknown {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const record = node as Record<string, unknown>;
  if (name in record) {
    const v = record[name];
    if (v !== null && typeof v === 'object' && 'value' in (v as object))
      return (v as { value: unknown }).value;
    return v;
  }
  for (const child of Object.values(record)) {
    const found = findOutput(child, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * An output of `stack` in an outputs file: under the stack's key (`cdktf deploy --outputs-file`),
 * or at the top (`terraform output -json` of that stack).
 * @returns undefined when the file has no such output
 */
export function stackOutput(outputs: unknown, stack: string, name: string): unknown {
  if (outputs !== null && typeof outputs === 'object' && stack in (outputs as object)) {
    const found = findOutput((outputs as Record<string, unknown>)[stack], name);
    if (found !== undefined) return found;
  }
  return findOutput(outputs, name);
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
    outputs !== null && typeof outputs === 'object' && INFRA_STACK_NAME in (outputs as object)
      ? (outputs as Record<string, unknown>)[INFRA_STACK_NAME]
      : outputs;
  for (const key of keys) {
    const group = spec.groups[key];
    if (!group) throw new Error(`group key ${key} is not in the spec`);
    if (group.objectId !== undefined) {
      ids.set(key, group.objectId);
      continue;
    }
    const name = groupObjectIdOutputName(key);
    const value = outputs === undefined ? undefined : findOutput(scope, name);
    if (typeof value === 'string' && isUuid(value)) {
      ids.set(key, value.toLowerCase());
    } else if (value !== undefined) {
      problems.push(
        `  - group "${key}" (${group.displayName}): output ${name} in ${outputsSource} is ${describeValue(value)}, not an object id`,
      );
    } else {
      const where =
        outputs === undefined
          ? 'no outputs file was given (PLATFORM_OUTPUTS)'
          : `${outputsSource} has no output ${name}`;
      problems.push(`  - group "${key}" (${group.displayName}): ${where}`);
    }
  }
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
