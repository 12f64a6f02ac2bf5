import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { MYSQL, MYSQL_ENV, WORDPRESS } from '../constructs/app-model';
import { Shell, SiteContainers } from './containers';
import type { SiteFacts } from './manifest';

/**
 * What backup and restore do inside the stack's containers, with the tools
 * the images bring: the MariaDB or MySQL client and dump, tar, chown.
 */

/** The directories of wp-content a backup holds and a restore replaces. */
export const CONTENT_DIRS = WORDPRESS.contentParts;

/** The WordPress root and its wp-content, from where the content volume is mounted. */
export function wordpressPaths(contentPath: string = WORDPRESS.contentPath): { root: string; wpContent: string } {
  const path = contentPath.replace(/\/+$/, '');
  return posix.basename(path) === 'wp-content' ? { root: posix.dirname(path), wpContent: path } : { root: path, wpContent: posix.join(path, 'wp-content') };
}

/**
 * Runs the MariaDB / MySQL client (`client`) or dump (`dump`) as the app user,
 * with the credentials the DB container holds in its env: `MYSQL_PASSWORD`, or
 * `MYSQL_PASSWORD_FILE` (Swarm secrets). The password travels in MYSQL_PWD,
 * never on a command line. The database name comes last.
 */
export function databaseCommand(tool: 'client' | 'dump', args: readonly string[]): string[] {
  const { user, password, database } = MYSQL_ENV;
  const script = [
    'set -eu',
    `pw="\${${password}:-}"`,
    `if [ -n "\${${password}_FILE:-}" ]; then pw="$(cat "$${password}_FILE")"; fi`,
    `if [ -z "\${${user}:-}" ] || [ -z "\${${database}:-}" ]; then echo "${user} or ${database} is not set in this container" >&2; exit 3; fi`,
    'if [ "$1" = dump ]; then a=mariadb-dump; b=mysqldump; else a=mariadb; b=mysql; fi; shift',
    'if command -v "$a" >/dev/null 2>&1; then bin=$a; elif command -v "$b" >/dev/null 2>&1; then bin=$b; else echo "neither $a nor $b is installed in this container" >&2; exit 3; fi',
    `set -- -h127.0.0.1 -P${MYSQL.port} "-u$${user}" --default-character-set=utf8mb4 "$@" "$${database}"`,
    // MariaDB 11's dumps start with a line older and MySQL clients cannot read (its sandbox mode).
    "if [ \"$bin\" = mysql ]; then sed '1{/^\\/\\*M!999999\\\\- enable the sandbox mode \\*\\/ *$/d;}' | MYSQL_PWD=\"$pw\" \"$bin\" \"$@\"; exit; fi",
    'MYSQL_PWD="$pw" exec "$bin" "$@"',
  ].join('\n');
  return ['sh', '-c', script, 'sh', tool, ...args];
}

/** Rows of a query, tab-separated fields (the client's batch mode). */
export async function query(database: Shell, sql: string): Promise<string[][]> {
  const out = await database.exec(databaseCommand('client', ['-N', '-B', '-e', sql]));
  return out.toString('utf8').split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
}

const quoteName = (name: string) => `\`${name.replace(/`/g, '``')}\``;


