import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { formatPath } from '../platform-file/errors';
import type { FieldLocation, ObjectLocation } from './result';

/** The target that names standard input: `kustomize build overlays/prod | cdk-aks-preflight ... -`. */
export const STANDARD_INPUT = '-';

/** A key of a path into an object: a map key or a list index. */
export type PathKey = string | number;

/**
 * Where one object was read, with its parsed YAML nodes kept so that a field of it can be found
 * once a control fails on it. Nothing is indexed in advance: most results are passes, and
 * finding a field walks only the keys on its path.
 */
export class ManifestOrigin {
  /** @internal */
  constructor(
    public readonly location: ObjectLocation,
    private readonly node?: Node | null,
    private readonly lines?: LineCounter,
  ) {}

  /**
   * The field at `path`, or its deepest ancestor written in the file (a control that fails
   * because a field is missing points at the map that lacks it).
   * @returns undefined for the object itself (an empty path) or when the nodes are not known
   */
  public locate(path: readonly PathKey[]): FieldLocation | undefined {
    if (!this.node || !this.lines || path.length === 0) return undefined;
    let node: Node = this.node;
    let at: { offset: number; depth: number } | undefined;
    for (let depth = 0; depth < path.length; depth++) {
      const key = path[depth];
      // Past an alias (`*name`) the field is written at its anchor: the alias is where this
      // object takes it, and where the result points.
      if (isAlias(node)) break;
      const resolved = node;
      let next: { value: Node | null; offset: number } | undefined;
      if (isMap(resolved) && typeof key === 'string') {
        const pair = resolved.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        const keyNode = pair?.key as Node | undefined;
        if (pair && keyNode?.range) next = { value: pair.value as Node | null, offset: keyNode.range[0] };
      } else if (isSeq(resolved) && typeof key === 'number') {
        const item = resolved.items[key] as Node | undefined;
        if (item?.range) next = { value: item, offset: item.range[0] };
      }
      if (!next) break;
      at = { offset: next.offset, depth: depth + 1 };
      if (!next.value) break;
      node = next.value;
    }
    if (!at) return undefined;
    const pos = this.lines.linePos(at.offset);
    return { path: formatPath(path.slice(0, at.depth)), line: pos.line, column: pos.col };
  }
}
