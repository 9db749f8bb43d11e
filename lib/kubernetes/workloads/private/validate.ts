import { PlatformError } from '../../../spec/errors';
import {
  imageNotPinnedReason,
  isDns1035Label,
  isDnsLabel,
  isLabelKey,
  isLabelValue,
  parseQuantity,
} from '../../../spec/formats';
import { WORKLOAD_INGRESS_LABEL } from '../../capsule/tenant-options';
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

/** Throws PlatformError naming the construct: `HardenedDeployment dev-demo/demo-api: <message>`. */
export class PropChecker {
  constructor(private readonly where: string) {}

  public fail(message: string): never {
    throw new PlatformError(`${this.where}: ${message}`);
  }

  public namespace(value: string): void {
    if (!isDnsLabel(value)) this.fail(`namespace "${value}" is not a DNS label`);
    if (FORBIDDEN_NAMESPACES.includes(value)) {
      this.fail(
        `namespace "${value}" is reserved to the cluster: tenant workloads run in their tenant's namespaces`,
      );
    }
  }

  public name(value: string): void {
    if (!isDns1035Label(value, 50)) {
      this.fail(`name "${value}" must be a DNS label starting with a letter, at most 50 characters`);
    }
  }

  public image(prop: string, value: string): void {
    const reason = imageNotPinnedReason(value);
    if (reason) this.fail(`${prop} "${value}" ${reason}`);
  }

  public id(prop: string, value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > 2147483647) {
      this.fail(`${prop} must be a non-root numeric id (1 to 2147483647), got ${value}`);
    }
  }

  public port(prop: string, value: number): void {
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      this.fail(`${prop} must be a port number (1 to 65535), got ${value}`);
    }
  }

  public count(prop: string, value: number, min: number, max: number): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(`${prop} must be a whole number from ${min} to ${max}, got ${value}`);
    }
  }

  public absolutePath(prop: string, value: string): void {
    if (!/^\/[^\s:]*$/.test(value) || value === '/' || value.split('/').includes('..')) {
      this.fail(`${prop} "${value}" is not an absolute directory path`);
    }
  }

  public labels(prop: string, labels: WorkloadLabel[]): void {
    const seen = new Set<string>();
    for (const l of labels) {
      if (!isLabelKey(l.key)) this.fail(`${prop}: "${l.key}" is not a label key`);
      if (!isLabelValue(l.value)) this.fail(`${prop}: "${l.value}" (key ${l.key}) is not a label value`);
      if (RESERVED_LABEL_KEYS.includes(l.key)) {
        this.fail(
          `${prop}: "${l.key}" is set by the construct${l.key.endsWith('/tier') ? ' (use the tier prop)' : ''}`,
        );
      }
      if (seen.has(l.key)) this.fail(`${prop}: "${l.key}" is given twice`);
      seen.add(l.key);
    }
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
        this.fail(`${prop}.${key} "${v}" is not a Kubernetes quantity (e.g. "250m", "512Mi")`);
      return parsed;
    };
    const pairs: Array<[keyof WorkloadResources, keyof WorkloadResources]> = [
      ['cpuRequest', 'cpuLimit'],
      ['memoryRequest', 'memoryLimit'],
      ['ephemeralStorageRequest', 'ephemeralStorageLimit'],
    ];
    for (const [req, lim] of pairs) {
      const a = q(req);
      const b = q(lim);
      if (a !== undefined && b !== undefined && a > b) {
        this.fail(`${prop}.${req} "${r[req]}" is more than ${prop}.${lim} "${r[lim]}"`);
      }
    }
    if ((q('memoryLimit') ?? 0) <= 0) this.fail(`${prop}.memoryLimit must be more than 0`);
  }
}
