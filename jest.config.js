/** Unit tests: no Docker, no network. Type errors are caught by `tsc --noEmit` in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  // Both cores: each test file compiles the provider bindings it synthesizes anew (~0.3 s).
  maxWorkers: 2,
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.terraform\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  runtime: '<rootDir>/scripts/jest/runtime.js',
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
};
