import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { PodSecurityLevel, PodSecurityVersion } from '../../../lib/kubernetes/pod-security';
import { KyvernoPolicies, PolicyCategory } from '../../../lib/kubernetes/kyverno';
import { Preflight, PolicyResultStatus } from '../../../lib/preflight';

/**
 * The Kubernetes project's own Pod Security Admission fixtures (vendored with their source), each
 * judged by the preflight engine against the ValidatingPolicies the catalog emits for the same
 * level and Kubernetes minor: a `pass` fixture must pass every Pod Security policy, a `fail`
 * fixture must fail at least one, and only policies of the check it was written for.
 */
const TESTDATA = path.join(__dirname, '../../../vendor/kubernetes-pod-security-admission/testdata');

type Json = Record<string, any>;

/** Fixture file prefix (the upstream check id, lowercased) → the policies that implement the check. */
const POLICIES_OF_CHECK: Record<string, string[]> = {
  allowprivilegeescalation: ['disallow-privilege-escalation'],
  apparmorprofile: ['restrict-apparmor-profiles'],
  // At restricted, Pod Security Admission replaces the baseline check by the restricted one.
  capabilities_baseline: ['disallow-capabilities', 'disallow-capabilities-strict'],
  capabilities_restricted: ['disallow-capabilities-strict'],
  hostnamespaces: ['disallow-host-namespaces'],
  hostpathvolumes: ['disallow-host-path', 'restrict-volume-types'],
  hostports: ['disallow-host-ports'],
  hostprobesandhostlifecycle: ['disallow-probe-host'],
  privileged: ['disallow-privileged-containers'],
  procmount: ['disallow-proc-mount'],
  procmount_restricted: ['disallow-proc-mount'],
  restrictedvolumes: ['restrict-volume-types', 'disallow-host-path'],
  runasnonroot: ['require-run-as-nonroot'],
  runasuser: ['require-run-as-non-root-user'],
  seccompprofile_baseline: ['restrict-seccomp', 'restrict-seccomp-strict'],
  seccompprofile_restricted: ['restrict-seccomp-strict', 'restrict-seccomp'],
  selinuxoptions: ['disallow-selinux'],
  sysctls: ['restrict-sysctls'],
  windowshostprocess: ['disallow-host-process'],
};

/**
 * Fail fixtures that break a second check by construction, so that Pod Security Admission refuses
 * them for that check too.
 */
const ALSO_FAILS: Record<string, string[]> = {
  // hostProcess needs hostNetwork: true
  windowshostprocess0: ['disallow-host-namespaces'],
  windowshostprocess1: ['disallow-host-namespaces'],
  // a privileged container cannot set allowPrivilegeEscalation: false
  privileged0: ['disallow-privilege-escalation'],
  privileged1: ['disallow-privilege-escalation'],
  // the container has no securityContext at all, so it drops no capability either
  allowprivilegeescalation3: ['disallow-capabilities-strict'],
};

interface Fixture {
  readonly file: string;
  readonly expected: 'pass' | 'fail';
  readonly pod: Json;
}

/**
 * What the API server does to a pod before admission and that the checks read: a volume without a
 * source becomes an emptyDir (upstream runs its fixtures through a real API server).
 */
function withApiDefaults(pod: Json): Json {
  for (const v of pod.spec.volumes ?? []) if (Object.keys(v).length === 1) v.emptyDir = {};
  return pod;
}

function fixtures(level: string, version: PodSecurityVersion): Fixture[] {
  const dir = path.join(TESTDATA, level, `v1.${version.minor}`);
  return (['pass', 'fail'] as const).flatMap((expected) =>
    fs
      .readdirSync(path.join(dir, expected))
      .sort()
      .map((file) => {
        const pod = withApiDefaults(parse(fs.readFileSync(path.join(dir, expected, file), 'utf8')));
        pod.metadata = { ...pod.metadata, name: `${expected}-${file}`, namespace: 'tenant-a' };
        return { file: `${expected}/${file}`, expected, pod };
      }),
  );
}

