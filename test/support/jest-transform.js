/** How every jest configuration compiles: our TypeScript, and the ES-module-only packages. */
module.exports = {
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '/node_modules/jose/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.js',
  },
  /** node_modules are used as published, except jose (see esm-to-cjs.js). */
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