/** Versions, table prefix, site URL and counts; the nulls when WordPress is not installed yet. */
export async function siteFacts(site: SiteContainers): Promise<SiteFacts> {
  const versionFile = posix.join(wordpressPaths().root, 'wp-includes', 'version.php');
  const php = (await site.wordpress.exec(['cat', versionFile])).toString('utf8');
  const wordpressVersion = /\$wp_version\s*=\s*'([^']+)'/.exec(php)?.[1];
  if (!wordpressVersion) throw new Error(`${site.wordpress.describe}: no $wp_version in ${versionFile}: is this a WordPress container?`);
  const [[serverVersion], ...tables] = await query(site.database, "SELECT VERSION(); SHOW TABLES LIKE '%options'");
  const prefix = tables.map(([name]) => name.slice(0, -'options'.length)).sort((a, b) => a.length - b.length)[0];
  if (prefix === undefined) {
    return { site_url: null, wordpress_version: wordpressVersion, db_version: null, db_server_version: serverVersion, table_prefix: null, counts: { posts: 0, attachments: 0 } };
  }
  const options = quoteName(`${prefix}options`);
  const posts = quoteName(`${prefix}posts`);
  const [[siteUrl, dbVersion, published, attachments]] = await query(site.database, [
    `SELECT (SELECT option_value FROM ${options} WHERE option_name = 'siteurl')`,
    `(SELECT option_value FROM ${options} WHERE option_name = 'db_version')`,
    `(SELECT COUNT(*) FROM ${posts} WHERE post_type = 'post' AND post_status = 'publish')`,
    `(SELECT COUNT(*) FROM ${posts} WHERE post_type = 'attachment')`,
  ].join(', '));
  const orNull = (value: string) => (value === 'NULL' || value === '' ? null : value);
  return {
    site_url: orNull(siteUrl)?.replace(/\/+$/, '') ?? null,
    wordpress_version: wordpressVersion,
    db_version: orNull(dbVersion),
    db_server_version: serverVersion,
    table_prefix: prefix,
    counts: { posts: Number(published), attachments: Number(attachments) },
  };
}

/** A consistent dump (one transaction) of the app database, without `CREATE DATABASE`: it restores into any name. */
export async function dumpDatabase(site: SiteContainers, file: string): Promise<void> {
  await site.database.exec(databaseCommand('dump', ['--single-transaction', '--no-tablespaces', '--routines', '--triggers']), { stdoutFile: file });
}

/**
 * Makes the database exactly the dump: drops every table and view it has
 * now, then runs the dump, in one client session.
 */
export async function importDatabase(site: SiteContainers, sql: Buffer | string): Promise<void> {
  const existing = await query(site.database, 'SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = DATABASE()');
  const drops = existing.map(([name, type]) => `DROP ${type === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteName(name)};\n`);
  const prologue = Buffer.from(`SET FOREIGN_KEY_CHECKS=0;\n${drops.join('')}SET FOREIGN_KEY_CHECKS=1;\n`);
  async function* stream() {
    yield prologue;
    if (Buffer.isBuffer(sql)) yield sql;
    else yield* createReadStream(sql);
  }
  await site.database.exec(databaseCommand('client', []), { stdin: Readable.from(stream()) });
}

/** `uploads`, `plugins` and `themes` (those that exist) as one tar, made by tar in the WordPress container. */
export async function dumpContent(site: SiteContainers, file: string): Promise<void> {
  const script = `set -eu; cd "$1"; shift; set -- $(for d in "$@"; do if [ -d "$d" ]; then echo "$d"; fi; done); exec tar -cf - -T /dev/null "$@"`;
  await site.wordpress.exec(['sh', '-c', script, 'sh', wordpressPaths().wpContent, ...CONTENT_DIRS], { stdoutFile: file });
}

/**
 * Replaces exactly `uploads`, `plugins` and `themes` with the tar's: unpacked
 * beside them first, then swapped in, owned by www-data. A directory the tar
 * does not hold is removed (the site had none).
 */
export async function restoreContent(site: SiteContainers, tarFile: string): Promise<void> {
  const staging = '.wpcdk-restore';
  const script = [
    'set -eu', 'cd "$1"; shift',
    `rm -rf ${staging}; mkdir ${staging}`,
    `tar -xf - -C ${staging} --no-same-owner`,
    `for d in "$@"; do rm -rf "$d"; if [ -e "${staging}/$d" ]; then mv "${staging}/$d" "$d"; chown -R www-data:www-data "$d"; fi; done`,
    `rm -rf ${staging}`,
  ].join('\n');
  await site.wordpress.exec(['sh', '-c', script, 'sh', wordpressPaths().wpContent, ...CONTENT_DIRS], { stdin: createReadStream(tarFile) });
}
