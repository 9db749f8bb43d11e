import { PropProblems } from '../../../platform-file/prop-problems';
import { isSystemPath, MAX_CONFIG_BYTES, SYSTEM_PATHS } from '../../../platform-file/schema/workloads';
import {
  imageNotPinnedReason,
  isDns1035Label,
  isDnsLabel,
  isLabelKey,
  isLabelValue,
  parseQuantity,
} from '../../../platform-file/formats';
import { WORKLOAD_INGRESS_LABEL } from '../../labels';
import type { WorkloadLabel, WorkloadResources } from '../workload-options';

/** Namespaces no tenant workload may use. */
const FORBIDDEN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Label keys the constructs own: a user value would break selectors or mislead policies. */
export const RESERVED_LABEL_KEYS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/tier',
  'azure.workload.identity/use',
  WORKLOAD_INGRESS_LABEL,
];

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names every plain JavaScript object already has: cdk8s keeps labels and ConfigMap data in such objects. */
const OBJECT_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Checks the props of a hardened workload, recording every problem (`fail`), then reporting all
 * of them as one ConstructError naming the construct and its path (`done`).
 */
export class PropChecker extends PropProblems {
  /** @param constructPath node path of the construct, e.g. `workloads/dev-demo-demo-api` */
  constructor(kind: string, constructPath: string) {
    super(kind, constructPath);
  }

  public fail(prop: string, reason: string): void {
    this.add(prop, reason);
  }

  /** @throws ConstructError with every problem recorded */
  public done(): void {
    this.throwIfAny();
  }

  public namespace(value: string, prop = 'namespace'): void {
    if (!isDnsLabel(value)) this.fail(prop, `"${value}" is not a DNS label`);
    else if (FORBIDDEN_NAMESPACES.includes(value)) {
      this.fail(
        prop,
        `"${value}" is reserved to the cluster: tenant workloads run in their tenant's namespaces`,
      );
    }
  }

  public name(value: string): void {
    if (!isDns1035Label(value, 50)) {
      this.fail('name', `"${value}" must be a DNS label starting with a letter, at most 50 characters`);
    }
  }

  public image(prop: string, value: string): void {
    const reason = imageNotPinnedReason(value);
    if (reason) this.fail(prop, `"${value}" ${reason}`);
  }

  public id(prop: string, value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > 2147483647) {
      this.fail(prop, `must be a non-root numeric id (1 to 2147483647), got ${value}`);
    }
  }

  public port(prop: string, value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      this.fail(prop, `must be a port number (1 to 65535), got ${value}`);
    }
  }

  public count(prop: string, value: number, min: number, max: number): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(prop, `must be a whole number from ${min} to ${max}, got ${value}`);
    }
  }

  public absolutePath(prop: string, value: string): void {
    if (!/^\/[^\s:]*$/.test(value) || value === '/' || value.split('/').includes('..')) {
      this.fail(prop, `"${value}" is not an absolute directory path`);
    } else if (isSystemPath(value)) {
      this.fail(
        prop,
        `"${value}" is in ${SYSTEM_PATHS.join(', ')}: a volume there hides what the kernel and the container runtime provide`,
      );
    }
  }

  /** The ConfigMap of the config entries must fit Kubernetes' limit. */
  public configSize(prop: string, entries: ReadonlyArray<{ name: string; value: string }>): void {
    const bytes = entries.reduce((n, c) => n + Buffer.byteLength(c.name) + Buffer.byteLength(c.value), 0);
    if (bytes > MAX_CONFIG_BYTES)
      this.fail(
        prop,
        `adds up to ${bytes} bytes of keys and values, more than the 1 MiB of a Kubernetes ConfigMap`,
      );
  }

  /** A key cdk8s stores in a plain object (a label, a ConfigMap entry). */
  public objectKey(prop: string, key: string): void {
    if (OBJECT_KEYS.has(key))
      this.fail(
        prop,
        `"${key}" is the name of a built-in property of JavaScript objects, which cdk8s cannot write`,
      );
  }

  public labels(prop: string, labels: WorkloadLabel[]): void {
    const seen = new Set<string>();
    labels.forEach((l, i) => {
      const at = `${prop}[${i}]`;
      if (!isLabelKey(l.key)) this.fail(at, `"${l.key}" is not a label key`);
      if (!isLabelValue(l.value)) this.fail(at, `"${l.value}" (key ${l.key}) is not a label value`);
      this.objectKey(at, l.key);
      if (RESERVED_LABEL_KEYS.includes(l.key)) {
        this.fail(
          at,
          `"${l.key}" is set by the construct${l.key.endsWith('/tier') ? ' (use the tier prop)' : ''}`,
        );
      }
      if (seen.has(l.key)) this.fail(at, `"${l.key}" is given twice`);
      seen.add(l.key);
    });
  }

  /** Checks every quantity and that no request exceeds its limit. */
  public resources(
    prop: string,
    r: Required<Pick<WorkloadResources, 'cpuRequest' | 'memoryRequest' | 'memoryLimit'>> & WorkloadResources,
  ): void {
    const q = (key: keyof WorkloadResources) => {
      const v = r[key];
      if (v === undefined) return undefined;
      const parsed = parseQuantity(v);
      if (parsed === undefined)
        this.fail(`${prop}.${key}`, `"${v}" is not a Kubernetes quantity (e.g. "250m", "512Mi")`);
      return parsed;
    };
    const values = new Map((Object.keys(r) as Array<keyof WorkloadResources>).map((k) => [k, q(k)]));
    const pairs: Array<[keyof WorkloadResources, keyof WorkloadResources]> = [
      ['cpuRequest', 'cpuLimit'],
      ['memoryRequest', 'memoryLimit'],
      ['ephemeralStorageRequest', 'ephemeralStorageLimit'],
    ];
    for (const [req, lim] of pairs) {
      const a = values.get(req);
      const b = values.get(lim);
      if (a !== undefined && b !== undefined && a > b) {
        this.fail(`${prop}.${req}`, `"${r[req]}" is more than ${prop}.${lim} "${r[lim]}"`);
      }
    }
    if (values.get('memoryLimit') !== undefined && values.get('memoryLimit')! <= 0)
      this.fail(`${prop}.memoryLimit`, 'must be more than 0');
  }
}
