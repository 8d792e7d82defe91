/**
 * npm run test:live: the live TLS check against the real servers of the lab (test/lab/lab.ts):
 * Postfix, a validating Unbound with a DNSSEC-signed zone, an HTTPS MTA-STS policy host.
 * Needs root and the Debian packages postfix, unbound and ldnsutils (.ci/run installs them).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.live.ts'],
  ...require('./test/support/jest-transform'),
  setupFiles: ['<rootDir>/test/setup.ts'],
  globalSetup: '<rootDir>/test/lab/global-setup.ts',
  globalTeardown: '<rootDir>/test/lab/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 1,
};
