import * as fs from 'node:fs';
import * as path from 'node:path';
import { tenantKubeconfigOutputName } from '../azure/addons/tenant-kubeconfig';
import { ADDONS_STACK_NAME } from '../azure/synth';
import { formatSummary } from '../cli';
import { containerDefaultsFromSpec, quotaFromSpec } from '../kubernetes/capsule/from-spec';
import { DEFAULT_CONTAINER_DEFAULTS, QuotaEntry } from '../kubernetes/capsule/tenant-options';
import { QuotaOrigin } from '../kubernetes/capsule/tenant-quota';
import {
  loadPlatformFile,
  PlatformError,
  readOutputsFile,
  resolveGroupObjectIds,
  stackOutput,
  EXAMPLE_OUTPUTS_FILE,
  type PlatformInputs,
  type PlatformSpec,
} from '../platform-file';

/** An owner group of a tenant. */
export interface TenantOwner {
  /** Key of the group in the platform file. */
  readonly key: string;
  /** Its display name, when the platform creates it. @default - a referenced group */
  readonly displayName?: string;
  /** Its object id, when known (referenced, or in the outputs file). @default - unknown */
  readonly objectId?: string;
}

/** What a tenant is, and how its owners log in, in the terms its owners use. */
export interface TenantSummary {
  readonly name: string;
  readonly owners: TenantOwner[];
  /** Most namespaces the tenant may have. */
  readonly namespaceQuota: number;
  /** Namespaces the platform creates for it (those of its workloads). */
  readonly platformNamespaces: string[];
  /** Whether its namespaces must be named `<tenant>-<name>`. */
  readonly prefixed: boolean;
  /** The budget's hard limits (empty when it has none). */
  readonly budget: QuotaEntry[];
  readonly budgetOrigin: QuotaOrigin;
  /** Service types it may create (ClusterIP always). */
  readonly serviceTypes: string[];
  readonly ingressClasses: string[];
  readonly storageClasses: string[];
  /** Where its pods may connect to. */
  readonly egress: string;
  /** Name of the kubeconfig output of the addons stack; undefined when the deploy makes none. @default - none */
  readonly kubeconfigOutput?: string;
  /** File name suggested for the kubeconfig: `<platform>-<tenant>.kubeconfig`. */
  readonly kubeconfigFile: string;
  /** The kubeconfig, when the outputs file has it. @default - not in the outputs */
  readonly kubeconfig?: string;
}

/** The tenants of a platform, with what the outputs file knows (group ids, kubeconfigs). */
export function summarizeTenants(
  spec: PlatformSpec,
  outputs?: unknown,
  outputsSource?: string,
): TenantSummary[] {
  const hasKubeconfigs =
    spec.cluster.apiServer.private !== true || spec.capsule.proxy.internalIp !== undefined;
  return spec.tenants.map((t) => {
    const owners = t.owners.map((key) => ({
      key,
      displayName: spec.groups[key]?.displayName,
      objectId: knownObjectId(spec, key, outputs, outputsSource),
    }));
    const defaults = containerDefaultsFromSpec(t) ?? DEFAULT_CONTAINER_DEFAULTS;
    const quota = quotaFromSpec(t.quota);
    const outputName = hasKubeconfigs ? tenantKubeconfigOutputName(t.name) : undefined;
    const kubeconfig = outputName ? stackOutput(outputs, ADDONS_STACK_NAME, outputName) : undefined;
    const egress = [
      "DNS (CoreDNS), the tenant's own namespaces",
      ...(t.internetEgress ? ['the internet (no private or Azure platform address)'] : []),
    ].join(', ');
    return {
      name: t.name,
      owners,
      namespaceQuota: t.namespaceQuota,
      platformNamespaces: [
        ...new Set(spec.workloads.filter((w) => w.tenant === t.name).map((w) => w.namespace)),
      ],
      prefixed: spec.capsule.forceTenantPrefix,
      budget: quota.resolve(t.namespaceQuota, defaults),
      budgetOrigin: quota.origin,
      serviceTypes: [
        'ClusterIP',
        ...(t.serviceTypes.loadBalancer ? ['LoadBalancer'] : []),
        ...(t.serviceTypes.nodePort ? ['NodePort'] : []),
        ...(t.serviceTypes.externalName ? ['ExternalName'] : []),
      ],
      ingressClasses: t.ingressClasses,
      storageClasses: t.storageClasses.length > 0 ? t.storageClasses : ['default'],
      egress,
      kubeconfigOutput: outputName,
      kubeconfigFile: `${spec.name}-${t.name}.kubeconfig`,
      kubeconfig: typeof kubeconfig === 'string' ? kubeconfig : undefined,
    };
  });
}

/** The object id of a group when it is known here; never an error (the summary says it is unknown). */
function knownObjectId(
  spec: PlatformSpec,
  key: string,
  outputs: unknown,
  source?: string,
): string | undefined {
  try {
    return resolveGroupObjectIds(spec, [key], outputs, source).get(key);
  } catch (e) {
    if (e instanceof PlatformError) return undefined;
    throw e;
  }
}

const BUDGET_ORIGIN: Record<QuotaOrigin, string> = {
  [QuotaOrigin.EXPLICIT]: 'from the platform file',
  [QuotaOrigin.DEFAULT]: 'the default budget: no quota in the platform file',
  [QuotaOrigin.NONE]: "none (quota: none): the tenant's namespaces can take the whole cluster",
};

