import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { describeValue, PlatformError } from '../../platform-file/errors';
import {
  IMAGE_REGISTRIES_POLICY_NAME,
  podPoliciesFor,
  WORKLOAD_IDENTITY_POLICY_NAME,
  type WorkloadIdentityGrant,
  workloadIdentityPolicy,
} from './catalog';
import { isDnsLabel, isUuid } from '../../platform-file/formats';
import { DEFAULT_DENY_POLICY_NAME, DefaultDenyNetworkPolicy } from './default-deny-network-policy';
import { IMAGE_SIGNATURE_POLICY_NAME, ImageSignaturePolicy } from './image-signature-policy';
import { PodPolicy } from './pod-policy';
import { podSecurityLabels, PodSecurityLevel, PodSecurityVersion } from '../pod-security';
import { isRegistryPrefix } from '../../platform-file/schema/kyverno';
import { PolicyAction, PolicyApi } from './model';
import { PolicyException, PolicyRef } from './policy-exception';
import { checkDnsLabel } from './private/checks';
import { NAMESPACE_NAME_LABEL } from '../labels';

/** Namespaces of the cluster and its add-ons, never checked by default. */
export const DEFAULT_EXCLUDED_NAMESPACES = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'kyverno',
  'capsule-system',
  'cert-manager',
];

/** Every policy name an override or an exception may use. */
export function knownPolicyNames(): string[] {
  return [
    ...podPoliciesFor(PodSecurityLevel.RESTRICTED).map((d) => d.name),
    IMAGE_REGISTRIES_POLICY_NAME,
    WORKLOAD_IDENTITY_POLICY_NAME,
    DEFAULT_DENY_POLICY_NAME,
    IMAGE_SIGNATURE_POLICY_NAME,
  ];
}

/** A per-policy change to the catalog defaults. */
export interface PolicyOverride {
  /** Name of the policy (see the catalog). */
  readonly policyName: string;
  /**
   * Action of this policy.
   * @default - the policy's default, else the catalog-wide action
   */
  readonly action?: PolicyAction;
  /**
   * false leaves the policy out.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Sigstore cosign keyless verification of images. */
export interface ImageVerificationOptions {
  /** Image patterns to verify, e.g. `myregistry.azurecr.io/*`. */
  readonly images: string[];
  /** OIDC issuer of the signer. */
  readonly issuer: string;
  /** Certificate subject (identity) of the signer. */
  readonly subject: string;
  /**
   * Action on an unverified image.
   * @default - the catalog-wide action
   */
  readonly action?: PolicyAction;
}

/** An exception to controls of the catalog, by policy name. */
export interface CatalogExceptionOptions {
  /** Name of the PolicyException object. */
  readonly exceptionName: string;
  /** Names of the policies lifted; each must be emitted by this catalog. */
  readonly policies: string[];
  /** Namespace of the workloads freed. */
  readonly workloadNamespace: string;
  /** Names of the workloads freed (controller name and `app.kubernetes.io/name` of their pods). */
  readonly workloads: string[];
  /** Why the exception is needed. */
  readonly reason: string;
  /**
   * When the exception stops applying (RFC 3339).
   * @default - never expires
   */
  readonly expiresAt?: string;
}

export interface KyvernoPoliciesProps {
  /**
   * Pod Security Standards profile.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Kubernetes minor whose Pod Security Standards the controls follow: the cluster's minor.
   * @default PodSecurityVersion.LATEST (the newest minor of the catalog)
   */
  readonly podSecurityVersion?: PodSecurityVersion;
  /**
   * Registries every image must come from (`restrict-image-registries`): hosts such as
   * `myregistry.azurecr.io`, or a host and path such as `ghcr.io/contoso`. Docker Hub names
   * without a registry count as `docker.io/library/...` or `docker.io/<namespace>/...`.
   * @default - no registry restriction
   */
  readonly allowedRegistries?: string[];
  /**
   * The workload identities the platform issued, by namespace: with it, `restrict-workload-identity`
   * lets a ServiceAccount of a tenant namespace carry only those client ids (an empty list: none).
   * @default - workload identity client ids are not restricted
   */
  readonly workloadIdentities?: WorkloadIdentityGrant[];
  /**
   * Action of every policy that sets no other.
   * @default PolicyAction.ENFORCE
   */
  readonly action?: PolicyAction;
  /**
   * Per-policy actions and removals.
   * @default - none
   */
  readonly overrides?: PolicyOverride[];
  /**
   * Namespaces no policy applies to (never `default`).
   * @default DEFAULT_EXCLUDED_NAMESPACES
   */
  readonly excludedNamespaces?: string[];
  /**
   * The only namespace where Kyverno accepts PolicyExceptions; its Namespace object is emitted.
   * @default 'kyverno-exceptions'
   */
  readonly exceptionNamespace?: string;
  /**
   * Image signature verification.
   * @default - images are not verified
   */
  readonly imageVerification?: ImageVerificationOptions;
  /**
   * The policy API to emit.
   * @default PolicyApi.CEL
   */
  readonly api?: PolicyApi;
}

/**
 * The platform's Kyverno catalog: one policy per Pod Security control of the chosen profile and
 * Kubernetes version, the conventions and best practices, the Service externalIPs control, an
 * optional registry restriction, a default-deny NetworkPolicy generator for every namespace,
 * optional image signature verification, and the namespace that holds exceptions.
 */
export class KyvernoPolicies extends Construct {
  public readonly podSecurity: PodSecurityLevel;
  public readonly podSecurityVersion: PodSecurityVersion;
  public readonly allowedRegistries: string[];
  /** The workload identities issued by namespace, when they are restricted. */
  public readonly workloadIdentities?: WorkloadIdentityGrant[];
  public readonly action: PolicyAction;
  public readonly api: PolicyApi;
  public readonly excludedNamespaces: string[];
  public readonly exceptionNamespace: string;
  /** The pod controls emitted, in catalog order. */
  public readonly podPolicies: PodPolicy[] = [];
  /** The NetworkPolicy generator, unless disabled. */
  public readonly defaultDenyNetworkPolicy?: DefaultDenyNetworkPolicy;
  /** The image verification policy, when configured and enabled. */
  public readonly imageSignaturePolicy?: ImageSignaturePolicy;

