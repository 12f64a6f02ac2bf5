/** Unit tests: no Docker, no network. Type errors are caught by `tsc --noEmit` in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  // Both cores: each test file runs cdktf and the provider bindings it imports anew (its own module
  // registry); scripts/jest/runtime.js has a worker compile, read and resolve them only once.
  maxWorkers: 2,
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.terraform\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  runtime: '<rootDir>/scripts/jest/runtime.js',
  // Temporary files in a folder of the run's own, removed at its end (scripts/jest/tmpdir.js), and
  // no NODE_EXTRA_CA_CERTS for the workers and what they start (scripts/jest/global-setup.js).
  globalSetup: '<rootDir>/scripts/jest/global-setup.js',
  globalTeardown: '<rootDir>/scripts/jest/tmpdir-teardown.js',
  // Loads no cdktf (helpers.ts sets up its matchers); keeps token stack traces out (WPCDK_TOKEN_TRACES=1).
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
};
