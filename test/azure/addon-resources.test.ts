// Every pod of the add-on releases, with the values Helm would render: the chart's own defaults
// (vendored values.yaml of the pinned chart) with the release's values merged over them.
import { parse } from 'yaml';
import { validatePlatform } from '../../lib/platform-file';
import { parseQuantity } from '../../lib/platform-file/formats';
import { chartDefaultValues, chartValuesValidator, VendoredChart } from '../upstream/schemas';
import { everyOptionPlatform } from './every-option';
import { platform, resources, synthPlatform } from './helpers';

type Values = Record<string, any>;

/** Helm's coalescing: maps merge key by key, null removes a default, anything else replaces it. */
function helmMerge(defaults: unknown, values: unknown): unknown {
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const out: Values = { ...defaults };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete out[k];
    else out[k] = helmMerge(defaults[k], v);
  }
  return out;
}

function isMap(v: unknown): v is Values {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Paths of the values objects that carry a container image (`image.repository`). */
function containerPaths(values: unknown, path = ''): string[] {
  if (!isMap(values)) return [];
  const own = isMap(values.image) && typeof values.image.repository === 'string' ? [path] : [];
  return [
    ...own,
    ...Object.entries(values).flatMap(([k, v]) =>
      k === 'image' ? [] : containerPaths(v, path === '' ? k : `${path}.${k}`),
    ),
  ];
}

interface Container {
  /** Where its resources are read, under the merged values. */
  readonly resources: (v: Values) => Values | undefined;
  /** Whether the chart renders a pod with it, or why it never does for these releases. */
  readonly renders: ((v: Values) => boolean) | string;
}

/**
 * The containers of each chart, read from its templates at the pinned version: which values
 * hold their resources and when a pod is rendered. A container the chart gains in an upgrade is
 * missing here, and the test below fails until it is sized.
 */
const CONTAINERS: Record<VendoredChart, Record<string, Container>> = {
  'cert-manager': {
    '': { resources: (v) => v.resources, renders: () => true },
    webhook: { resources: (v) => v.webhook.resources, renders: () => true },
    cainjector: { resources: (v) => v.cainjector.resources, renders: (v) => v.cainjector.enabled },
    startupapicheck: {
      resources: (v) => v.startupapicheck.resources,
      renders: (v) => v.startupapicheck.enabled,
    },
    acmesolver: {
      resources: () => undefined,
      renders: 'started by the controller for ACME HTTP-01 challenges; the platform has no ACME issuer',
    },
  },
  kyverno: {
    'admissionController.container': {
      resources: (v) => v.admissionController.container.resources,
      renders: () => true,
    },
    'admissionController.initContainer': {
      resources: (v) => v.admissionController.initContainer.resources,
      renders: () => true,
    },
    backgroundController: {
      resources: (v) => v.backgroundController.resources,
      renders: (v) => v.backgroundController.enabled,
    },
    cleanupController: {
      resources: (v) => v.cleanupController.resources,
      renders: (v) => v.cleanupController.enabled,
    },
    reportsController: {
      resources: (v) => v.reportsController.resources,
      renders: (v) => v.reportsController.enabled,
    },
    webhooksCleanup: {
      resources: (v) => v.webhooksCleanup.resources,
      renders: (v) => v.webhooksCleanup.enabled,
    },
    'crds.migration': {
      resources: (v) => v.crds.migration.podResources,
      renders: (v) => v.crds.migration.enabled,
    },
    // `helm test` pods.
    test: { resources: (v) => v.test.resources, renders: () => true },
  },
  capsule: {
    manager: { resources: (v) => v.manager.resources, renders: () => true },
    // The CRD lifecycle, post-install and pre-delete jobs (their templates merge `jobs` over it).
    'global.jobs.kubectl': {
      resources: (v) => (helmMerge(v.global.jobs.kubectl, v.jobs) as Values).resources,
      renders: (v) =>
        (v.crds.install && !v.crds.inline) ||
        v.global.jobs.postInstall.enabled ||
        v.global.jobs.preDelete.enabled,
    },
  },
  'capsule-proxy': {
    '': { resources: (v) => v.resources, renders: () => true },
    'global.jobs.kubectl': {
      resources: (v) => v.global.jobs.kubectl.resources,
      renders: (v) => v.crds.install,
    },
    'global.jobs.certs': {
      resources: (v) => (helmMerge(v.global.jobs.certs, v.jobs.certs) as Values).resources,
      renders: (v) => v.options.enableSSL && v.options.generateCertificates,
    },
    gangplank: { resources: (v) => v.gangplank.resources, renders: (v) => v.gangplank.enabled },
  },
};

const RELEASES: Record<string, VendoredChart> = {
  cert_manager: 'cert-manager',
  kyverno: 'kyverno',
  capsule: 'capsule',
  capsule_proxy: 'capsule-proxy',
};

const PLATFORMS: [string, () => ReturnType<typeof platform>][] = [
  ['the reference platform', () => platform()],
  ['the platform using every option', () => validatePlatform(everyOptionPlatform(), 'every-option')],
];

describe.each(PLATFORMS)('%s: the add-on releases as Helm renders them', (_name, spec) => {
  const { addons } = synthPlatform(spec());
  const released = (name: string): Values => parse(resources(addons, 'helm_release')[name].values[0]);

  test('the stack installs exactly the releases checked here', () => {
    expect(Object.keys(resources(addons, 'helm_release')).sort()).toEqual(Object.keys(RELEASES).sort());
  });

  describe.each(Object.entries(RELEASES))('%s', (release, chart) => {
    const defaults = chartDefaultValues(chart);
    const values = released(release);
    const merged = helmMerge(defaults, values) as Values;

    test('the containers of the chart are the ones known here', () => {
      expect(containerPaths(defaults).sort()).toEqual(Object.keys(CONTAINERS[chart]).sort());
    });

    test('every rendered container has CPU and memory requests and a memory limit', () => {
      const rendered = Object.entries(CONTAINERS[chart]).filter(
        ([, c]) => typeof c.renders === 'function' && c.renders(merged),
      );
      expect(rendered.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const [path, c] of rendered) {
        const r = c.resources(merged) ?? {};
        const request = r.requests?.memory;
        const limit = r.limits?.memory;
        for (const [what, q] of [
          ['requests.cpu', r.requests?.cpu],
          ['requests.memory', request],
          ['limits.memory', limit],
        ]) {
          if (q === undefined || parseQuantity(String(q)) === undefined) problems.push(`${path}: no ${what}`);
        }
        if (request !== undefined && limit !== undefined && parseQuantity(request)! > parseQuantity(limit)!) {
          problems.push(`${path}: memory request ${request} above the limit ${limit}`);
        }
      }
      expect(problems).toEqual([]);
    });

    test('every key the release sets is a key of the chart (no silently ignored typo)', () => {
      if (chart === 'cert-manager') {
        // Its values schema refuses unknown keys at every level.
        const validate = chartValuesValidator('cert-manager');
        validate({ ...values, webhook: { ...values.webhook, replicaCont: 3 } });
        expect(validate.errors?.map((e) => e.params)).toContainEqual({ additionalProperty: 'replicaCont' });
      } else {
        expect(unknownKeys(values, defaults)).toEqual([]);
      }
    });
  });

  test('the webhook servers run with the critical priority class', () => {
    expect(released('kyverno').admissionController.priorityClassName).toBe('system-cluster-critical');
    expect(released('capsule').priorityClassName).toBe('system-cluster-critical');
    // cert-manager's guidance: every cert-manager pod
    expect(released('cert_manager').global.priorityClassName).toBe('system-cluster-critical');
  });

  test("Capsule's webhooks time out after 10 s, not the chart's 30 s", () => {
    expect(chartDefaultValues('capsule')).toMatchObject({
      webhooks: { mutatingWebhooksTimeoutSeconds: 30, validatingWebhooksTimeoutSeconds: 30 },
    });
    expect(released('capsule').webhooks).toEqual({
      mutatingWebhooksTimeoutSeconds: 10,
      validatingWebhooksTimeoutSeconds: 10,
    });
  });

  test('cert-manager: three webhook replicas with a disruption budget, valid against its values schema', () => {
    const values = released('cert_manager');
    expect(values.webhook.replicaCount).toBe(3);
    expect(values.webhook.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    const validate = chartValuesValidator('cert-manager');
    validate(values);
    expect(validate.errors ?? []).toEqual([]);
  });
});

/**
 * Paths set in `values` that the chart's defaults do not have. Below a default that is an empty
 * map, a list or unset-by-comment (open for the user's keys) anything goes.
 */
function unknownKeys(values: unknown, defaults: unknown, path = ''): string[] {
  if (!isMap(values)) return [];
  return Object.entries(values).flatMap(([k, v]) => {
    const p = path === '' ? k : `${path}.${k}`;
    if (!isMap(defaults) || !(k in defaults)) return [p];
    const d = defaults[k];
    if (isMap(d) && Object.keys(d).length > 0) return unknownKeys(v, d, p);
    return [];
  });
}

describe('the checks themselves', () => {
  test('helmMerge merges maps, replaces lists and scalars, and deletes on null', () => {
    expect(
      helmMerge({ a: { b: 1, c: 2 }, l: [1], s: 'x', gone: 1 }, { a: { c: 3 }, l: [2], gone: null }),
    ).toEqual({ a: { b: 1, c: 3 }, l: [2], s: 'x' });
  });

  test('a container without requests, or with only a CPU limit, is reported', () => {
    const merged = helmMerge(chartDefaultValues('capsule'), {
      manager: { resources: { limits: { cpu: '1' } } },
    });
    const r = CONTAINERS.capsule.manager.resources(merged as Values);
    expect(r).toEqual({ limits: { cpu: '1' } });
    expect(r?.requests).toBeUndefined();
  });

  test('a key the chart does not have is reported, an open map takes any key', () => {
    const defaults = chartDefaultValues('capsule');
    expect(
      unknownKeys(
        { manager: { options: { ignoreUserGroups: [] } }, podAnnotations: { anything: 'x' } },
        defaults,
      ),
    ).toEqual(['manager.options.ignoreUserGroups']);
  });

  test('the chart defaults alone leave Capsule, its jobs and cert-manager without requests', () => {
    const capsule = chartDefaultValues('capsule') as Values;
    expect(CONTAINERS.capsule.manager.resources(capsule)).toEqual({});
    const cm = chartDefaultValues('cert-manager') as Values;
    expect(CONTAINERS['cert-manager'].webhook.resources(cm)).toEqual({});
  });
});
