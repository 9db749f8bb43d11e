// What every jest configuration of the project shares (jest.config.js, jest.programs.config.js,
// and mutation testing): where tests are, how TypeScript is transpiled (`npm run typecheck`
// type-checks), the package name mapped to the library's sources.
'use strict';
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

module.exports = {
  rootDir: ROOT,
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  moduleNameMapper: { '^cdk-aks-platform$': '<rootDir>/lib/index.ts' },
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/transform.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/build/', '/dist/', '/cdktf.out/', '\\.programs\\.test\\.ts$'],
  setupFilesAfterEnv: ['<rootDir>/test/support/stack-traces.js'],
};
