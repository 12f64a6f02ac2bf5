import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VerifiedArchive } from '../../lifecycle/archive';
import { Manifest } from '../../lifecycle/manifest';
import { databaseFor } from '../../lifecycle/restore';

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
