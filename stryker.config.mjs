// Mutation testing (StrykerJS, jest runner). Run it through `npm run mutate` (scripts/mutate.mjs),
// which picks the modules to mutate and the test files that exercise them; see docs/development.md.

/** The modules that decide what is refused or hardened: `npm run mutate` with no argument. */
export const securityModules = [
  'lib/platform-file/validate.ts',
  'lib/preflight/policy.ts',
  'lib/kubernetes/capsule/*.ts',
  'lib/azure/aks-cluster.ts',
  'lib/kubernetes/workloads/private/hardened-pod.ts',
];

/**
 * The test files that judge each security module (globs). Not every test that imports it: those
 * that synthesize whole platforms would make each mutant cost a minute. Tests build what they check
 * inside the test (or beforeEach), not in the describe body: code run while jest collects the tests
 * is "static" to Stryker, and its mutants run every test file listed. A module missing here gets
 * the test files of its mirrored test folder that import it (see scripts/mutate.mjs).
 */
export const testsOf = {
  'lib/platform-file/validate.ts': [
    'test/platform-file/cross-check.test.ts',
    'test/platform-file/load.test.ts',
    'test/platform-file/outputs.test.ts',
    'test/platform-file/secrets.test.ts',
  ],
  'lib/preflight/policy.ts': [
    'test/preflight/policy.test.ts',
    'test/preflight/preflight.test.ts',
    'test/preflight/exception.test.ts',
  ],
  // Not isolation.test.ts nor workloads/from-spec.test.ts: they synthesize a whole platform when the
  // file loads, which makes every mutant "static" (run against every test, seconds each).
  'lib/kubernetes/capsule/*.ts': [
    'test/kubernetes/capsule/tenant.test.ts',
    'test/kubernetes/capsule/tenant-guardrails.test.ts',
    'test/kubernetes/capsule/tenant-quota.test.ts',
    'test/kubernetes/capsule/from-spec.test.ts',
  ],
  'lib/azure/aks-cluster.ts': ['test/azure/aks-cluster.test.ts', 'test/azure/aks-operations.test.ts'],
  'lib/kubernetes/workloads/private/hardened-pod.ts': [
    'test/kubernetes/workloads/hardened-*.test.ts',
    'test/kubernetes/workloads/key-vault-secrets.test.ts',
  ],
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'test/support/jest-base.js', enableFindRelatedTests: true },
  // Each mutant runs only the tests that executed its code during the first (dry) run.
  coverageAnalysis: 'perTest',
  mutate: securityModules,
  // Two cores: one jest per core. Mutants that time out count as detected (Stryker's rule).
  concurrency: 2,
  timeoutMS: 10000,
  // What the tests read stays in the sandbox (vendor/, apps/, test fixtures); generated folders do not.
  ignorePatterns: [
    'build',
    'dist',
    'cdktf.out',
    'reports',
    'coverage',
    'docs/api',
    '.bench',
    '.terraform',
    'kubeconfigs',
    '*.tsbuildinfo',
    '.stryker',
  ],
  // Stryker's own folder, gitignored, apart from the synth's reports/ (which the synth replaces
  // as a whole): the sandbox while it runs, the reports after.
  tempDirName: '.stryker/tmp',
  cleanTempDir: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.stryker/reports/index.html' },
  jsonReporter: { fileName: '.stryker/reports/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true },
  thresholds: { high: 90, low: 80 },
};
