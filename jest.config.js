/** Tests live in test/ in three tiers by suffix: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    }],
  },
  testTimeout: 60000,
  // Verbose so CI output names every suite (e.g. which event-store adapters the contract ran on).
  verbose: true,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // Two cores: more workers only thrash.
  maxWorkers: 2,
};
