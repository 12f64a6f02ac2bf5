import { readFileSync } from 'node:fs';
import { VerifiedArchive, readArchive } from './archive';
import { backupSite, defaultArchivePath } from './backup';
import { SiteContainers } from './containers';
import { importDatabase, restoreContent, siteFacts } from './site';
import { DeployedStack } from './stack';
import { normalizeSiteUrl, rewriteSiteUrl } from './url-rewrite';

export class RestoreError extends Error {}

export interface RestoreResult {
  /** The backup of the target taken before anything changed. */
  readonly safetyBackup: string;
  /** The site address the archive's data was moved from, when it differed from the target's. */
  readonly rewrittenFrom?: string;
}

/** The archive's database, moved to the target's address when it was another one. */
export function databaseFor(archive: VerifiedArchive, targetUrl: string): { sql: Buffer | string; rewrittenFrom?: string } {
  const from = archive.manifest.site_url;
  const path = archive.path('database.sql');
  if (from === null || normalizeSiteUrl(from, 'the archive\'s site_url') === normalizeSiteUrl(targetUrl, 'the stack\'s url')) return { sql: path };
  return { sql: rewriteSiteUrl(readFileSync(path), from, targetUrl), rewrittenFrom: from };
}

/** `6.8.12` -> [6, 8, 12]; a part that is not a number counts as 0. */
function versionParts(version: string): number[] {
  return version.split(/[.-]/).slice(0, 3).map((part) => Number.parseInt(part, 10) || 0);
}

/**
 * Refuses an archive the target cannot take: a site from a newer WordPress than the target's
 * image (its database schema would be newer than the code reading it: a downgrade WordPress
 * does not support). Returns the reason, or undefined when the target can take it.
 */
export function mismatch(archive: { wordpress_version: string }, target: { wordpress_version: string }): string | undefined {
  const [a, t] = [versionParts(archive.wordpress_version), versionParts(target.wordpress_version)];
  const newer = a[0] > t[0] || (a[0] === t[0] && a[1] > t[1]);
  if (!newer) return undefined;
  return `the archive is a WordPress ${archive.wordpress_version} site and the target runs WordPress ${target.wordpress_version}: `
    + 'restoring it would downgrade WordPress; deploy the target with a WordPress image at least as new (WPCDK_WORDPRESS_IMAGE), then restore';
}

async function apply(site: SiteContainers, sql: Buffer | string, content: string): Promise<void> {
  await importDatabase(site, sql);
  await restoreContent(site, content);
}

/**
 * Restores a verified archive into a running stack: takes a safety backup of
 * the target, makes its database exactly the archive's (at the target's
 * address) and replaces its content directories. Idempotent. If that fails
 * half-way, restores the safety backup and says so.
 */
export async function restoreSite(stack: DeployedStack, site: SiteContainers, archive: VerifiedArchive, print: (line: string) => void): Promise<RestoreResult> {
  const refused = mismatch(archive.manifest, await siteFacts(site));
  if (refused) throw new RestoreError(`${stack.id}: ${refused}; nothing was changed`);
  const { sql, rewrittenFrom } = databaseFor(archive, stack.url);
  if (rewrittenFrom) print(`site address: ${rewrittenFrom} -> ${stack.url} (every link rewritten)`);
  const safetyBackup = defaultArchivePath(stack.id, 'pre-restore');
  await backupSite(stack, site, safetyBackup, { allowEmpty: true });
  print(`safety backup of ${stack.id} before the restore: ${safetyBackup}`);
  const safety = await readArchive(safetyBackup);
  try {
    try {
      await apply(site, sql, archive.path('content.tar'));
    } catch (error) {
      print(`restore into ${stack.id} failed: ${(error as Error).message}`);
      print(`rolling back: restoring the safety backup ${safetyBackup}`);
      try {
        await apply(site, safety.path('database.sql'), safety.path('content.tar'));
      } catch (rollbackError) {
        throw new RestoreError(`restore into ${stack.id} failed (${(error as Error).message}) and so did the rollback (${(rollbackError as Error).message}); `
          + `the site is as it was before in ${safetyBackup}: npm run restore -- ${stack.id} ${safetyBackup}`);
      }
      throw new RestoreError(`restore into ${stack.id} failed: ${(error as Error).message}; rolled back to the safety backup ${safetyBackup}: ${stack.id} is as it was before`);
    }
  } finally {
    safety.dispose();
  }
  return { safetyBackup, rewrittenFrom };
}