  constructor(scope: Construct, id: string, props: KyvernoPoliciesProps = {}) {
    super(scope, id);
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    this.podSecurityVersion = props.podSecurityVersion ?? PodSecurityVersion.LATEST;
    this.allowedRegistries = checkRegistries(props.allowedRegistries ?? []);
    this.workloadIdentities = props.workloadIdentities && checkGrants(props.workloadIdentities);
    this.action = props.action ?? PolicyAction.ENFORCE;
    this.api = props.api ?? PolicyApi.CEL;
    this.excludedNamespaces = [...(props.excludedNamespaces ?? DEFAULT_EXCLUDED_NAMESPACES)];
    this.excludedNamespaces.forEach((ns, i) => checkDnsLabel(ns, `excludedNamespaces[${i}]`));
    if (this.excludedNamespaces.includes('default')) {
      throw new PlatformError(
        'excludedNamespaces: must not contain "default": pods there would escape Pod Security (disallow-default-namespace keeps workloads out of it instead)',
      );
    }
    this.exceptionNamespace = props.exceptionNamespace ?? 'kyverno-exceptions';
    checkDnsLabel(this.exceptionNamespace, 'exceptionNamespace');
    const overrides = indexOverrides(props.overrides ?? []);
    const enabled = (name: string) => overrides.get(name)?.enabled ?? true;

    for (const def of podPoliciesFor(this.podSecurity, this.podSecurityVersion, this.allowedRegistries)) {
      if (!enabled(def.name)) continue;
      this.podPolicies.push(
        new PodPolicy(this, def.name, {
          definition: def,
          action: overrides.get(def.name)?.action ?? def.defaultAction ?? this.action,
          excludedNamespaces: this.excludedNamespaces,
          api: this.api,
        }),
      );
    }
    if (this.workloadIdentities && enabled(WORKLOAD_IDENTITY_POLICY_NAME)) {
      const def = workloadIdentityPolicy(this.workloadIdentities);
      this.podPolicies.push(
        new PodPolicy(this, def.name, {
          definition: def,
          action: overrides.get(def.name)?.action ?? this.action,
          excludedNamespaces: this.excludedNamespaces,
          api: this.api,
        }),
      );
    }
    if (enabled(DEFAULT_DENY_POLICY_NAME)) {
      this.defaultDenyNetworkPolicy = new DefaultDenyNetworkPolicy(this, DEFAULT_DENY_POLICY_NAME, {
        excludedNamespaces: this.excludedNamespaces,
        api: this.api,
      });
    }
    const iv = props.imageVerification;
    if (iv && enabled(IMAGE_SIGNATURE_POLICY_NAME)) {
      this.imageSignaturePolicy = new ImageSignaturePolicy(this, IMAGE_SIGNATURE_POLICY_NAME, {
        images: iv.images,
        issuer: iv.issuer,
        subject: iv.subject,
        action: overrides.get(IMAGE_SIGNATURE_POLICY_NAME)?.action ?? iv.action ?? this.action,
        excludedNamespaces: this.excludedNamespaces,
        api: this.api,
      });
    }

    new kplus.k8s.KubeNamespace(this, 'exception-namespace', {
      metadata: {
        name: this.exceptionNamespace,
        labels: {
          [NAMESPACE_NAME_LABEL]: this.exceptionNamespace,
          // It holds PolicyExceptions only: no pod has a reason to run there.
          ...podSecurityLabels(PodSecurityLevel.RESTRICTED, this.podSecurityVersion),
          'app.kubernetes.io/part-of': 'kyverno',
        },
      },
    });
  }

