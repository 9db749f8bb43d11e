import { Cron, Duration, Testing } from 'cdk8s';
import { HardenedCronJob, HardenedJob } from '../../../lib/kubernetes/workloads';
import { PlatformError } from '../../../lib/platform-file';
import { podTemplates, pssRestrictedViolations } from './pss-restricted-controls';
import { validateWithKubernetesModels } from './upstream-validation';

describe('HardenedJob and HardenedCronJob', () => {
  // Built per test (beforeEach, not at collection): mutation testing then knows which tests run which code.
  let objects: any[];
  beforeEach(() => {
    const chart = Testing.chart();
    new HardenedJob(chart, 'migrate', {
      namespace: 'dev-jobs',
      image: 'busybox:1.36.1',
      command: ['sh', '-c', 'echo done'],
      backoffLimit: 2,
      ttlAfterFinished: Duration.hours(1),
    });
    new HardenedCronJob(chart, 'report', {
      namespace: 'dev-jobs',
      image: 'busybox:1.36.1',
      schedule: Cron.schedule({ minute: '30', hour: '2' }),
      timeZone: 'Europe/Paris',
    });
    objects = Testing.synth(chart);
  });
  const of = (kind: string) => objects.filter((o) => o.kind === kind);

  test('no Service, PDB, HPA or probes: a batch pod serves nobody', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['CronJob', 'Job', 'NetworkPolicy', 'NetworkPolicy', 'ServiceAccount', 'ServiceAccount'].sort(),
    );
    for (const p of podTemplates(objects)) {
      expect(p.spec.containers[0].readinessProbe).toBeUndefined();
      expect(p.spec.containers[0].startupProbe).toBeUndefined();
      expect(p.spec.containers[0].ports).toBeUndefined();
    }
  });

  test('every incoming connection is denied', () => {
    for (const np of of('NetworkPolicy')) {
      expect(np.spec.policyTypes).toEqual(['Ingress']);
      expect(np.spec.ingress ?? []).toEqual([]);
    }
  });

  test('the CronJob never overlaps and keeps its schedule and time zone', () => {
    const cj = of('CronJob')[0];
    expect(cj.spec.schedule).toBe('30 2 * * *');
    expect(cj.spec.timeZone).toBe('Europe/Paris');
    expect(cj.spec.concurrencyPolicy).toBe('Forbid');
    const job = of('Job')[0];
    expect(job.spec.backoffLimit).toBe(2);
    expect(job.spec.ttlSecondsAfterFinished).toBe(3600);
  });

  test('pods are restricted, with exact resources and their own ServiceAccount', () => {
    for (const p of podTemplates(objects)) {
      expect(pssRestrictedViolations(p.metadata, p.spec)).toEqual([]);
      expect(p.spec.containers[0].resources).toEqual({
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { memory: '256Mi' },
      });
      expect(p.spec.automountServiceAccountToken).toBe(false);
      expect(p.spec.serviceAccountName).toBe(p.owner.split('/')[1]);
    }
    expect(validateWithKubernetesModels(objects).errors).toEqual([]);
    expect(objects).toMatchSnapshot();
  });

  test('rejects an unpinned image and a bad time zone when constructed', () => {
    expect(
      () => new HardenedJob(Testing.chart(), 'j', { namespace: 'dev-jobs', image: 'busybox:latest' }),
    ).toThrow(PlatformError);
    expect(
      () =>
        new HardenedCronJob(Testing.chart(), 'c', {
          namespace: 'dev-jobs',
          image: 'busybox:1.36.1',
          schedule: Cron.daily(),
          timeZone: 'Paris time',
        }),
    ).toThrow('HardenedCronJob test/c: timeZone: "Paris time" is not an IANA time zone name');
  });

  test('rejects what Kubernetes would: a schedule out of range, a volume on /proc, a ConfigMap over 1 MiB', () => {
    expect(
      () =>
        new HardenedCronJob(Testing.chart(), 'c', {
          namespace: 'dev-jobs',
          image: 'busybox:1.36.1',
          schedule: Cron.schedule({ minute: '99', hour: '99', day: '99', month: '99', weekDay: '99' }),
          writablePaths: ['/proc'],
          config: [{ name: 'BIG', value: 'x'.repeat(1024 * 1024) }],
        }),
    ).toThrow(
      [
        'HardenedCronJob test/c: 3 problems',
        '  - writablePaths[0]: "/proc" is in /proc, /sys, /dev: a volume there hides what the kernel and the container runtime provide',
        '  - config: adds up to 1048579 bytes of keys and values, more than the 1 MiB of a Kubernetes ConfigMap',
        '  - schedule: "99 99 99 99 99" has minute "99", outside 0-59',
      ].join('\n'),
    );
  });
});
