/**
 * `npm run test:programs`: the tests that start other programs and judge what they do with the
 * output: the apps as processes (signals, FIFOs, another user), npm packing and installing the
 * package into a platform repository, terraform reading the stacks. Slower than the rest by
 * nature; CI runs them after `npm test`.
 */
const base = require('./test/support/jest-base');

module.exports = {
  ...base,
  testMatch: ['**/*.programs.test.ts'],
  testPathIgnorePatterns: base.testPathIgnorePatterns.filter((p) => !p.includes('programs')),
  // The apps the tests start run as JavaScript transpiled once, before any test file.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  maxWorkers: '100%',
  watchman: false,
};
