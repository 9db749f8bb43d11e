import { describeValue, PlatformError } from './errors';
import { decodeUtf8, INPUT_LIMITS, readRegularFile } from './input';
import { isUuid } from './formats';
import type { PlatformSpec } from './types';
import { keyVaultAccesses, type WorkloadKeyVaultAccess } from './key-vault-access';

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

/** The infra stack's outputs within an outputs file (cdktf nests them under the stack name). */
function infraScope(outputs: unknown): unknown {
  return outputs !== null && typeof outputs === 'object' && Object.hasOwn(outputs, INFRA_STACK_NAME)
    ? (outputs as Record<string, unknown>)[INFRA_STACK_NAME]
    : outputs;
}

/**
 * The UUID an output holds, or why there is none: a problem line naming `at`, the output and
 * the file.
 */
function uuidOutput(
  found: ReadonlyMap<string, unknown[]>,
  name: string,
  at: string,
  outputs: unknown,
  source: string | undefined,
  what: string,
): { id: string } | { problem: string } {
  const values = found.get(name) ?? [];
  const distinct = [
    ...new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : JSON.stringify(v)))),
  ];
  const value = values[0];
  if (distinct.length > 1)
    return {
      problem: `  - ${at}: ${source} has ${values.length} outputs ${name} with different values (${distinct.join(', ')}): which one is this platform's is unknown`,
    };
  if (typeof value === 'string' && isUuid(value) && value !== NIL_UUID) return { id: value.toLowerCase() };
  if (value !== undefined) {
    const why = value === NIL_UUID ? 'the nil UUID, a placeholder' : `not ${what}`;
    return { problem: `  - ${at}: output ${name} in ${source} is ${describeValue(value)}, ${why}` };
  }
  const where =
    outputs === undefined
      ? 'no outputs file was given (PLATFORM_OUTPUTS)'
      : `${source} has no output ${name}`;
  return { problem: `  - ${at}: ${where}` };
}

interface Resolved<T> {
  readonly ids: Map<string, T>;
  readonly problems: string[];
}

function groupIds(
  spec: PlatformSpec,
  keys: readonly string[],
  outputs: unknown,
  source: string | undefined,
): Resolved<string> {
  const ids = new Map<string, string>();
  const problems: string[] = [];
  const created = keys.filter((k) => spec.groups[k]?.objectId === undefined);
  const found =
    outputs === undefined
      ? new Map<string, unknown[]>()
      : findOutputs(infraScope(outputs), new Set(created.map(groupObjectIdOutputName)));
  for (const key of keys) {
    const group = spec.groups[key];
    if (!group) throw new Error(`group key ${key} is not in the spec`);
    if (group.objectId !== undefined) {
      ids.set(key, group.objectId);
      continue;
    }
    const at = `group "${key}" (${group.displayName})`;
    const r = uuidOutput(found, groupObjectIdOutputName(key), at, outputs, source, 'an object id');
    if ('id' in r) ids.set(key, r.id);
    else problems.push(r.problem);
  }
  // Two groups with one id: a tenant would be owned by another group (the admins, say).
  for (const [id, shared] of byValue(ids))
    if (shared.length > 1)
      problems.push(
        `  - groups ${shared.map((k) => `"${k}"`).join(', ')} all have the object id ${id}: each Entra group has its own id (are the outputs those of another platform, or edited by hand?)`,
      );
  return { ids, problems };
}

function byValue(ids: ReadonlyMap<string, string>): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const [key, id] of ids) {
    const list = by.get(id);
    if (list) list.push(key);
    else by.set(id, [key]);
  }
  return by;
}

/** The error of ids missing from the outputs: the groups', then the workloads', and how to get them. */
function missingIdsError(groupProblems: string[], identityProblems: string[]): PlatformError {
  const what =
    identityProblems.length === 0
      ? 'the object ids of groups'
      : groupProblems.length === 0
        ? 'the client ids of the workload identities'
        : 'the ids of groups and workload identities';
  const hints = [
    ...(groupProblems.length > 0 ? ['reference existing groups with groups.<key>.objectId'] : []),
    ...(identityProblems.length > 0
      ? ['give workloads[].keyVault.clientId for an identity made elsewhere']
      : []),
  ];
  return new PlatformError(
    [
      `the Kubernetes YAML needs ${what} the infra stack creates:`,
      ...groupProblems,
      ...identityProblems,
      'Deploy the infra stack and pass its outputs: `cdktf deploy infra --outputs-file outputs.json` then',
      `PLATFORM_OUTPUTS=outputs.json (or \`terraform output -json\` of the infra stack), or ${hints.join(', or ')}.`,
    ].join('\n'),
  );
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
  const groups = groupIds(spec, keys, outputs, outputsSource);
  if (groups.problems.length > 0) throw missingIdsError(groups.problems, []);
  return groups.ids;
}

/** The Terraform output (in the infra stack) with the Entra tenant of the platform's identities and vaults. */
export const TENANT_ID_OUTPUT_NAME = 'azure_tenant_id';

/**
 * The Terraform output (in the infra stack) with the client id of the identity the stack creates
 * for a workload. `_` separates the parts: namespaces and workload names never contain one.
 */
