// How tenant owners reach the cluster: capsule-proxy's CA issued by Terraform, handed to
// cert-manager through a Secret, and a kubeconfig per tenant as an output of the addons stack.
import { parse } from 'yaml';
import { AksKubernetesProvider } from '../../lib/azure/addons/aks-kubernetes-provider';
import { CapsuleProxyCa } from '../../lib/azure/addons/capsule-proxy-ca';
import { CapsuleProxyRelease } from '../../lib/azure/addons/capsule-proxy-release';
import { CapsuleRelease } from '../../lib/azure/addons/capsule-release';
import { CertManagerRelease } from '../../lib/azure/addons/cert-manager-release';
import { TenantKubeconfig, tenantKubeconfigOutputName } from '../../lib/azure/addons/tenant-kubeconfig';
import { PlatformError } from '../../lib/platform-file';
import { errorsOf, validPlatform } from '../platform-file/fixtures';
import {
  allStrings,
  platform,
  resources,
  synth,
  synthPlatform,
  templateSequences,
  testStack,
} from './helpers';

const ADMINS = '3f2b8c1e-7a4d-4e59-9b61-2c8d0e7f4a13';
const USERS = '8d4e6f20-1b3c-4a7e-8f95-6c2a1d9e0b47';
const CA_EXPRESSION = '${base64encode(tls_self_signed_cert.capsule_proxy_ca_certificate.cert_pem)}';
/** What Terraform would put in place of CA_EXPRESSION, for the tests that read the YAML. */
const CA_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString(
  'base64',
);

/** The kubeconfig of an output value, with the CA expression evaluated. */
function kubeconfig(output: { value: string }): any {
  expect(templateSequences(output.value)).toEqual([CA_EXPRESSION]);
  return parse(output.value.replace(CA_EXPRESSION, CA_DATA));
}

describe('the reference platform: a kubeconfig per tenant from `cdktf deploy addons`', () => {
  const { addons } = synthPlatform();

  test('one output per tenant, named tenant_<tenant>_kubeconfig, not sensitive (it holds no secret)', () => {
    const names = Object.keys(addons.output).filter((n) => n.endsWith('_kubeconfig'));
    expect(names).toEqual(['tenant_dev_kubeconfig', 'tenant_staging_kubeconfig']);
    for (const n of names) expect(addons.output[n].sensitive).toBeUndefined();
  });

  test("dev's kubeconfig: capsule-proxy's name and CA, kubelogin for the AKS server application", () => {
    expect(kubeconfig(addons.output.tenant_dev_kubeconfig)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'aw-capsule',
          cluster: {
            server: 'https://aw-capsule-proxy.francecentral.cloudapp.azure.com',
            'certificate-authority-data': CA_DATA,
          },
        },
      ],
      users: [
        {
          name: 'aw-capsule-entra',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'kubelogin',
              args: [
                'get-token',
                '--login',
                'azurecli',
                '--server-id',
                '6dae42f8-4368-4678-94ff-3960e28e3630',
              ],
              interactiveMode: 'IfAvailable',
              installHint:
                'kubelogin signs you in with Entra ID: https://azure.github.io/kubelogin/install.html',
            },
          },
        },
      ],
      contexts: [{ name: 'aw-capsule-dev', context: { cluster: 'aw-capsule', user: 'aw-capsule-entra' } }],
      'current-context': 'aw-capsule-dev',
    });
  });

  test('the CA in the kubeconfig is the one whose key signs the proxy certificate', () => {
    const cert = resources(addons, 'tls_self_signed_cert').capsule_proxy_ca_certificate;
    expect(cert).toMatchObject({
      private_key_pem: '${tls_private_key.capsule_proxy_ca_key.private_key_pem}',
      is_ca_certificate: true,
      allowed_uses: ['cert_signing', 'crl_signing', 'digital_signature'],
      validity_period_hours: 87600,
      early_renewal_hours: 8760,
      subject: [{ common_name: 'aw-capsule capsule-proxy CA', organization: 'capsule-proxy' }],
    });
    expect(resources(addons, 'tls_private_key').capsule_proxy_ca_key).toMatchObject({
      algorithm: 'ECDSA',
      ecdsa_curve: 'P256',
    });
    const secret = resources(addons, 'kubernetes_secret_v1').capsule_proxy_ca_secret;
    expect(secret).toMatchObject({
      metadata: { name: 'capsule-proxy-ca', namespace: 'capsule-system' },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': '${tls_self_signed_cert.capsule_proxy_ca_certificate.cert_pem}',
        'tls.key': '${tls_private_key.capsule_proxy_ca_key.private_key_pem}',
      },
      depends_on: ['helm_release.capsule'],
    });
    const proxy = resources(addons, 'helm_release').capsule_proxy;
    expect(proxy.depends_on).toContain('kubernetes_secret_v1.capsule_proxy_ca_secret');
    expect(parse(proxy.values[0]).certManager).toEqual({
      generateCertificates: true,
      externalCA: { enabled: true, secretName: 'capsule-proxy-ca' },
      certificate: {
        dnsNames: ['aw-capsule-proxy.francecentral.cloudapp.azure.com'],
        includeInternalServiceNames: true,
      },
    });
  });

  test('the private key reaches only the certificate and the Secret: no output, no Helm value', () => {
    const users = (tf: any) =>
      Object.entries<any>(tf.resource)
        .flatMap(([type, blocks]) => Object.entries<any>(blocks).map(([name, b]) => [`${type}.${name}`, b]))
        .filter(([, b]) => allStrings(b).some((s) => s.includes('tls_private_key.')))
        .map(([address]) => address);
    expect(users(addons)).toEqual([
      'kubernetes_secret_v1.capsule_proxy_ca_secret',
      'tls_self_signed_cert.capsule_proxy_ca_certificate',
    ]);
    expect(allStrings(addons.output).filter((s) => /private_key|tls\.key/.test(s))).toEqual([]);
    expect(allStrings(addons).filter((s) => /insecure-skip-tls-verify|-----BEGIN/.test(s))).toEqual([]);
  });

  test('the Kubernetes provider authenticates like the Helm provider: kubelogin, no credential', () => {
    const [k8s] = addons.provider.kubernetes;
    const [helm] = addons.provider.helm;
    expect(k8s.host).toBe(helm.kubernetes.host);
    expect(k8s.cluster_ca_certificate).toBe(helm.kubernetes.cluster_ca_certificate);
    expect(k8s.exec).toEqual([helm.kubernetes.exec]);
    expect(Object.keys(k8s).sort()).toEqual(['cluster_ca_certificate', 'exec', 'host']);
    expect(addons.terraform.required_providers).toMatchObject({
      kubernetes: { version: '2.38.0' },
      tls: { source: 'hashicorp/tls', version: '4.1.0' },
    });
  });
});

