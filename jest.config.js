/** Type checking is done once by `tsc --noEmit` (npm test), so jest only transpiles. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages/kafka-test-broker/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: {
    // The workspace's broker from its sources (its package.json points at the compiled dist/).
    '^@meshform/kafka-test-broker$': '<rootDir>/packages/kafka-test-broker/src/index.ts',
    '^nimma/legacy$': '<rootDir>/node_modules/nimma/dist/legacy/cjs/index.js',
    '^nimma/(.*)': '<rootDir>/node_modules/nimma/dist/cjs/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