/** The emitted Pod Security ValidatingPolicies of a catalog for `level` at `version`. */
function podSecurityPolicies(level: PodSecurityLevel, version: PodSecurityVersion): Json[] {
  const chart = Testing.chart();
  new KyvernoPolicies(chart, 'kyverno', { podSecurity: level, podSecurityVersion: version });
  return Testing.synth(chart).filter(
    (o) =>
      o.kind === 'ValidatingPolicy' &&
      String(o.metadata.annotations['policies.kyverno.io/category']).startsWith('Pod Security Standards'),
  );
}

/** True for the pods the Windows and user-namespace match conditions leave out of some policies. */
function mayBeSkipped(pod: Json): boolean {
  return pod.spec.os?.name === 'windows' || pod.spec.hostUsers === false;
}

const CASES = [PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED].flatMap((level) =>
  PodSecurityVersion.SUPPORTED.map((version) => [level, version] as const),
);

describe('the upstream Pod Security Admission fixtures, judged by the preflight engine', () => {
  test('there is a fixture folder for every supported minor, and nothing else is vendored', () => {
    for (const level of ['baseline', 'restricted']) {
      expect(fs.readdirSync(path.join(TESTDATA, level)).sort()).toEqual(
        PodSecurityVersion.SUPPORTED.map((v) => `v1.${v.minor}`).sort(),
      );
    }
  });

  test.each(CASES.map(([l, v]) => [l, v.toString(), l, v] as const))(
    '%s v%s: every verdict agrees',
    (_l, _v, level, version) => {
      const all = fixtures(level, version);
      const policies = podSecurityPolicies(level, version);
      const results = new Preflight({ policies, objects: all.map((f) => f.pod) }).evaluate().results;
      const disagreements: string[] = [];
      let agreed = 0;
      for (const f of all) {
        const mine = results.filter((r) => r.resource.name === f.pod.metadata.name);
        const errors = mine.filter((r) => r.result === PolicyResultStatus.ERROR);
        const failing = mine.filter((r) => r.result === PolicyResultStatus.FAIL).map((r) => r.policy);
        const base = f.file.replace(/^(pass|fail)\//, '').replace(/\.yaml$/, '');
        const allowed = [...(POLICIES_OF_CHECK[base.replace(/\d+$/, '')] ?? []), ...(ALSO_FAILS[base] ?? [])];
        let why: string | undefined;
        if (errors.length > 0) why = `errors: ${errors.map((e) => e.message).join('; ')}`;
        else if (f.expected === 'pass' && failing.length > 0) why = `fails ${failing.join(', ')}`;
        else if (f.expected === 'pass' && !mayBeSkipped(f.pod) && mine.length !== policies.length)
          why = `only ${mine.length} of ${policies.length} policies applied`;
        else if (f.expected === 'fail' && failing.length === 0) why = 'passes every policy';
        else if (f.expected === 'fail' && failing.some((p) => !allowed.includes(p)))
          why = `fails ${failing.join(', ')}, expected only ${allowed.join(' or ')}`;
        if (why) disagreements.push(`${f.file}: ${why}`);
        else agreed++;
      }
      expect(disagreements).toEqual([]);
      expect(agreed).toBe(all.length);
      expect(all.filter((f) => f.expected === 'fail').length).toBeGreaterThan(0);
      expect(all.filter((f) => f.expected === 'pass').length).toBeGreaterThan(0);
    },
  );

  test('every fixture check maps to emitted policies', () => {
    const names = new Set(
      podSecurityPolicies(PodSecurityLevel.RESTRICTED, PodSecurityVersion.LATEST).map((p) => p.metadata.name),
    );
    for (const [check, policies] of Object.entries(POLICIES_OF_CHECK))
      for (const p of policies)
        expect({ check, p, emitted: names.has(p) }).toEqual({ check, p, emitted: true });
    expect(Object.values(PolicyCategory)).toContain('Pod Security Standards (Baseline)');
  });
});
