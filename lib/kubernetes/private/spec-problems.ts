import type { Construct } from 'constructs';
import {
  ConstructError,
  PlatformError,
  PlatformValidationError,
  PropError,
  type PlatformIssue,
} from '../../platform-file/errors';

/**
 * How the props of a construct map onto the keys of the platform file: `[prop prefix, key]`
 * pairs, the key relative to the entry the construct is built from, or absolute when it starts
 * with `/` (`['ingressControllerNamespace', '/ingress.namespace']`). Props not listed keep
 * their name.
 */
export type PropKeys = ReadonlyArray<readonly [string, string]>;

/** The platform-file key of `prop` of a construct built from the entry at `key`. */
export function platformKey(key: string, prop: string, keys: PropKeys): string {
  let rel = prop;
  for (const [from, to] of keys) {
    if (prop === from || prop.startsWith(`${from}.`) || prop.startsWith(`${from}[`)) {
      rel = to + prop.slice(from.length);
      break;
    }
  }
  if (rel.startsWith('/')) return rel.slice(1);
  if (rel === '') return key;
  return rel.startsWith('[') ? `${key}${rel}` : `${key}.${rel}`;
}

/**
 * The problems of the constructs built from one platform file, collected so that a synth
 * reports all of them together, each under the platform-file key it comes from and naming the
 * construct and its prop.
 */
export class SpecProblems {
  private readonly issues: PlatformIssue[] = [];

  /**
   * Builds the construct `id` of `scope` from the platform-file entry at `key`. When it refuses
   * its props, the problems are recorded and the half-built construct is removed from the tree.
   * @param keys how the construct's props map onto the entry's keys
   * @returns the construct, or undefined when it was refused
   */
  public build<T>(
    scope: Construct,
    id: string,
    key: string,
    build: () => T,
    keys: PropKeys = [],
  ): T | undefined {
    try {
      return build();
    } catch (e) {
      if (!(e instanceof PlatformError)) throw e;
      scope.node.tryRemoveChild(id);
      if (e instanceof ConstructError) {
        for (const p of e.problems)
          this.issues.push({
            path: platformKey(key, p.prop, keys),
            message: `${p.reason} (${e.kind} ${e.constructPath}${p.prop ? `, ${p.prop}` : ''})`,
          });
      } else if (e instanceof PropError)
        this.issues.push({ path: platformKey(key, e.prop, keys), message: e.reason });
      else this.issues.push({ path: key, message: e.message });
      return undefined;
    }
  }

  /** @throws PlatformValidationError with every problem recorded, if any */
  public throwIfAny(): void {
    if (this.issues.length > 0)
      throw new PlatformValidationError('the constructs built from the platform file', [...this.issues]);
  }
}
