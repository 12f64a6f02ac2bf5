import { resolve } from 'node:path';
import { readArchive } from './archive';
import { backupSite, defaultArchivePath } from './backup';
import { siteContainers } from './containers';
import { restoreSite } from './restore';
import { deployedStack } from './stack';

/** The three commands, as `npm run backup|restore|migrate -- ...` run them. */

export class UsageError extends Error {}

type Print = (line: string) => void;
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(2);
const describe = (m: { wordpress_version: string; db_server_version: string; counts: { posts: number; attachments: number } }) =>
  `WordPress ${m.wordpress_version}, database ${m.db_server_version}, ${m.counts.posts} published posts, ${m.counts.attachments} attachments`;

/** `backup <stack> [--out <file>]`: the archive path is the last line printed. */
export async function backup(args: readonly string[], env: NodeJS.ProcessEnv, print: Print): Promise<string> {
  const [id, ...rest] = args;
  let out: string | undefined;
  if (rest.length === 2 && rest[0] === '--out') out = resolve(rest[1]);
  else if (rest.length !== 0 || !id) throw new UsageError('usage: npm run backup -- <stack> [--out <file>]');
  const started = Date.now();
  const stack = deployedStack(id, env);
  const site = await siteContainers(stack);
  const file = out ?? defaultArchivePath(stack.id);
  const manifest = await backupSite(stack, site, file);
  print(`backed up ${stack.id} (${stack.target}, ${manifest.site_url}): ${describe(manifest)}`);
  print(`backup took ${seconds(started)} s`);
  print(file);
  return file;
}

/** `restore <stack> <archive>`. */
export async function restore(args: readonly string[], env: NodeJS.ProcessEnv, print: Print): Promise<void> {
  if (args.length !== 2) throw new UsageError('usage: npm run restore -- <stack> <archive>');
  const started = Date.now();
  const stack = deployedStack(args[0], env);
  const archive = await readArchive(resolve(args[1]));
  try {
    print(`archive verified: ${archive.file} (${archive.manifest.stack}, ${archive.manifest.created_at}): ${describe(archive.manifest)}`);
    const site = await siteContainers(stack);
    await restoreSite(stack, site, archive, print);
    print(`restored into ${stack.id} (${stack.url})`);
    print(`restore took ${seconds(started)} s`);
  } finally {
    archive.dispose();
  }
}

/** `migrate <from-stack> <to-stack>`: a backup of one, restored into the other at its address. */
export async function migrate(args: readonly string[], env: NodeJS.ProcessEnv, print: Print): Promise<void> {
  if (args.length !== 2) throw new UsageError('usage: npm run migrate -- <from-stack> <to-stack>');
  const [fromId, toId] = args;
  if (fromId === toId) throw new UsageError(`migrate: from and to are both ${fromId}: give two different stacks (or use restore)`);
  const started = Date.now();
  // Both ends are checked before anything is written.
  const from = deployedStack(fromId, env);
  const to = deployedStack(toId, env);
  const [fromSite, toSite] = [await siteContainers(from), await siteContainers(to)];
  const file = defaultArchivePath(from.id);
  const manifest = await backupSite(from, fromSite, file);
  print(`backed up ${from.id}: ${describe(manifest)}: ${file}`);
  print(`backup took ${seconds(started)} s`);
  const restoreStarted = Date.now();
  const archive = await readArchive(file);
  try {
    await restoreSite(to, toSite, archive, print);
  } finally {
    archive.dispose();
  }
  print(`restored into ${to.id} (${to.url})`);
  print(`restore took ${seconds(restoreStarted)} s`);
  print(`migrate took ${seconds(started)} s`);
}

export const COMMANDS = { backup, restore, migrate } as const;
