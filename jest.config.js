/**
 * npm test: unit, property, CLI, component and manifest tests. They need only Node and npm
 * (never ../shared, never a browser). Browser tests are in jest.e2e.config.js.
 */
const { transform, transformIgnorePatterns } = require('./test/support/jest-transform');

module.exports = {
  // Rendering Fluent UI in jsdom, and compiling a lazily imported module on first use, take
  // seconds on a busy 2-core machine with a cold cache.
  testTimeout: 30_000,
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/addin/', '<rootDir>/test/e2e/'],
      transform,
      transformIgnorePatterns,
      setupFiles: ['<rootDir>/test/setup.ts'],
    },
    {
      // The pane, the Office adapter and the manifest: React and DOMParser need a DOM.
      displayName: 'dom',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/addin'],
      testMatch: ['**/*.test.ts?(x)'],
      transform,
      transformIgnorePatterns,
      setupFiles: ['<rootDir>/test/setup.ts', '<rootDir>/test/addin/setup-dom.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/addin/setup-after-env.ts'],
    },
  ],
};
