/** Conformance suite against the public IHE samples in ../shared/fixtures (PUBLIC_FIXTURES_DIR). */
module.exports = {
  ...require('./jest.config.js'),
  testMatch: ['<rootDir>/test/conformance/**/*.test.ts'],
};