export function workloadClientIdOutputName(namespace: string, workload: string): string {
  return `workload_identity_${namespace}_${workload}_client_id`;
}

/** How workload identities are keyed: `<namespace>/<workload name>`. */
export function workloadIdentityKey(namespace: string, workload: string): string {
  return `${namespace}/${workload}`;
}

/** The identity a workload reads Key Vault with, as the Kubernetes YAML writes it. */
export interface WorkloadIdentityIds {
  /** Client id of the identity. */
  readonly clientId: string;
  /** Entra ID tenant of the identity. */
  readonly tenantId: string;
}

function workloadIdentities(spec: PlatformSpec, outputs: unknown, source: string | undefined) {
  const ids = new Map<string, WorkloadIdentityIds>();
  const problems: string[] = [];
  const accesses = keyVaultAccesses(spec);
  const created = accesses.filter((a) => a.clientId === undefined);
  const needTenant = accesses.filter((a) => a.tenantId === undefined);
  const names = new Set([
    ...created.map((a) => workloadClientIdOutputName(a.workload.namespace, a.workload.name)),
    ...(needTenant.length > 0 ? [TENANT_ID_OUTPUT_NAME] : []),
  ]);
  const found =
    outputs === undefined ? new Map<string, unknown[]>() : findOutputs(infraScope(outputs), names);
  const label = (a: WorkloadKeyVaultAccess) =>
    `workload ${a.workload.namespace}/${a.workload.name} (workloads[${a.workloadIndex}])`;

  let tenantId: string | undefined;
  if (needTenant.length > 0) {
    const at = `the Entra tenant of ${needTenant.map(label).join(', ')}`;
    const r = uuidOutput(found, TENANT_ID_OUTPUT_NAME, at, outputs, source, 'a tenant id');
    if ('id' in r) tenantId = r.id;
    else problems.push(r.problem);
  }
  const byClientId = new Map<string, WorkloadKeyVaultAccess[]>();
  for (const a of accesses) {
    let clientId = a.clientId;
    if (clientId === undefined) {
      const name = workloadClientIdOutputName(a.workload.namespace, a.workload.name);
      const r = uuidOutput(found, name, label(a), outputs, source, 'a client id');
      if ('problem' in r) {
        problems.push(r.problem);
        continue;
      }
      clientId = r.id;
    }
    byClientId.set(clientId, [...(byClientId.get(clientId) ?? []), a]);
    const tenant = a.tenantId ?? tenantId;
    if (tenant !== undefined)
      ids.set(workloadIdentityKey(a.workload.namespace, a.workload.name), { clientId, tenantId: tenant });
  }
  // Each identity the stack creates is its own: a client id it gave one workload on another is not.
  for (const [clientId, sharing] of byClientId)
    if (sharing.length > 1 && sharing.some((a) => a.clientId === undefined))
      problems.push(
        `  - ${sharing.map(label).join(', ')} all have the client id ${clientId} (from ${source}): each identity the infra stack creates has its own (are the outputs those of another platform, or edited by hand?)`,
      );
  return { ids, problems };
}

/**
 * Resolves the identity of every workload that reads Key Vault: the `clientId` and `tenantId`
 * of the platform file, or the infra stack outputs for the identity the stack creates.
 * @param outputs the parsed outputs file, or undefined when none was given
 * @returns by workloadIdentityKey
 * @throws PlatformError naming every workload whose ids are missing and how to get them
 */
export function resolveWorkloadIdentities(
  spec: PlatformSpec,
  outputs: unknown,
  outputsSource?: string,
): Map<string, WorkloadIdentityIds> {
  return resolvePlatformOutputs(spec, outputs, outputsSource, []).workloadIdentities;
}

/** The ids the Kubernetes YAML carries literally, read from the infra outputs. */
export interface PlatformOutputIds {
  /** Object id by group key, for the keys of groupKeysNeededByKubernetes. */
  readonly groupObjectIds: Map<string, string>;
  /** Identity by workloadIdentityKey, for every workload that reads Key Vault. */
  readonly workloadIdentities: Map<string, WorkloadIdentityIds>;
}

/**
 * Every id the Kubernetes YAML needs from the infra stack: the group object ids and the
 * workload identities.
 * @param outputs the parsed outputs file, or undefined when none was given
 * @param groupKeys the groups to resolve; by default groupKeysNeededByKubernetes(spec)
 * @throws PlatformError naming every group and workload whose ids are missing, and how to get them
 */
export function resolvePlatformOutputs(
  spec: PlatformSpec,
  outputs: unknown,
  outputsSource?: string,
  groupKeys: readonly string[] = groupKeysNeededByKubernetes(spec),
): PlatformOutputIds {
  const groups = groupIds(spec, groupKeys, outputs, outputsSource);
  const identities = workloadIdentities(spec, outputs, outputsSource);
  if (groups.problems.length > 0 || identities.problems.length > 0)
    throw missingIdsError(groups.problems, identities.problems);
  return { groupObjectIds: groups.ids, workloadIdentities: identities.ids };
}
