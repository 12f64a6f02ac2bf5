import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupSite, defaultArchivePath, timestamp } from '../../lifecycle/backup';
import { Shell } from '../../lifecycle/containers';
import { DeployedStack } from '../../lifecycle/stack';

const DATE = new Date('2025-01-02T03:04:05.678Z');

test('timestamp is UTC, sortable and fits a file name', () => {
  expect(timestamp(DATE)).toBe('20250102T030405Z');
});

test('defaultArchivePath never names an existing file', () => {
  const root = mkdtempSync(join(tmpdir(), 'backup-test-'));
  try {
    const first = defaultArchivePath('wordpress-docker', undefined, DATE, root);
    expect(first).toBe(join(root, 'backups', 'wordpress-docker-20250102T030405Z.tar.gz'));
    mkdirSync(join(root, 'backups'));
    writeFileSync(first, '');
    expect(defaultArchivePath('wordpress-docker', undefined, DATE, root)).toBe(join(root, 'backups', 'wordpress-docker-20250102T030405Z-2.tar.gz'));
    expect(defaultArchivePath('wordpress-docker', 'pre-restore', DATE, root)).toBe(join(root, 'backups', 'wordpress-docker-pre-restore-20250102T030405Z.tar.gz'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('backupSite refuses a site whose WordPress is not installed, writing nothing', async () => {
  const shell = (out: string): Shell => ({ describe: 'fake', exec: async () => Buffer.from(out) });
  const site = { database: shell('10.11.6-MariaDB\n'), wordpress: shell("$wp_version = '6.1.9';") };
  const stack = { id: 'wordpress-docker', target: 'docker', url: 'http://x' } as DeployedStack;
  const out = join(tmpdir(), `never-${process.pid}.tar.gz`);
  await expect(backupSite(stack, site, out)).rejects.toThrow('wordpress-docker: WordPress is not installed (no options table in the database of fake): nothing to back up');
});
