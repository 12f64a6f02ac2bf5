import { existsSync, rmSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const globalSetup = require('../../../scripts/jest/global-setup.js') as () => Promise<void>;

describe('scripts/jest/global-setup.js', () => {
  const saved = { ...process.env };
  afterEach(() => {
    if (process.env.WPCDK_TEST_TMPDIR !== saved.WPCDK_TEST_TMPDIR) rmSync(process.env.WPCDK_TEST_TMPDIR ?? '', { recursive: true, force: true });
    process.env = { ...saved };
  });

  it('gives the workers a temporary folder of the run\'s own and no NODE_EXTRA_CA_CERTS', async () => {
    process.env.NODE_EXTRA_CA_CERTS = '/etc/ssl/certs/ca-certificates.crt';
    await globalSetup();
    expect(process.env.NODE_EXTRA_CA_CERTS).toBeUndefined();
    expect(process.env.TMPDIR).toBe(process.env.WPCDK_TEST_TMPDIR);
    expect(process.env.TMPDIR).not.toBe(saved.TMPDIR);
    expect(existsSync(process.env.TMPDIR ?? '')).toBe(true);
  });

  it('is what this worker ran under: the suite\'s processes start without the CA bundle', () => {
    expect(process.env.NODE_EXTRA_CA_CERTS).toBeUndefined();
  });
});
