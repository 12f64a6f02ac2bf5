/**
 * A live site's path, end to end, through the user's commands: a site with a post and an
 * uploaded image on Docker (Debian bookworm images: WordPress 6.1, MariaDB 10.11) is backed
 * up, moved to Kubernetes (`npm run migrate`), restored into a fresh Docker stack, upgraded to
 * the trixie images (WordPress 6.8, MariaDB 11.8) on both targets; a corrupt archive is refused;
 * with data protection on, `destroy` keeps the site. Writes e2e-results/lifecycle.json.
 * Run: npm run e2e:lifecycle
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORDPRESS } from '../constructs/app-model';
import { siteContainers } from '../lifecycle/containers';
import { query } from '../lifecycle/site';
import { deployedStack } from '../lifecycle/stack';
import { loadConfig } from '../stacks/config';
import { DOCKER_STACK } from '../stacks/docker-stack';
import { KUBERNETES_STACK } from '../stacks/kubernetes-stack';
import { SWARM_STACK } from '../stacks/swarm-stack';
import { addToPost, logIn, pageAddresses, updateDatabaseAndReadVersion, uploadMedia, withPage } from './lib/browser';
import { get } from './lib/http';
import { dockerLeftovers, removeDockerLeftovers, runE2e } from './lib/leftovers';
import { check, writeResults } from './lib/results';
import { CDKTF_ENV, RESULTS_DIR, cdktf, log, need, run } from './lib/run';
import { assertStateHoldsOnly } from './lib/state';
import { installAndPublishInBrowser } from './lib/steps';
import { seconds } from './lib/timing';
import { postIsServed, waitForPost } from './lib/wordpress';

const LOG = 'lifecycle';
const E2E_NAME = 'wpcdk-lc';
const DOCKER_PORT = 18380;
const SWARM_PORT = 18381;
const NODE_PORT = 30380;
const urls = { docker: `http://127.0.0.1:${DOCKER_PORT}`, k8s: `http://127.0.0.1:${NODE_PORT}`, swarm: `http://127.0.0.1:${SWARM_PORT}` };
type Target = keyof typeof urls;
const STACK: Record<Target, string> = { docker: DOCKER_STACK, k8s: KUBERNETES_STACK, swarm: SWARM_STACK };

const images = {
  old: { WPCDK_WORDPRESS_IMAGE: process.env.WPCDK_WORDPRESS_IMAGE, WPCDK_MYSQL_IMAGE: process.env.WPCDK_MYSQL_IMAGE },
  next: { wordpress: process.env.WPCDK_NEXT_WORDPRESS_IMAGE ?? '', mysql: process.env.WPCDK_NEXT_MYSQL_IMAGE ?? '' },
};
// One environment for both stacks (each reads its own settings): own names and ports, so a
// deployment of the user's is never touched; WordPress never calls out to the internet.
const baseEnv: Record<string, string> = {
  WPCDK_APP_NAME: E2E_NAME,
  WPCDK_HOST_PORT: String(DOCKER_PORT),
  WPCDK_SWARM_HOST_PORT: String(SWARM_PORT),
  WPCDK_NAMESPACE: E2E_NAME,
  WPCDK_NODE_PORT: String(NODE_PORT),
  WPCDK_IMAGE_PULL_POLICY: 'Never',
  WPCDK_WORDPRESS_CONFIG_EXTRA: "define('WP_HTTP_BLOCK_EXTERNAL', true);",
};
const config = loadConfig({ ...process.env, ...baseEnv });
const kubeArgs = ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : [])];

const deploy = (target: Target, env: Record<string, string | undefined> = {}) =>
  cdktf(LOG, ['deploy', STACK[target], '--auto-approve'], { ...baseEnv, ...env });
const destroyAll = (target: Target) => cdktf(LOG, ['destroy', STACK[target], '--auto-approve'], { ...baseEnv, WPCDK_PROTECT_DATA: 'false' });
/** A project command as the user runs it (`npm run backup -- ...`); returns its result, failing or not. */
const npmRun = (script: string, args: string[], allowFailure = false) =>
  run(LOG, 'npm', ['run', '--silent', script, '--', ...args], { env: baseEnv, allowFailure });

