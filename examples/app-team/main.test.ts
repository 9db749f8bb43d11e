import { App, Chart, Testing } from 'cdk8s';
import { HardenedDeployment, KyvernoPolicies, Preflight, WORKLOAD_INGRESS_LABEL } from 'cdk-aks-platform';
import { buildApplication } from './main';

describe('example: an application team adding a hardened workload', () => {
  const objects: any[] = Testing.synth(buildApplication(Testing.app()));
  const find = (kind: string, name?: string) =>
    objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

  test('the pods pass Pod Security restricted without the team asking', () => {
    const pod = find('Deployment', 'payments-api').spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('the disruption budget selects the pods', () => {
    const labels = find('Deployment', 'payments-api').spec.template.metadata.labels;
    const pdb = find('PodDisruptionBudget');
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(labels[k]).toBe(v);
  });

  test('only the NetworkPolicy of each workload admits connections to its pods', () => {
    // The label keeps the tenant-wide ingress allowance off the pods.
    expect(find('Deployment', 'payments-api').spec.template.metadata.labels[WORKLOAD_INGRESS_LABEL]).toBe(
      'workload',
    );
    expect(
      find('CronJob', 'settlement').spec.jobTemplate.spec.template.metadata.labels[WORKLOAD_INGRESS_LABEL],
    ).toBe('workload');
    expect(find('NetworkPolicy', 'payments-api').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments-api' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(find('NetworkPolicy', 'settlement').spec.ingress ?? []).toEqual([]);
  });

  test('secrets come from Key Vault, never as Secret data', () => {
    const spc = find('SecretProviderClass');
    expect(spc.spec.provider).toBe('azure');
    expect(spc.spec.parameters.keyvaultName).toBe('kv-payments');
    expect(objects.filter((o) => o.kind === 'Secret' && (o.data || o.stringData))).toEqual([]);
  });

  test('nothing would be denied by the platform policies', () => {
    const policies = Testing.synth(new KyvernoPoliciesChart());
    const result = new Preflight({ policies, objects }).evaluate();
    expect(result.violations).toEqual([]);
  });

  test('an image tagged latest is refused before anything is written', () => {
    const chart = new Chart(new App(), 'bad');
    expect(
      () =>
        new HardenedDeployment(chart, 'api', {
          namespace: 'payments-api',
          image: 'example/api:latest',
          port: 8080,
        }),
    ).toThrow(/HardenedDeployment bad\/api: image: "example\/api:latest" uses the mutable tag "latest"/);
  });
});

class KyvernoPoliciesChart extends Chart {
  constructor() {
    super(Testing.app(), 'policies');
    new KyvernoPolicies(this, 'policies');
  }
}
