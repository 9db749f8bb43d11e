import { PlatformError } from '../platform-file/errors';

/** A Kubernetes label selector in its JSON form. */
export interface LabelSelectorJson {
  /** @default - no label condition */
  readonly matchLabels?: Record<string, string>;
  /** @default - no expression */
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: string[] }>;
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * A label selector checked once when read (so a typo in an operator fails the run rather than
 * silently matching nothing), then matched against many label sets.
 */
export class LabelSelector {
  /** @param where names the field for error messages */
  public static parse(json: unknown, where: string): LabelSelector | undefined {
    if (json === undefined || json === null) return undefined;
    if (typeof json !== 'object' || Array.isArray(json))
      throw new PlatformError(`${where}: expected a label selector object, received ${JSON.stringify(json)}`);
    const selector = json as LabelSelectorJson;
    for (const [i, e] of (selector.matchExpressions ?? []).entries()) {
      if (!OPERATORS.has(e?.operator))
        throw new PlatformError(
          `${where}.matchExpressions[${i}].operator: expected In, NotIn, Exists or DoesNotExist, received ${JSON.stringify(e?.operator)}`,
        );
      if ((e.operator === 'In' || e.operator === 'NotIn') && !(e.values?.length ?? 0))
        throw new PlatformError(
          `${where}.matchExpressions[${i}].values: ${e.operator} needs at least one value`,
        );
    }
    return new LabelSelector(selector);
  }

  private constructor(private readonly json: LabelSelectorJson) {}

  public matches(labels: Readonly<Record<string, string>>): boolean {
    for (const [k, v] of Object.entries(this.json.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const e of this.json.matchExpressions ?? []) {
      const has = Object.prototype.hasOwnProperty.call(labels, e.key);
      const values = e.values ?? [];
      switch (e.operator) {
        case 'In':
          if (!has || !values.includes(labels[e.key])) return false;
          break;
        case 'NotIn':
          if (has && values.includes(labels[e.key])) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        default:
          if (has) return false;
      }
    }
    return true;
  }
}