/** The running database and WordPress containers of a target, found as the lifecycle commands find them. */
const site = (target: Target) => siteContainers(deployedStack(STACK[target], { ...process.env, ...baseEnv }));

/** SQL as the app user, with the container's own credentials; rows as tab-separated lines. */
async function sql(target: Target, statement: string): Promise<string[]> {
  return (await query((await site(target)).database, statement)).map((row) => row.join('\t'));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** What must survive a move, a restore and an upgrade: published posts, uploaded files, table checksums. */
async function fingerprint(target: Target) {
  const posts = await sql(target, "SELECT ID, post_title FROM wp_posts WHERE post_type = 'post' AND post_status = 'publish' ORDER BY ID");
  const listing = `cd ${WORDPRESS.contentPath}/uploads && find . -type f | LC_ALL=C sort | xargs -r sha256sum`;
  const files = (await (await site(target)).wordpress.exec(['sh', '-c', listing])).toString('utf8').trim();
  const tables = (await sql(target, 'CHECKSUM TABLE wp_posts, wp_postmeta, wp_users, wp_terms, wp_term_relationships')).join('\n');
  return { posts, files, tables };
}

async function waitForPods(timeoutMs = 600_000): Promise<void> {
  await run(LOG, 'kubectl', [...kubeArgs, 'wait', '-n', config.namespace, '--for=condition=Available', 'deployment', '--all', `--timeout=${timeoutMs / 1000}s`]);
}

async function imageSha(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return sha256(Buffer.from(await response.arrayBuffer()));
}

/** Upgrade a target's WordPress image, run the database update in the admin, report what changed. */
async function upgradeWordpress(target: Target, admin: { user: string; password: string }, site: { postId: number; postTitle: string; imagePath: string; imageSha: string }, env: Record<string, string | undefined>) {
  const dbVersionBefore = Number((await sql(target, "SELECT option_value FROM wp_options WHERE option_name = 'db_version'"))[0]);
  await deploy(target, env);
  if (target === 'k8s') await waitForPods();
  await waitForPost(urls[target], site.postId, site.postTitle, 300_000);
  const version = await withPage(async (page) => {
    await logIn(page, urls[target], admin.user, admin.password);
    return updateDatabaseAndReadVersion(page, urls[target], join(RESULTS_DIR, `lifecycle-${target}-admin-after-upgrade.png`));
  });
  const dbVersionAfter = Number((await sql(target, "SELECT option_value FROM wp_options WHERE option_name = 'db_version'"))[0]);
  const served = await postIsServed(urls[target], site.postId, site.postTitle) && (await imageSha(`${urls[target]}${site.imagePath}`)) === site.imageSha;
  return { wordpress_version: version, db_version_before: dbVersionBefore, db_version_after: dbVersionAfter, post_and_image_served: served };
}

async function main() {
  const results: Record<string, unknown> = { docker_url: urls.docker, k8s_url: urls.k8s };
  await run(LOG, 'docker', ['info', '--format', '{{.ServerVersion}}']).catch((e) => need(false, `a running Docker engine (${e.message})`, 'Run scripts/offline/docker-engine.sh.'));
  for (const image of [images.old.WPCDK_WORDPRESS_IMAGE, images.old.WPCDK_MYSQL_IMAGE, images.next.wordpress, images.next.mysql]) {
    need(!!image && (await run(LOG, 'docker', ['image', 'inspect', image], { allowFailure: true })).code === 0,
      `the local image ${image ?? '(unset)'}`, 'Run scripts/offline/setup.sh and source scripts/offline/env.sh (WPCDK_*_IMAGE, WPCDK_NEXT_*_IMAGE).');
  }
  need(existsSync(process.env.TF_CLI_CONFIG_FILE ?? ''), 'a Terraform CLI config (TF_CLI_CONFIG_FILE) with the provider mirror', 'Source scripts/offline/env.sh after scripts/offline/setup.sh.');
  need(existsSync(config.kubeconfig), `a kubeconfig at ${config.kubeconfig}`, 'Start the local cluster (scripts/cluster/up.sh) and source scripts/cluster/env.sh.');
  await run(LOG, 'kubectl', [...kubeArgs, 'get', '--raw', '/readyz']).catch((e) => need(false, `a reachable cluster (${e.message})`, 'Start it with scripts/cluster/up.sh.'));
  assertStateHoldsOnly(DOCKER_STACK, ['docker_container', 'docker_network', 'docker_volume'], (name) => name.startsWith(E2E_NAME));
  assertStateHoldsOnly(KUBERNETES_STACK, ['kubernetes_namespace_v1'], (name) => name === E2E_NAME);
  results.images = { from: images.old, to: images.next };

  log(LOG, '0. a clean start (a run that died may have left deployments)');
  await removeDockerLeftovers(LOG, E2E_NAME); // what a run that died left, also in another clone (whose state is gone)
  await destroyAll('docker');
  await destroyAll('k8s');

  log(LOG, '1. Docker (bookworm): deploy; in the browser install, publish a post, upload an image');
  await deploy('docker', images.old);
  const { postId, postTitle, adminUser, adminPassword } = await installAndPublishInBrowser(urls.docker, 'Lifecycle');
  const admin = { user: adminUser, password: adminPassword };
  const upload = join(RESULTS_DIR, 'lifecycle-upload.png');
  const media = await withPage(async (page) => {
    await logIn(page, urls.docker, admin.user, admin.password);
    await page.screenshot({ path: upload });
    const uploaded = await uploadMedia(page, urls.docker, upload);
    await addToPost(page, urls.docker, postId, `${urls.docker}/`, uploaded);
    return uploaded;
  });
  const uploadSha = sha256(readFileSync(upload));
  const imagePath = new URL(media.url).pathname;
  results.uploaded_media_sha256 = uploadSha;
  need((await imageSha(media.url)) === uploadSha, 'the uploaded image served as uploaded', media.url);
  const site = { postId, postTitle, imagePath, imageSha: uploadSha };
  const original = await fingerprint('docker');

  log(LOG, '2. npm run backup -- wordpress-docker');
  const archive = join(RESULTS_DIR, 'lifecycle-backup.tar.gz');
  rmSync(archive, { force: true }); // an earlier run's (backup never overwrites a file)
  let t0 = Date.now();
  await npmRun('backup', [DOCKER_STACK, '--out', archive]);
  results.backup_seconds = seconds(Date.now() - t0);
  results.archive_bytes = readFileSync(archive).length;

  log(LOG, '3. Kubernetes (bookworm): deploy, then npm run migrate -- wordpress-docker wordpress-k8s');
  await deploy('k8s', images.old);
  await waitForPods();
  t0 = Date.now();
  await npmRun('migrate', [DOCKER_STACK, KUBERNETES_STACK]);
  results.migrate_seconds = seconds(Date.now() - t0);

  log(LOG, '4. browser on the Kubernetes URL: the post, its image, no link to the old URL');
  const postUrl = `${urls.k8s}/?p=${postId}`;
  const addresses = await withPage(async (page) => {
    const found = await pageAddresses(page, postUrl);
    await page.getByText(postTitle).first().waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'lifecycle-k8s-migrated.png'), fullPage: true });
    return found;
  });
  const html = (await get(postUrl)).body;
  const oldHost = new URL(urls.docker).host;
  results.migrated_post_seen = html.includes(postTitle);
  const migratedImage = addresses.find((a) => a.endsWith(imagePath.split('/').pop()!) && a.startsWith(urls.k8s));
  results.migrated_media_sha256_equal = !!migratedImage && (await imageSha(migratedImage)) === uploadSha;
  const oldLinks = [...addresses.filter((a) => a.includes(oldHost)), ...(html.match(new RegExp(oldHost.replace(/\./g, '\\.'), 'g')) ?? [])];
  results.old_url_links_after_migrate = oldLinks.length;
  results.migrated_page_addresses = addresses.length;
  const migrated = await fingerprint('k8s');
  results.migrated_posts_equal = JSON.stringify(migrated.posts) === JSON.stringify(original.posts);

  log(LOG, '5. restore the same archive into a freshly deployed Docker stack');
  await destroyAll('docker');
  await deploy('docker', images.old);
  t0 = Date.now();
  await npmRun('restore', [DOCKER_STACK, archive]);
  results.restore_seconds = seconds(Date.now() - t0);
  const restored = await fingerprint('docker');
  results.restore_roundtrip_equal = JSON.stringify(restored.posts) === JSON.stringify(original.posts) && restored.files === original.files;
  await npmRun('restore', [DOCKER_STACK, archive]);
  const again = await fingerprint('docker');
  results.restore_idempotent = JSON.stringify(again) === JSON.stringify(restored);
  results.restored_post_served = await postIsServed(urls.docker, postId, postTitle);

  log(LOG, '6. a corrupt archive (one flipped byte) is refused and changes nothing');
  const bytes = readFileSync(archive);
  const corrupt = join(RESULTS_DIR, 'lifecycle-corrupt.tar.gz');
  const offset = Math.floor(bytes.length / 2);
  bytes[offset] ^= 0xff;
  writeFileSync(corrupt, bytes);
  const before = await fingerprint('docker');
  const refused = await npmRun('restore', [DOCKER_STACK, corrupt], true);
  const after = await fingerprint('docker');
  results.corrupt_archive_exit_code = refused.code;
  results.corrupt_archive_message = (refused.stderr || refused.stdout).trim().split('\n').slice(-3).join(' / ');
  results.corrupt_archive_refused = refused.code !== 0 && JSON.stringify(after) === JSON.stringify(before);

  log(LOG, '7. upgrade to trixie on Kubernetes: WordPress 6.1 -> 6.8, then MariaDB 10.11 -> 11.8');
  const k8sWordpress = await upgradeWordpress('k8s', admin, site, { ...images.old, WPCDK_WORDPRESS_IMAGE: images.next.wordpress });
  const k8sBeforeDb = await fingerprint('k8s');
  await deploy('k8s', { WPCDK_WORDPRESS_IMAGE: images.next.wordpress, WPCDK_MYSQL_IMAGE: images.next.mysql });
  await waitForPods();
  await waitForPost(urls.k8s, postId, postTitle, 300_000);
  const k8sDbVersion = (await sql('k8s', 'SELECT VERSION()'))[0];
  const k8sAfterDb = await fingerprint('k8s');
  results.k8s = { ...k8sWordpress, mariadb_version_after: k8sDbVersion, mariadb_data_kept: JSON.stringify(k8sAfterDb) === JSON.stringify(k8sBeforeDb) };

  log(LOG, '8. upgrade to trixie on Docker: both images at once');
  const dockerUpgrade = await upgradeWordpress('docker', admin, site, { WPCDK_WORDPRESS_IMAGE: images.next.wordpress, WPCDK_MYSQL_IMAGE: images.next.mysql });
  const dockerDbVersion = (await sql('docker', 'SELECT VERSION()'))[0];
  const dockerAfter = await fingerprint('docker');
  results.docker = { ...dockerUpgrade, mariadb_version_after: dockerDbVersion, posts_kept: JSON.stringify(dockerAfter.posts) === JSON.stringify(original.posts) && dockerAfter.files === original.files };

  results.wordpress_version_after_upgrade = k8sWordpress.wordpress_version;
  results.db_version_increased = [k8sWordpress, dockerUpgrade].every((r) => r.db_version_after > r.db_version_before);
  results.post_survived_upgrade = [k8sWordpress, dockerUpgrade].every((r) => r.post_and_image_served) && await postIsServed(urls.k8s, postId, postTitle);
  const docker = results.docker as { posts_kept: boolean };
  results.mariadb_major_upgrade_kept_data = /^11\.8\./.test(k8sDbVersion) && /^11\.8\./.test(dockerDbVersion)
    && (results.k8s as { mariadb_data_kept: boolean }).mariadb_data_kept && docker.posts_kept;

  log(LOG, '9. data protection on (the default): destroy refuses, deploy brings the same site');
  const nextImages = { WPCDK_WORDPRESS_IMAGE: images.next.wordpress, WPCDK_MYSQL_IMAGE: images.next.mysql };
  // The user's command (README): npm run destroy.
  const destroy = await run(LOG, 'npm', ['run', '--silent', 'destroy', '--', '--skip-provider-lock'], { env: { ...CDKTF_ENV, ...baseEnv, ...nextImages }, allowFailure: true });
  results.protected_destroy_message = destroy.stderr.trim().split('\n').pop();
  results.protected_destroy_refused = destroy.code !== 0 && /not destroyed and nothing changed: data protection is on/.test(destroy.stderr);
  const volumes = (await run(LOG, 'docker', ['volume', 'ls', '-q', '--filter', `name=^${E2E_NAME}-`])).stdout.split('\n').filter(Boolean);
  await deploy('docker', nextImages);
  await waitForPost(urls.docker, postId, postTitle);
  const protectedAfter = await fingerprint('docker');
  results.data_kept_across_destroy = results.protected_destroy_refused === true && volumes.length === 2
    && JSON.stringify(protectedAfter.posts) === JSON.stringify(original.posts) && protectedAfter.files === original.files;

  log(LOG, '10. destroy Kubernetes; Swarm (a single-node swarm): npm run migrate -- wordpress-docker wordpress-swarm');
  await destroyAll('k8s');
  await run(LOG, 'bash', ['scripts/swarm/up.sh']);
  try {
    await destroyAll('swarm');
    // First on the older images: the (upgraded) site would be a WordPress downgrade there.
    await deploy('swarm', images.old);
    const downgrade = await npmRun('migrate', [DOCKER_STACK, SWARM_STACK], true);
    results.mismatched_archive_refused = downgrade.code !== 0 && /downgrade/.test(downgrade.stderr + downgrade.stdout);
    await deploy('swarm', nextImages);
    await npmRun('migrate', [DOCKER_STACK, SWARM_STACK]);
    const swarmPost = (await get(`${urls.swarm}/?p=${postId}`)).body;
    results.swarm = {
      migrated_post_seen: swarmPost.includes(postTitle),
      migrated_media_sha256_equal: (await imageSha(`${urls.swarm}${imagePath}`)) === uploadSha,
      old_url_links_after_migrate: swarmPost.split(oldHost).length - 1,
    };
    await destroyAll('swarm');
  } finally {
    await run(LOG, 'bash', ['scripts/swarm/down.sh']);
  }

  log(LOG, '11. destroy Docker with WPCDK_PROTECT_DATA=false; nothing is left');
  await destroyAll('docker');
  const left = [
    ...await dockerLeftovers(LOG, E2E_NAME),
    ...((await run(LOG, 'kubectl', [...kubeArgs, 'get', 'namespace', config.namespace], { allowFailure: true })).code === 0 ? [`namespace ${config.namespace}`] : []),
  ];
  results.leftovers_after_destroy = left.length;
  if (left.length) results.leftover_list = left;

  writeResults('lifecycle', results);
  check(results, {
    migrated_post_seen: (v) => v === true,
    migrated_media_sha256_equal: (v) => v === true,
    old_url_links_after_migrate: (v) => v === 0,
    restore_roundtrip_equal: (v) => v === true,
    restore_idempotent: (v) => v === true,
    wordpress_version_after_upgrade: (v) => typeof v === 'string' && v.startsWith('6.8'),
    db_version_increased: (v) => v === true,
    post_survived_upgrade: (v) => v === true,
    mariadb_major_upgrade_kept_data: (v) => v === true,
    corrupt_archive_refused: (v) => v === true,
    mismatched_archive_refused: (v) => v === true,
    swarm: (v) => JSON.stringify(v) === JSON.stringify({ migrated_post_seen: true, migrated_media_sha256_equal: true, old_url_links_after_migrate: 0 }),
    data_kept_across_destroy: (v) => v === true,
    leftovers_after_destroy: (v) => v === 0,
  });
  log(LOG, 'e2e lifecycle: all checks passed');
}

runE2e('e2e lifecycle', LOG, [E2E_NAME], main);

