/**
 * `npm test`: every test that runs in the test process. The tests that start other programs (the
 * apps as processes, npm pack and install, terraform) are `*.programs.test.ts`, run by
 * `npm run test:programs` (jest.programs.config.js); CI runs both. Tests are transpiled only
 * (fast); `npm run typecheck` type-checks them.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  moduleNameMapper: { '^cdk-aks-platform$': '<rootDir>/lib/index.ts' },
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/transform.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/build/', '/dist/', '/cdktf.out/', '\\.programs\\.test\\.ts$'],
  setupFilesAfterEnv: ['<rootDir>/test/support/stack-traces.js'],
  // Both cores: a test file's time is its own module loading and synths, not waiting.
  maxWorkers: '100%',
  watchman: false,
};
