import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { documentToYaml } from '../../output/manifest-yaml';
import { describeValue, PlatformError } from '../../platform-file/errors';
import { kubeloginExec } from '../private/kubelogin';
import { assertDnsLabel } from '../private/checks';
import { terraformText } from '../private/terraform-text';

/** Properties of a {@link TenantKubeconfig}. */
export interface TenantKubeconfigProps {
  /** The tenant (its name is in the context name and the output name). */
  readonly tenant: string;
  /** Name of the platform, in the cluster, user and context names (`<platform>-<tenant>`). */
  readonly platform: string;
  /** capsule-proxy's URL (`https://<fqdn>` or `https://<internal address>`). */
  readonly server: string;
  /** PEM of the CA that signs capsule-proxy's certificate (public; a Terraform reference is fine). */
  readonly caCertificatePem: string;
  /**
   * kubelogin login mode of the owners: `azurecli` reuses their `az login`.
   * @default 'azurecli'
   */
  readonly loginMode?: string;
}

/** Text in the YAML where the base64 CA goes once the YAML is written. */
const CA_SLOT = 'CA-DATA-SLOT';

/**
 * The kubeconfig of a tenant's owners as a Terraform output (`tenant_<tenant>_kubeconfig`): the
 * proxy's address and CA, and a kubelogin exec user for Entra ID. It holds no secret (a token is
 * fetched at each use), so the output is not sensitive and the file may be handed out freely.
 */
export class TenantKubeconfig extends Construct {
  /** Name of the Terraform output. */
  public readonly outputName: string;
  /** Name of the context (and of the file the summary suggests): `<platform>-<tenant>`. */
  public readonly contextName: string;
  public readonly output: TerraformOutput;

  constructor(scope: Construct, id: string, props: TenantKubeconfigProps) {
    super(scope, id);
    assertDnsLabel('TenantKubeconfig.tenant', props.tenant);
    assertDnsLabel('TenantKubeconfig.platform', props.platform);
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(props.server)) {
      throw new PlatformError(
        `TenantKubeconfig.server must be an https:// URL of a host name or address, got ${describeValue(props.server)}`,
      );
    }
    this.outputName = tenantKubeconfigOutputName(props.tenant);
    this.contextName = `${props.platform}-${props.tenant}`;
    const text = kubeconfigText({
      cluster: props.platform,
      context: this.contextName,
      server: props.server,
      caData: CA_SLOT,
      loginMode: props.loginMode,
    });
    const [before, after] = text.split(CA_SLOT);
    const stack = TerraformStack.of(this);
    // Directly on the stack: `cdktf deploy --outputs-file` nests outputs by construct path, and
    // the summary (and `terraform output`) look the kubeconfig up by this name.
    this.output = new TerraformOutput(stack, this.outputName, {
      value: terraformText(`${before}${base64Of(stack, props.caCertificatePem)}${after}`),
      description: `kubeconfig of the owners of tenant "${props.tenant}": capsule-proxy with its CA, Entra ID through kubelogin`,
    });
    this.output.overrideLogicalId(this.outputName);
  }
}

/**
 * `Fn.base64encode(pem)`, one token per stack and CA for the kubeconfigs of every tenant: cdktf
 * records a stack trace for each token it creates, which a token per tenant paid a thousand times.
 */
function base64Of(stack: TerraformStack, pem: string): string {
  let byPem = base64Tokens.get(stack);
  if (!byPem) base64Tokens.set(stack, (byPem = new Map()));
  let token = byPem.get(pem);
  if (token === undefined) byPem.set(pem, (token = Fn.base64encode(pem)));
  return token;
}

const base64Tokens = new WeakMap<TerraformStack, Map<string, string>>();

/** The Terraform output (in the addons stack) that carries the kubeconfig of `tenant`. */
export function tenantKubeconfigOutputName(tenant: string): string {
  return `tenant_${tenant.replace(/-/g, '_')}_kubeconfig`;
}

interface KubeconfigText {
  readonly cluster: string;
  readonly context: string;
  readonly server: string;
  readonly caData: string;
  readonly loginMode?: string;
}

function kubeconfigText(k: KubeconfigText): string {
  const user = `${k.cluster}-entra`;
  // The whole text is made literal once, by the caller.
  const exec = kubeloginExec(k.loginMode, (text) => text);
  // The same text for every tenant but the names: each distinct value is rendered once.
  return documentToYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.cluster, cluster: { server: k.server, 'certificate-authority-data': k.caData } }],
    users: [
      {
        name: user,
        user: {
          exec: {
            ...exec,
            interactiveMode: 'IfAvailable',
            installHint:
              'kubelogin signs you in with Entra ID: https://azure.github.io/kubelogin/install.html',
          },
        },
      },
    ],
    contexts: [{ name: k.context, context: { cluster: k.cluster, user } }],
    'current-context': k.context,
  });
}
