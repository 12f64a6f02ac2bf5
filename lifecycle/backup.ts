import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeArchive } from './archive';
import { SiteContainers } from './containers';
import { Manifest } from './manifest';
import { dumpContent, dumpDatabase, siteFacts } from './site';
import { DeployedStack, ROOT } from './stack';

export class BackupError extends Error {}

/** `20250102T030405Z`: a UTC timestamp that sorts and fits a file name. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/** `backups/<stack>[-<kind>]-<timestamp>.tar.gz`, with `-2`, `-3`... if one of that second exists. */
export function defaultArchivePath(stack: string, kind?: string, date: Date = new Date(), root: string = ROOT): string {
  const base = join(root, 'backups', `${stack}${kind ? `-${kind}` : ''}-${timestamp(date)}`);
  for (let n = 1; ; n++) {
    const file = `${base}${n === 1 ? '' : `-${n}`}.tar.gz`;
    if (!existsSync(file)) return file;
  }
}

/**
 * Backs up a running site into `out`: a consistent database dump, the content
 * directories and the manifest. `allowEmpty` accepts a site whose WordPress
 * is not installed yet (a safety backup before a restore).
 */
export async function backupSite(stack: DeployedStack, site: SiteContainers, out: string, options: { allowEmpty?: boolean } = {}): Promise<Manifest> {
  const facts = await siteFacts(site);
  if (facts.table_prefix === null && !options.allowEmpty) {
    throw new BackupError(`${stack.id}: WordPress is not installed (no options table in the database of ${site.database.describe}): nothing to back up`);
  }
  mkdirSync(dirname(out), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'wpcdk-backup-'));
  try {
    await dumpDatabase(site, join(work, 'database.sql'));
    await dumpContent(site, join(work, 'content.tar'));
    return await writeArchive(out, work, { created_at: new Date().toISOString(), stack: stack.id, target: stack.target, ...facts });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
