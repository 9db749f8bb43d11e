import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { describeValue, PlatformError } from '../../platform-file/errors';
import { MAX_EXCEPTION_REASON_BYTES } from '../../platform-file/schema/kyverno';
import { PolicyApi } from './model';
import type { ImageSignaturePolicy } from './image-signature-policy';
import type { PodPolicy } from './pod-policy';
import { checkDnsLabel, checkDnsSubdomain, checkNotEmpty, checkText } from './private/checks';
import { str } from './private/cel';

/** The label that names a workload on its pods. */
export const APP_NAME_LABEL = 'app.kubernetes.io/name';

/** Kinds a workload may be admitted as: its pods, their controllers, and its Services. */
const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Service',
];

/** A policy an exception lifts. */
export class PolicyRef {
  /** A pod control of the catalog (ValidatingPolicy, or its legacy ClusterPolicy). */
  public static validating(name: string): PolicyRef {
    return new PolicyRef(name, 'ValidatingPolicy');
  }

  /** An image verification policy (ImageValidatingPolicy, or its legacy ClusterPolicy). */
  public static imageValidating(name: string): PolicyRef {
    return new PolicyRef(name, 'ImageValidatingPolicy');
  }

  public static fromPodPolicy(policy: PodPolicy): PolicyRef {
    return PolicyRef.validating(policy.policyName);
  }

  public static fromImageSignaturePolicy(policy: ImageSignaturePolicy): PolicyRef {
    return PolicyRef.imageValidating(policy.policyName);
  }

  private constructor(
    /** Name of the policy. */
    public readonly name: string,
    /** Its kind in the `policies.kyverno.io` API. */
    public readonly kind: string,
  ) {
    checkDnsLabel(name, 'policy name');
  }
}

export interface PolicyExceptionProps {
  /** Name of the PolicyException object. */
  readonly exceptionName: string;
  /** The controls lifted. */
  readonly policies: PolicyRef[];
  /** Namespace of the workloads freed. */
  readonly workloadNamespace: string;
  /**
   * Names of the workloads freed: the controller (Deployment, StatefulSet...) of that name, and
   * the pods labelled `app.kubernetes.io/name` with it.
   */
  readonly workloads: string[];
  /** Why the exception is needed; written on the object for reviewers and reports. */
  readonly reason: string;
  /**
   * Namespace of the PolicyException: the one namespace where Kyverno accepts exceptions.
   * @default 'kyverno-exceptions'
   */
  readonly namespace?: string;
  /**
   * When the exception stops applying (RFC 3339, e.g. `2026-12-31T00:00:00Z`). Only the
   * `policies.kyverno.io` API supports it.
   * @default - never expires
   */
  readonly expiresAt?: string;
  /**
   * The policy API to emit; the same as the policies it lifts.
   * @default PolicyApi.CEL
   */
  readonly api?: PolicyApi;
}

/**
 * Frees named workloads of one namespace from named controls. Kyverno only honours exceptions in
 * the namespace set in its `features.policyExceptions.namespace`, writable by platform admins
 * only, so every exception is a reviewed change.
 */
export class PolicyException extends Construct {
  public readonly exceptionName: string;
  public readonly namespace: string;
  public readonly api: PolicyApi;
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PolicyExceptionProps) {
    super(scope, id);
    checkDnsSubdomain(props.exceptionName, 'exceptionName');
    checkNotEmpty(props.policies, `exception ${props.exceptionName}: policies`);
    checkDnsLabel(props.workloadNamespace, `exception ${props.exceptionName}: workloadNamespace`);
    checkNotEmpty(props.workloads, `exception ${props.exceptionName}: workloads`);
    props.workloads.forEach((w, i) =>
      checkDnsSubdomain(w, `exception ${props.exceptionName}: workloads[${i}]`),
    );
    checkText(props.reason, `exception ${props.exceptionName}: reason`);
    if (Buffer.byteLength(props.reason) > MAX_EXCEPTION_REASON_BYTES)
      throw new PlatformError(
        `exception ${props.exceptionName}: reason: is ${Buffer.byteLength(props.reason)} bytes, more than 4 KiB: it is written as an annotation, and Kubernetes limits the annotations of an object to 256 KiB`,
      );
    this.exceptionName = props.exceptionName;
    this.namespace = props.namespace ?? 'kyverno-exceptions';
    checkDnsLabel(this.namespace, `exception ${props.exceptionName}: namespace`);
    this.api = props.api ?? PolicyApi.CEL;
    if (props.expiresAt !== undefined) {
      if (!isRfc3339(props.expiresAt)) {
        throw new PlatformError(
          `exception ${props.exceptionName}: expiresAt: ${describeValue(props.expiresAt)} must be an RFC 3339 time such as 2026-12-31T00:00:00Z`,
        );
      }
      if (this.api === PolicyApi.LEGACY) {
        throw new PlatformError(
          `exception ${props.exceptionName}: expiresAt: the kyverno.io/v2 PolicyException has no expiry; use the policies.kyverno.io API or remove the exception by hand`,
        );
      }
    }

    const metadata = {
      name: this.exceptionName,
      namespace: this.namespace,
      annotations: { 'policies.kyverno.io/reason': props.reason },
    };
    const names = props.workloads;
    const manifest =
      this.api === PolicyApi.CEL
        ? {
            apiVersion: 'policies.kyverno.io/v1',
            kind: 'PolicyException',
            metadata,
            spec: {
              policyRefs: props.policies.map((p) => ({ kind: p.kind, name: p.name })),
              matchConditions: [
                { name: 'freed-workloads', expression: workloadCondition(props.workloadNamespace, names) },
              ],
              expiresAt: props.expiresAt,
              properties: { reason: props.reason },
            },
          }
        : {
            apiVersion: 'kyverno.io/v2',
            kind: 'PolicyException',
            metadata,
            spec: {
              exceptions: props.policies.map((p) => ({
                policyName: p.name,
                // Kyverno names the rules it generates for pod controllers after the pod rule.
                ruleNames: [p.name, `autogen-${p.name}`, `autogen-cronjob-${p.name}`],
              })),
              match: {
                any: [
                  {
                    resources: {
                      kinds: WORKLOAD_KINDS,
                      namespaces: [props.workloadNamespace],
                      names: [...names],
                    },
                  },
                  {
                    resources: {
                      kinds: ['Pod'],
                      namespaces: [props.workloadNamespace],
                      selector: {
                        matchExpressions: [{ key: APP_NAME_LABEL, operator: 'In', values: [...names] }],
                      },
                    },
                  },
                ],
              },
            },
          };
    this.apiObject = new ApiObject(this, 'Resource', manifest);
  }
}

/** CEL: the object is one of the workloads (by name) or one of their pods (by name label). */
export function workloadCondition(namespace: string, workloads: readonly string[]): string {
  const list = `[${workloads.map(str).join(', ')}]`;
  const labels = 'object.metadata.labels';
  return (
    `has(object.metadata.namespace) && object.metadata.namespace == ${str(namespace)} && (object.metadata.name in ${list} || ` +
    `(has(${labels}) && '${APP_NAME_LABEL}' in ${labels} && ${labels}['${APP_NAME_LABEL}'] in ${list}))`
  );
}

function isRfc3339(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}
