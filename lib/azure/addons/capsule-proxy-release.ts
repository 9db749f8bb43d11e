import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { describeValue, PlatformError } from '../../platform-file/errors';
import { isPrivateIpv4 } from '../../platform-file/formats';
import { assertDnsLabel, assertIntInRange, assertObjectId, assertUnique } from '../private/checks';
import { podDisruptionBudget, valuesYaml, zoneSpread } from '../private/helm-values';
import { terraformText } from '../private/terraform-text';
import type { CapsuleProxyCa } from './capsule-proxy-ca';
import type { CertManagerRelease } from './cert-manager-release';
import { CAPSULE_CHART_REPOSITORY, CAPSULE_CHART_VERSION, CapsuleRelease } from './capsule-release';
import { containerResources, releaseDefaults } from './release-defaults';

/** Properties of a {@link CapsuleProxyRelease}. */
export interface CapsuleProxyReleaseProps {
  /**
   * The cert-manager release that issues the proxy's serving certificate. Required so that
   * Terraform installs cert-manager first, wherever the releases are composed.
   */
  readonly certManager: CertManagerRelease;
  /**
   * The Capsule release whose Tenants and configuration the proxy reads: installed before the
   * proxy, removed after it.
   */
  readonly capsule: CapsuleRelease;
  /**
   * Azure DNS label of the proxy's public address: `<label>.<location>.cloudapp.azure.com`
   * (unique per region).
   */
  readonly dnsLabel: string;
  /** Azure region of the cluster (part of the FQDN). */
  readonly location: string;
  /** Object ids of the admin groups, whose requests the proxy passes through untouched. */
  readonly adminGroupObjectIds: string[];
  /**
   * Namespace of the release.
   * @default - the namespace of the Capsule release
   */
  readonly namespace?: string;
  /**
   * Replicas (leader election and a PodDisruptionBudget when more than one).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Client address ranges allowed to reach the proxy's public load balancer. The proxy forwards
   * to the API server, so it must not be more reachable than the API server itself: give it the
   * API server's authorized IP ranges.
   * @default - required unless `internal` is true
   */
  readonly allowedSourceRanges?: string[];
  /**
   * An internal load balancer (for a private cluster): reachable only from the virtual network,
   * with no public DNS label.
   * @default false
   */
  readonly internal?: boolean;
  /**
   * The fixed private address of the internal load balancer (with `internal`): an unused address
   * of the cluster's node subnet. It is in the certificate and is the address of the owners'
   * kubeconfigs; without it the address is whatever Azure assigns, unknown to the deploy.
   * @default - an address assigned by Azure
   */
  readonly internalIp?: string;
  /**
   * The CA that signs the proxy's serving certificate (cert-manager CA Issuer). Given, clients
   * can trust the proxy with a CA the deploy knows; otherwise the chart makes a self-signed CA
   * inside the cluster, which only an admin can read.
   * @default - a self-signed CA made by cert-manager in the cluster
   */
  readonly ca?: CapsuleProxyCa;
  /**
   * Chart version.
   * @default CAPSULE_CHART_VERSION
   */
  readonly version?: string;
}

/**
 * capsule-proxy behind an Azure LoadBalancer on 443 with a DNS label, serving a cert-manager
 * certificate for that FQDN (so clients verify it: no skipped TLS verification anywhere).
 */
