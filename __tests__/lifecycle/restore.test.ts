import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VerifiedArchive } from '../../lifecycle/archive';
import { Manifest } from '../../lifecycle/manifest';
import { databaseFor, mismatch } from '../../lifecycle/restore';

describe('mismatch', () => {
  test('refuses a site from a newer WordPress than the target runs, naming both and the fix', () => {
    expect(mismatch({ wordpress_version: '6.8.12' }, { wordpress_version: '6.1.9' }))
      .toMatch(/^the archive is a WordPress 6\.8\.12 site and the target runs WordPress 6\.1\.9: restoring it would downgrade WordPress; deploy the target with a WordPress image at least as new \(WPCDK_WORDPRESS_IMAGE\)/);
    expect(mismatch({ wordpress_version: '7.0' }, { wordpress_version: '6.9.1' })).toBeDefined();
  });

  test('takes the same or an older release (WordPress upgrades its database on the next admin visit)', () => {
    expect(mismatch({ wordpress_version: '6.1.9' }, { wordpress_version: '6.8.12' })).toBeUndefined();
    expect(mismatch({ wordpress_version: '6.8.1' }, { wordpress_version: '6.8.12' })).toBeUndefined();
    expect(mismatch({ wordpress_version: '6.8.12' }, { wordpress_version: '6.8.1' })).toBeUndefined();
  });
});

describe('databaseFor', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'restore-test-'));
    writeFileSync(join(dir, 'database.sql'), "INSERT INTO o VALUES ('http://127.0.0.1:8080/x');\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const archive = (siteUrl: string | null) => ({ manifest: { site_url: siteUrl } as Manifest, path: (p: string) => join(dir, p) }) as VerifiedArchive;

  test('the same address: the dump as it is', () => {
    expect(databaseFor(archive('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/')).toEqual({ sql: join(dir, 'database.sql') });
  });

  test('a site not installed: the dump as it is', () => {
    expect(databaseFor(archive(null), 'http://127.0.0.1:30080').rewrittenFrom).toBeUndefined();
  });

  test('another address: the dump moved to the target', () => {
    const { sql, rewrittenFrom } = databaseFor(archive('http://127.0.0.1:8080'), 'http://127.0.0.1:30080');
    expect(rewrittenFrom).toBe('http://127.0.0.1:8080');
    expect(sql.toString()).toBe("INSERT INTO o VALUES ('http://127.0.0.1:30080/x');\n");
  });
});