  /** The emitted pod control named `name`, if any. */
  public podPolicy(name: string): PodPolicy | undefined {
    return this.podPolicies.find((p) => p.policyName === name);
  }

  /** Adds a PolicyException, in the exception namespace, for controls this catalog emits. */
  public addException(id: string, options: CatalogExceptionOptions): PolicyException {
    const refs = options.policies.map((name, i) => {
      const pod = this.podPolicy(name);
      if (pod) return PolicyRef.fromPodPolicy(pod);
      if (name === IMAGE_SIGNATURE_POLICY_NAME && this.imageSignaturePolicy) {
        return PolicyRef.fromImageSignaturePolicy(this.imageSignaturePolicy);
      }
      const emitted = [
        ...this.podPolicies.map((p) => p.policyName),
        ...(this.imageSignaturePolicy ? [IMAGE_SIGNATURE_POLICY_NAME] : []),
      ];
      throw new PlatformError(
        `exception ${options.exceptionName}: policies[${i}]: ${describeValue(name)} is not a validation policy emitted by this catalog (emitted: ${emitted.join(', ')})`,
      );
    });
    return new PolicyException(this, id, {
      ...options,
      policies: refs,
      namespace: this.exceptionNamespace,
      api: this.api,
    });
  }
}

function checkRegistries(registries: readonly string[]): string[] {
  registries.forEach((r, i) => {
    if (!isRegistryPrefix(r)) {
      throw new PlatformError(
        `allowedRegistries[${i}]: ${describeValue(r)} must be a registry host with an optional path, such as myregistry.azurecr.io or ghcr.io/contoso (lowercase, no scheme, no wildcard, no trailing /)`,
      );
    }
    if (registries.indexOf(r) !== i)
      throw new PlatformError(`allowedRegistries[${i}]: ${describeValue(r)} is listed twice`);
  });
  return [...registries];
}

function checkGrants(grants: readonly WorkloadIdentityGrant[]): WorkloadIdentityGrant[] {
  grants.forEach((g, i) => {
    if (!isDnsLabel(g.namespace))
      throw new PlatformError(
        `workloadIdentities[${i}].namespace: ${describeValue(g.namespace)} is not a namespace name`,
      );
    g.clientIds.forEach((id, j) => {
      if (!isUuid(id))
        throw new PlatformError(
          `workloadIdentities[${i}].clientIds[${j}]: ${describeValue(id)} is not a client id (a UUID)`,
        );
    });
  });
  return grants.map((g) => ({
    namespace: g.namespace,
    clientIds: g.clientIds.map((id) => id.toLowerCase()),
  }));
}

function indexOverrides(overrides: readonly PolicyOverride[]): Map<string, PolicyOverride> {
  const known = knownPolicyNames();
  const byName = new Map<string, PolicyOverride>();
  overrides.forEach((o, i) => {
    if (!known.includes(o.policyName)) {
      throw new PlatformError(
        `overrides[${i}].policyName: ${describeValue(o.policyName)} is not a policy of the catalog (known: ${known.join(', ')})`,
      );
    }
    if (byName.has(o.policyName)) {
      throw new PlatformError(
        `overrides[${i}].policyName: ${describeValue(o.policyName)} is overridden twice`,
      );
    }
    if (o.policyName === DEFAULT_DENY_POLICY_NAME && o.action !== undefined) {
      throw new PlatformError(
        `overrides[${i}].action: ${describeValue(o.action)} cannot apply to ${DEFAULT_DENY_POLICY_NAME}: it generates NetworkPolicies and rejects nothing`,
      );
    }
    byName.set(o.policyName, o);
  });
  return byName;
}
