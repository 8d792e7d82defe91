/**
 * npm run test:e2e: the built add-in (dist/addin) in Debian's Chromium, driven by playwright-core.
 * Needs the Debian packages chromium and libnss3-tools (.ci/run installs them).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  ...require('./test/support/jest-transform'),
  setupFiles: ['<rootDir>/test/setup.ts'],
  testTimeout: 60_000,
  maxWorkers: 1,
};
