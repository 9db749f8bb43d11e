import { celList, celMap, type CelInput } from '@bufbuild/cel';
import type { PathKey } from './origin';

/**
 * Records the fields of an object that a CEL expression reads, to point a failed validation at
 * a field. The object is converted to CEL values whose maps note every key looked up (a field
 * selection, `has()`, `in`), with the path of the key in the object.
 *
 * Policies are written as guards then a check (`has(c.securityContext) && ... == true`) and
 * `all()` stops at the first element that fails, so the last field read by a validation that
 * returned false is the one at fault: the field itself when it is present with a wrong value,
 * its map when it is missing. What this cannot tell: which element of a list of scalars failed
 * (it points at the list), or, for `exists()` and for checks of several fields joined by `||`,
 * which of the fields read matters most (it points at the last).
 */
export class FieldReads {
  private last?: { readonly path: readonly PathKey[]; readonly present: boolean };

  /** Forgets what was read so far. */
  public reset(): void {
    this.last = undefined;
  }

  /** @internal */
  public _record(path: readonly PathKey[], present: boolean): void {
    this.last = { path, present };
  }

  /**
   * The path of the last field read: the field when present, else the map that lacks it.
   * @returns undefined when nothing of the object was read since the last reset
   */
  public get blamed(): readonly PathKey[] | undefined {
    if (!this.last) return undefined;
    return this.last.present ? this.last.path : this.last.path.slice(0, -1);
  }

  /** `value` as CEL input whose maps record their reads into this (paths under `path`). */
  public track(value: unknown, path: readonly PathKey[] = []): unknown {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
    if (Array.isArray(value)) return celList(value.map((v, i) => this.track(v, [...path, i])) as CelInput[]);
    if (value && typeof value === 'object') {
      const out = new RecordingMap(this, path);
      for (const [k, v] of Object.entries(value))
        if (v !== undefined) out.set(k, this.track(v, [...path, k]) as CelInput);
      return celMap(out);
    }
    return value;
  }
}

// The CEL engine looks keys up with Map.get (selection, has(), `in`): one place to listen.
class RecordingMap extends Map<string, CelInput> {
  constructor(
    private readonly reads: FieldReads,
    private readonly path: readonly PathKey[],
  ) {
    super();
  }

  public override get(key: string): CelInput | undefined {
    const value = super.get(key);
    if (typeof key === 'string') this.reads._record([...this.path, key], value !== undefined);
    return value;
  }
}