export class CapsuleProxyRelease extends Construct {
  public static readonly RELEASE_NAME = 'capsule-proxy';
  public readonly release: Release;
  /** The proxy's public name, in its certificate (a public proxy only has one in Azure DNS). */
  public readonly fqdn: string;
  /**
   * The proxy's URL for clients: `https://<fqdn>`, or `https://<internalIp>` for an internal
   * proxy; undefined for an internal proxy whose address Azure assigns.
   */
  public readonly url?: string;
  /** The chart values, as given to Helm. */
  public readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: CapsuleProxyReleaseProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{1,61}[a-z0-9]$/.test(props.dnsLabel)) {
      throw new PlatformError(
        `CapsuleProxyRelease.dnsLabel must be 3 to 63 lowercase letters, digits and '-', starting with a letter, got ${describeValue(props.dnsLabel)}`,
      );
    }
    if (!/^[a-z][a-z0-9]+$/.test(props.location)) {
      throw new PlatformError(
        `CapsuleProxyRelease.location must be an Azure region name (e.g. francecentral), got ${describeValue(props.location)}`,
      );
    }
    const namespace = props.namespace ?? props.capsule.namespace;
    assertDnsLabel('CapsuleProxyRelease.namespace', namespace);
    props.adminGroupObjectIds.forEach((g, i) =>
      assertObjectId(`CapsuleProxyRelease.adminGroupObjectIds[${i}]`, g),
    );
    assertUnique('CapsuleProxyRelease.adminGroupObjectIds', props.adminGroupObjectIds);
    const replicas = props.replicas ?? 2;
    assertIntInRange('CapsuleProxyRelease.replicas', replicas, 1, 10);
    const internal = props.internal ?? false;
    const ranges = props.allowedSourceRanges ?? [];
    if (!internal && ranges.length === 0) {
      throw new PlatformError(
        'CapsuleProxyRelease.allowedSourceRanges must list at least one range for a public proxy (it forwards to the API server), or set internal: true',
      );
    }
    const internalIp = props.internalIp;
    if (internalIp !== undefined) {
      if (!internal) {
        throw new PlatformError(
          `CapsuleProxyRelease.internalIp is only for an internal proxy (internal: true), got ${describeValue(internalIp)}`,
        );
      }
      if (!isPrivateIpv4(internalIp)) {
        throw new PlatformError(
          `CapsuleProxyRelease.internalIp must be a private IPv4 address (10/8, 172.16/12, 192.168/16), got ${describeValue(internalIp)}`,
        );
      }
    }
    if (props.ca !== undefined && props.ca.namespace !== namespace) {
      throw new PlatformError(
        `CapsuleProxyRelease.ca: its Secret is in ${describeValue(props.ca.namespace)} and the release in ${describeValue(namespace)}; the issuer reads it from its own namespace`,
      );
    }
    this.fqdn = `${props.dnsLabel}.${props.location}.cloudapp.azure.com`;
    this.url = internal ? internalIp && `https://${internalIp}` : `https://${this.fqdn}`;
    const selector = {
      'app.kubernetes.io/name': 'capsule-proxy',
      'app.kubernetes.io/instance': CapsuleProxyRelease.RELEASE_NAME,
    };
    const replicated = replicas > 1;

    this.values = {
      replicaCount: replicas,
      service: {
        type: 'LoadBalancer',
        port: 443,
        annotations: internal
          ? {
              'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
              ...(internalIp ? { 'service.beta.kubernetes.io/azure-load-balancer-ipv4': internalIp } : {}),
            }
          : {
              'service.beta.kubernetes.io/azure-dns-label-name': props.dnsLabel,
              'service.beta.kubernetes.io/azure-allowed-ip-ranges': ranges.join(','),
            },
      },
      options: {
        leaderElection: replicated,
        ignoredUserGroups: [...props.adminGroupObjectIds],
        generateCertificates: false,
      },
      certManager: {
        generateCertificates: true,
        // With a CA of the deploy, the chart's Issuer signs with it instead of a CA of its own.
        ...(props.ca ? { externalCA: { enabled: true, secretName: props.ca.secretName } } : {}),
        certificate: {
          ...(internal ? {} : { dnsNames: [this.fqdn] }),
          ...(internalIp ? { ipAddresses: [internalIp] } : {}),
          includeInternalServiceNames: true,
        },
      },
      // The chart's 200m CPU limit throttles tenants' lists; values cannot remove a chart
      // default (null breaks the values schema), so it is raised instead.
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      // The CRD lifecycle and certificate hook jobs.
      global: {
        jobs: {
          kubectl: { resources: containerResources('10m', '64Mi', '128Mi') },
          certs: { resources: containerResources('10m', '64Mi', '128Mi') },
        },
      },
      ...(replicated
        ? {
            topologySpreadConstraints: zoneSpread(selector),
            extraManifests: [podDisruptionBudget('capsule-proxy', selector)],
          }
        : {}),
    };
    this.release = new Release(this, 'release', {
      ...releaseDefaults,
      name: CapsuleProxyRelease.RELEASE_NAME,
      repository: CAPSULE_CHART_REPOSITORY,
      chart: 'capsule-proxy',
      version: terraformText(props.version ?? CAPSULE_CHART_VERSION),
      namespace,
      createNamespace: true,
      values: [valuesYaml(this.values)],
      dependsOn: [props.certManager.release, props.capsule.release, ...(props.ca ? [props.ca.secret] : [])],
    });
  }
}