/** The summary as people read it: one block per tenant. */
export function formatTenantSummaries(
  summaries: readonly TenantSummary[],
  options: { readonly outputsFile?: string; readonly proxy?: string } = {},
): string {
  const blocks = summaries.map((s) => {
    const owners = s.owners.map(
      (o) =>
        `${o.displayName ?? 'referenced group'} (${o.key}) ${o.objectId ?? 'object id unknown until `cdktf deploy infra` (PLATFORM_OUTPUTS)'}`,
    );
    const namespaces = [
      `at most ${s.namespaceQuota}${s.prefixed ? `, named ${s.name}-<name>` : ''}`,
      ...(s.platformNamespaces.length > 0
        ? [`created by the platform: ${s.platformNamespaces.join(', ')}`]
        : []),
    ].join('; ');
    const budget =
      s.budget.length === 0
        ? BUDGET_ORIGIN[s.budgetOrigin]
        : `${s.budget.map((q) => `${q.resource} ${q.hard}`).join(', ')} (${BUDGET_ORIGIN[s.budgetOrigin]})`;
    const kubeconfig =
      s.kubeconfigOutput === undefined
        ? 'none: a private cluster needs capsule.proxy.internalIp'
        : `output ${s.kubeconfigOutput} of the ${ADDONS_STACK_NAME} stack${
            s.kubeconfig !== undefined
              ? ''
              : options.outputsFile
                ? ` (not in ${options.outputsFile}: \`cdktf deploy infra addons --outputs-file outputs.json\`)`
                : ' (`cdktf deploy infra addons --outputs-file outputs.json`, then PLATFORM_OUTPUTS=outputs.json)'
          }`;
    const rows: [string, string][] = [
      ['owners', owners.join('\n')],
      ['namespaces', namespaces],
      ['budget', budget],
      ['service types', s.serviceTypes.join(', ')],
      ['ingress classes', s.ingressClasses.join(', ') || 'none'],
      ['storage classes', s.storageClasses.join(', ')],
      ['egress', s.egress],
      ['kubeconfig', kubeconfig],
      [
        'login',
        s.kubeconfigOutput === undefined
          ? 'through capsule-proxy once it has a fixed address'
          : `kubectl --kubeconfig ${s.kubeconfigFile} get namespaces   (signed in with az login)`,
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    const lines = rows.flatMap(([k, v]) =>
      v.split('\n').map((line, i) => `  ${(i === 0 ? k : '').padEnd(width)}  ${line}`),
    );
    return [`tenant ${s.name}`, ...lines].join('\n');
  });
  const head = options.proxy ? [`capsule-proxy: ${options.proxy}`, ''] : [];
  return [...head, blocks.join('\n\n')].join('\n') + '\n';
}

/** What `npm run tenants` does, given its inputs and an optional folder for the kubeconfigs. */
export interface TenantsCommandResult {
  readonly text: string;
  /** Kubeconfig files written. */
  readonly written: string[];
}

/**
 * The tenants command: the summary of every tenant, and with `kubeconfigDir` the kubeconfig of
 * each one written there from the outputs file (they hold no secret: hand them to the owners).
 * @throws PlatformError when a kubeconfig is asked for and the outputs file lacks it
 */
export function tenantsCommand(inputs: PlatformInputs, kubeconfigDir?: string): TenantsCommandResult {
  const spec = loadPlatformFile(inputs.configFile);
  const outputs = inputs.outputsFile ? readOutputsFile(inputs.outputsFile) : undefined;
  const summaries = summarizeTenants(spec, outputs, inputs.outputsFile);
  const written: string[] = [];
  if (kubeconfigDir !== undefined) {
    const missing = summaries.filter((s) => s.kubeconfig === undefined);
    if (missing.length > 0) {
      throw new PlatformError(
        `no kubeconfig for tenant ${missing.map((s) => s.name).join(', ')} in ${inputs.outputsFile ?? 'the outputs (PLATFORM_OUTPUTS is not set)'}: run \`cdktf deploy infra addons --outputs-file outputs.json\` and set PLATFORM_OUTPUTS=outputs.json`,
      );
    }
    fs.mkdirSync(kubeconfigDir, { recursive: true });
    for (const s of summaries) {
      const file = path.join(kubeconfigDir, s.kubeconfigFile);
      fs.writeFileSync(file, s.kubeconfig!);
      written.push(file);
    }
  }
  const proxy = spec.cluster.apiServer.private
    ? spec.capsule.proxy.internalIp && `https://${spec.capsule.proxy.internalIp}`
    : `https://${spec.capsule.proxy.dnsLabel}.${spec.azure.location}.cloudapp.azure.com`;
  const outputsLine = !inputs.outputsFile
    ? 'none (PLATFORM_OUTPUTS is not set)'
    : inputs.referenceDefault && inputs.outputsFile === EXAMPLE_OUTPUTS_FILE
      ? `${inputs.outputsFile} (the example outputs of the reference platform)`
      : inputs.outputsFile;
  const head = formatSummary(
    'tenants',
    inputs,
    [
      { what: 'outputs file', detail: outputsLine },
      ...written.map((file) => ({ what: `wrote ${file}`, detail: 'kubeconfig (no secret in it)' })),
    ],
    [],
  );
  const text = `${head}
${formatTenantSummaries(summaries, { outputsFile: inputs.outputsFile, proxy })}`;
  return { text, written };
}
