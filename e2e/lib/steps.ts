import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { installLoginAndPublish } from './browser';
import { RESULTS_DIR, cdktf } from './run';
import { plannedChanges } from './terraform';
import { findPublishedPost } from './wordpress';

/** Steps both e2e runs share, each returning what goes into the results file. */

/** The browser flow on a fresh site; the post must then be published (REST API). */
export async function installAndPublishInBrowser(baseUrl: string, target: string) {
  const postTitle = `Hello from cdktf on ${target} ${randomBytes(3).toString('hex')}`;
  const admin = { adminUser: 'admin', adminPassword: randomBytes(12).toString('base64url') };
  const postId = await installLoginAndPublish({
    baseUrl,
    siteTitle: `wordpress-cdktf on ${target}`,
    ...admin,
    postTitle,
    screenshot: join(RESULTS_DIR, `${target.toLowerCase()}-post.png`),
  });
  const browserInstallOk = (await findPublishedPost(baseUrl, postTitle))?.id === postId;
  return { postId, postTitle, browserInstallOk, ...admin };
}

/** `cdktf deploy` once more, then counts what a fresh plan would still change. */
export async function redeployAndCountChanges(logName: string, stack: string, env: NodeJS.ProcessEnv) {
  await cdktf(logName, ['deploy', stack, '--auto-approve'], env);
  const noop = await plannedChanges(logName, stack);
  return { noop_changes: noop.count, ...(noop.count > 0 ? { noop_change_list: noop.changes } : {}) };
}
