/** Tests are transpiled only (fast); `npm run typecheck` type-checks them. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  moduleNameMapper: { '^cdk-aks-platform$': '<rootDir>/lib/index.ts' },
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/transform.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/build/', '/dist/', '/cdktf.out/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/stack-traces.js'],
  // Both cores: most of a test file's time is its own module loading and synths, not waiting.
  maxWorkers: '100%',
  watchman: false,
};