describe('a private cluster: the proxy at its fixed internal address', () => {
  const spec = platform((p) => {
    p.cluster.apiServer = { private: true };
    p.capsule.proxy.internalIp = '10.224.0.250';
  });
  const { addons } = synthPlatform(spec);

  test('internal load balancer on that address, in the certificate and in the kubeconfigs', () => {
    const values = parse(resources(addons, 'helm_release').capsule_proxy.values[0]);
    expect(values.service.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      'service.beta.kubernetes.io/azure-load-balancer-ipv4': '10.224.0.250',
    });
    expect(values.certManager.certificate).toEqual({
      ipAddresses: ['10.224.0.250'],
      includeInternalServiceNames: true,
    });
    expect(kubeconfig(addons.output.tenant_staging_kubeconfig).clusters[0].cluster.server).toBe(
      'https://10.224.0.250',
    );
  });

  test('the platform file: the address is required there with tenants, and refused elsewhere', () => {
    const p = validPlatform();
    p.cluster.apiServer = { private: true };
    expect(errorsOf(p)).toEqual([
      "capsule.proxy.internalIp: is required for a private cluster with tenants: an unused address of the node subnet (AKS-managed network: 10.224.0.0/16), so that the proxy's certificate and the owners' kubeconfigs can name it",
    ]);
    p.tenants = [];
    p.workloads = [];
    expect(() => platform((x) => Object.assign(x, p))).not.toThrow();
    const open = validPlatform();
    open.capsule.proxy.internalIp = '10.224.0.250';
    expect(errorsOf(open)).toEqual([
      'capsule.proxy.internalIp: "10.224.0.250" is for a private cluster (cluster.apiServer.private: true); a public proxy is reached by its DNS name',
    ]);
    for (const ip of ['8.8.8.8', '10.0.0', '10.0.0.256', '010.0.0.1']) {
      open.capsule.proxy.internalIp = ip;
      expect(errorsOf(open)[0]).toBe(
        `capsule.proxy.internalIp: "${ip}" must be a private IPv4 address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), e.g. 10.224.0.250`,
      );
    }
  });
});

