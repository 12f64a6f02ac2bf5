/**
 * Validates every synthesized stack with the real provider schemas
 * (`terraform init` + `terraform validate`). Needs the providers: from the
 * registry, or from the offline mirror named by TF_CLI_CONFIG_FILE.
 */
const base = require('./jest.config');
module.exports = {
  ...base,
  testMatch: ['**/*.terraform.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
};
