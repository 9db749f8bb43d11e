/**
 * `npm test`: every test that runs in the test process. The tests that start other programs (the
 * apps as processes, npm pack and install, terraform) are `*.programs.test.ts`, run by
 * `npm run test:programs` (jest.programs.config.js); CI runs both.
 *
 * The files run in long-lived workers (jest-light-runner): a worker loads the library, cdk8s,
 * cdktf and the providers once for all its files, and its compiled code stays warm; jest's own
 * runner would load them again in a fresh module registry for each of the 70-odd files, which was
 * half of the time. Files share their modules within a worker: `jest.mock` and
 * `jest.isolateModules` do not exist there (test/support/fresh-module.ts loads a private copy).
 */
const base = require('./test/support/jest-base');

module.exports = {
  ...base,
  runner: 'jest-light-runner',
  // test/support/register-ts.js loads TypeScript in the workers.
  transform: {},
  setupFiles: ['<rootDir>/test/support/register-ts.js'],
  setupFilesAfterEnv: [],
  // One temporary folder for the run, removed after it.
  globalSetup: '<rootDir>/test/support/tmpdir-setup.js',
  globalTeardown: '<rootDir>/test/support/tmpdir-teardown.js',
  // Both cores: a test file's time is its own synths, not waiting.
  maxWorkers: '100%',
  watchman: false,
};