describe('the constructs on their own', () => {
  function prerequisites(stack: ReturnType<typeof testStack>) {
    const certManager = new CertManagerRelease(stack, 'cert-manager');
    const capsule = new CapsuleRelease(stack, 'capsule', {
      certManager,
      usersGroupObjectId: USERS,
      adminGroupObjectIds: [ADMINS],
    });
    return { certManager, capsule };
  }

  test('AksKubernetesProvider refuses a CA that is not base64', () => {
    const make = () =>
      new AksKubernetesProvider(testStack(), 'k', {
        host: 'https://x',
        clusterCaCertificateBase64: '%{ x }',
      });
    expect(make).toThrow(PlatformError);
    expect(make).toThrow('AksKubernetesProvider.clusterCaCertificateBase64 must be base64');
  });

  test('CapsuleProxyCa: its options, and what it refuses', () => {
    const stack = testStack();
    const { capsule } = prerequisites(stack);
    new CapsuleProxyCa(stack, 'ca', {
      capsule,
      commonName: 'demo CA',
      secretName: 'proxy-ca',
      validityHours: 24 * 365,
      earlyRenewalHours: 24 * 30,
    });
    const tf = synth(stack);
    expect(Object.values<any>(resources(tf, 'tls_self_signed_cert'))[0]).toMatchObject({
      validity_period_hours: 8760,
      early_renewal_hours: 720,
    });
    expect(Object.values<any>(resources(tf, 'kubernetes_secret_v1'))[0].metadata.name).toBe('proxy-ca');
    const bad = (props: object) => () =>
      new CapsuleProxyCa(testStack(), 'ca', { capsule, commonName: 'x', ...props });
    expect(bad({ commonName: '' })).toThrow('CapsuleProxyCa.commonName must be 1 to 64 characters, got ""');
    expect(bad({ secretName: 'Proxy CA' })).toThrow('CapsuleProxyCa.secretName must be a DNS label');
    expect(bad({ validityHours: 1 })).toThrow('CapsuleProxyCa.validityHours must be a whole number from 24');
    expect(bad({ validityHours: 100, earlyRenewalHours: 100 })).toThrow(
      'CapsuleProxyCa.earlyRenewalHours must be a whole number from 0 to 99, got 100',
    );
  });

  test('CapsuleProxyRelease: the CA must sit in its namespace; the internal address needs an internal proxy', () => {
    const stack = testStack();
    const { certManager, capsule } = prerequisites(stack);
    const ca = new CapsuleProxyCa(stack, 'ca', { capsule, commonName: 'demo CA' });
    const base = {
      certManager,
      capsule,
      dnsLabel: 'demo-proxy',
      location: 'westeurope',
      adminGroupObjectIds: [ADMINS],
      allowedSourceRanges: ['203.0.113.0/24'],
    };
    expect(() => new CapsuleProxyRelease(stack, 'p1', { ...base, ca, namespace: 'proxy' })).toThrow(
      'CapsuleProxyRelease.ca: its Secret is in "capsule-system" and the release in "proxy"',
    );
    expect(() => new CapsuleProxyRelease(stack, 'p2', { ...base, internalIp: '10.0.0.9' })).toThrow(
      'CapsuleProxyRelease.internalIp is only for an internal proxy (internal: true), got "10.0.0.9"',
    );
    expect(
      () => new CapsuleProxyRelease(stack, 'p3', { ...base, internal: true, internalIp: '203.0.113.9' }),
    ).toThrow('CapsuleProxyRelease.internalIp must be a private IPv4 address');
    const proxy = new CapsuleProxyRelease(stack, 'p4', { ...base, ca });
    expect(proxy.url).toBe('https://demo-proxy.westeurope.cloudapp.azure.com');
    const internal = new CapsuleProxyRelease(stack, 'p5', { ...base, internal: true });
    expect(internal.url).toBeUndefined();
  });

  test('TenantKubeconfig: the output name, and what it refuses', () => {
    expect(tenantKubeconfigOutputName('team-a')).toBe('tenant_team_a_kubeconfig');
    const make = (props: object) => () =>
      new TenantKubeconfig(testStack(), 'k', {
        tenant: 'dev',
        platform: 'demo',
        server: 'https://demo.westeurope.cloudapp.azure.com',
        caCertificatePem: 'PEM',
        ...props,
      });
    expect(make({})).not.toThrow();
    expect(make({ server: 'http://demo' })).toThrow(
      'TenantKubeconfig.server must be an https:// URL of a host name or address, got "http://demo"',
    );
    expect(make({ tenant: 'Dev' })).toThrow('TenantKubeconfig.tenant must be a DNS label');
  });
});
