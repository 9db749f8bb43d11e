/**
 * `npm test`: every test that runs in the test process. The tests that start other programs (the
 * apps as processes, npm pack and install, terraform) are `*.programs.test.ts`, run by
 * `npm run test:programs` (jest.programs.config.js); CI runs both.
 *
 * Most files run in long-lived workers (jest-light-runner): a worker loads the library, cdk8s,
 * cdktf and the providers once for all its files, and its compiled code stays warm; jest's own
 * runner would load them again in a fresh module registry for each of the 70-odd files, which was
 * half of the time. The files that need that registry (`jest.mock`, `jest.isolateModules`) are
 * listed in ISOLATED and run in jest's runner; a test fails when a file needs it and is not listed.
 */
const base = require('./test/support/jest-base');

/** Test files that replace or reload modules: they need jest's module registry. */
const ISOLATED = ['test/preflight/synth.test.ts', 'test/preflight/cel/parse.test.ts'];
const escape = (f) => `/${f.replace(/[.]/g, '\\.')}$`;

module.exports = {
  // Both cores: a test file's time is its own synths, not waiting.
  maxWorkers: '100%',
  watchman: false,
  projects: [
    {
      ...base,
      displayName: 'workers',
      // One temporary folder for the run, removed after it (both projects' workers inherit it).
      globalSetup: '<rootDir>/test/support/tmpdir-setup.js',
      globalTeardown: '<rootDir>/test/support/tmpdir-teardown.js',
      runner: 'jest-light-runner',
      transform: {},
      setupFiles: ['<rootDir>/test/support/register-ts.js'],
      setupFilesAfterEnv: [],
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...ISOLATED.map(escape)],
    },
    {
      ...base,
      displayName: 'isolated',
      testMatch: ISOLATED.map((f) => `<rootDir>/${f}`),
    },
  ],
};
