import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files made with openssl for the TLS tests (a throwaway directory per test file). */
export interface TlsFixtures {
  readonly dir: string;
  /** wordpress.localhost, valid for 2 days from now, with its key. */
  readonly cert: string;
  readonly key: string;
  /** Another key: not the certificate's. */
  readonly otherKey: string;
  /** Not a PEM file. */
  readonly garbage: string;
  /** When `cert` has expired. */
  readonly afterExpiry: Date;
}

/**
 * The fixtures for `host`. Within a run of the suite (its own temp folder, WPCDK_TEST_TMPDIR:
 * scripts/jest/tmpdir.js) they are made once per host and shared by the test files (none writes
 * to them): each set takes two openssl processes.
 */
export function makeTlsFixtures(host = 'wordpress.localhost'): TlsFixtures {
  const shared = process.env.WPCDK_TEST_TMPDIR ? join(process.env.WPCDK_TEST_TMPDIR, `wpcdk-tls-${host}`) : undefined;
  const dir = shared && existsSync(join(shared, 'garbage.pem')) ? shared : makeFiles(host, shared);
  return {
    dir, cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), otherKey: join(dir, 'other.key'), garbage: join(dir, 'garbage.pem'),
    afterExpiry: new Date(Date.now() + 3 * 86_400_000),
  };
}

/** Makes the files in a new folder; moves it to `shared` unless another worker did first (then uses that). */
function makeFiles(host: string, shared: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'wpcdk-tls-test-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${host}`,
    '-addext', `subjectAltName=DNS:${host}`, '-keyout', 'server.key', '-out', 'server.crt');
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'other.key');
  writeFileSync(join(dir, 'garbage.pem'), 'not a certificate\n'); // written last: marks the set complete
  if (!shared) return dir;
  try {
    renameSync(dir, shared);
    return shared;
  } catch {
    return existsSync(join(shared, 'garbage.pem')) ? shared : dir;
  }
}
