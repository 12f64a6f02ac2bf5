import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../lifecycle/exec';
import { Shell } from '../../lifecycle/containers';
import { databaseCommand, siteFacts, wordpressPaths } from '../../lifecycle/site';

describe('wordpressPaths', () => {
  test('the volume holds the whole site (today)', () => {
    expect(wordpressPaths('/var/www/html')).toEqual({ root: '/var/www/html', wpContent: '/var/www/html/wp-content' });
  });
  test('the volume holds only wp-content', () => {
    expect(wordpressPaths('/var/www/html/wp-content/')).toEqual({ root: '/var/www/html', wpContent: '/var/www/html/wp-content' });
  });
});

describe('databaseCommand', () => {
  let bin: string;
  beforeEach(() => { bin = mkdtempSync(join(tmpdir(), 'fake-db-')); });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));
  /** A fake client printing its name, arguments, password and stdin. */
  const fake = (name: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $* pwd=$MYSQL_PWD"\ncat\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const run = (argv: string[], env: Record<string, string>, stdin = '') => runCommand('db', 'env', ['-i', `PATH=${bin}:/usr/bin:/bin`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv], { stdin: Buffer.from(stdin) }).then(String);
  const ENV = { MYSQL_USER: 'wp', MYSQL_PASSWORD: 's3cret', MYSQL_DATABASE: 'blog' };

  test('runs mariadb as the app user, the password in MYSQL_PWD, the database last', async () => {
    fake('mariadb');
    fake('mysql');
    expect(await run(databaseCommand('client', ['-N', '-e', 'SELECT 1']), ENV)).toBe('mariadb -h127.0.0.1 -P3306 -uwp --default-character-set=utf8mb4 -N -e SELECT 1 blog pwd=s3cret\n');
  });

  test('falls back to mysqldump, and reads MYSQL_PASSWORD_FILE (Swarm secrets)', async () => {
    fake('mysqldump');
    writeFileSync(join(bin, 'pw'), 'from-file');
    const env = { MYSQL_USER: 'wp', MYSQL_PASSWORD_FILE: join(bin, 'pw'), MYSQL_DATABASE: 'blog' };
    expect(await run(databaseCommand('dump', ['--single-transaction']), env)).toMatch(/^mysqldump .* --single-transaction blog pwd=from-file\n$/);
  });

  test('the mysql client gets the dump without MariaDB\'s sandbox line', async () => {
    fake('mysql');
    const out = await run(databaseCommand('client', []), ENV, '/*M!999999\\- enable the sandbox mode */ \nSELECT 1;\n');
    expect(out).toBe('mysql -h127.0.0.1 -P3306 -uwp --default-character-set=utf8mb4 blog pwd=s3cret\nSELECT 1;\n');
  });

  test('says what is missing', async () => {
    await expect(run(databaseCommand('client', []), ENV)).rejects.toThrow('neither mariadb nor mysql is installed');
    fake('mariadb');
    await expect(run(databaseCommand('client', []), { MYSQL_PASSWORD: 'x' })).rejects.toThrow('MYSQL_USER or MYSQL_DATABASE is not set');
  });
});

describe('siteFacts', () => {
  const shell = (answer: (argv: readonly string[]) => string): Shell => ({ describe: 'fake', exec: async (argv) => Buffer.from(answer(argv)) });
  const wordpress = shell(() => "<?php\n$wp_version = '6.1.9';\n");

  test('reads versions, prefix, site URL and counts', async () => {
    const database = shell((argv) => (argv.join(' ').includes('SHOW TABLES')
      ? '10.11.6-MariaDB\nblog_woo_options\nblog_options\n'
      : 'http://127.0.0.1:8080/\t53496\t3\t2\n'));
    expect(await siteFacts({ database, wordpress })).toEqual({
      site_url: 'http://127.0.0.1:8080', wordpress_version: '6.1.9', db_version: '53496', db_server_version: '10.11.6-MariaDB',
      table_prefix: 'blog_', counts: { posts: 3, attachments: 2 },
    });
  });

  test('a site whose WordPress is not installed has nulls', async () => {
    const database = shell(() => '11.8.2-MariaDB\n');
    expect(await siteFacts({ database, wordpress })).toMatchObject({ site_url: null, db_version: null, table_prefix: null, counts: { posts: 0, attachments: 0 } });
  });

  test('a container without version.php is named', async () => {
    await expect(siteFacts({ database: shell(() => ''), wordpress: shell(() => 'nothing') })).rejects.toThrow('fake: no $wp_version');
  });
});
