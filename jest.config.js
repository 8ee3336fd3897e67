/** Self-contained suite: `npm test`. Needs Redis on 127.0.0.1:6379 and the Debian tools .ci/run installs. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/golden/**/*.test.ts'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/log-check-setup.js',
  globalTeardown: '<rootDir>/test/support/log-check-teardown.js',
};
