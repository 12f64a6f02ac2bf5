/**
 * End-to-end on the local Docker engine, through the user's path
 * (`cdktf deploy wordpress-docker`), with the docker-compose baseline.
 * Writes e2e-results/docker.json. Run: npm run e2e:docker
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_IMAGES, LABEL, MYSQL, SERVICE } from '../constructs/app-model';
import { loadConfig } from '../stacks/config';
import { DOCKER_STACK } from '../stacks/docker-stack';
import { installAndPublishInBrowser, redeployAndCountChanges } from './lib/steps';
import { composeFile } from './compose';
import { waitFor } from './lib/http';
import { median, seconds } from './lib/timing';
import { composeContainers, stackContainers, timeToFirst200 } from './lib/docker-events';
import { RESULTS_DIR, cdktf, log, need, run } from './lib/run';
import { check, writeResults } from './lib/results';
import { DOCKER_PIDS_REASON, containerSecurity, securityGaps } from './lib/security';
import { addresses, applyReplacing } from './lib/terraform';
import { assertStateHoldsOnly } from './lib/state';
import { dockerLeftovers, removeDockerLeftovers, runE2e } from './lib/leftovers';
import { postServedSteadily, waitForPost } from './lib/wordpress';

const LOG = 'docker';
// Free text with Terraform template syntax (in a PHP comment) must reach the container as written.
const BLOCK_EXTERNAL = "define('WP_HTTP_BLOCK_EXTERNAL', true); /* ${HOME} %{x} */";
const E2E_NAME = 'wpcdk-e2e';
// Own names and port, so a deployment of the user's is never touched; and
// WordPress without internet: no calls out for translations or updates.
const stackEnv = {
  WPCDK_APP_NAME: E2E_NAME,
  // The run ends with a destroy of everything it made, data included.
  WPCDK_PROTECT_DATA: 'false',
  WPCDK_HOST_PORT: process.env.E2E_HOST_PORT ?? '18080',
  WPCDK_WORDPRESS_CONFIG_EXTRA: BLOCK_EXTERNAL,
  // As `npm run deploy` runs it: only the deployed stack is synthesized.
  WPCDK_STACKS: DOCKER_STACK,
};
const config = loadConfig({ ...process.env, ...stackEnv });
const images = { wordpress: config.wordpressImage ?? DEFAULT_IMAGES.wordpress, mysql: config.mysqlImage ?? DEFAULT_IMAGES.mysql };
const HOST_PORT = Number(stackEnv.WPCDK_HOST_PORT);
const baseUrl = `http://127.0.0.1:${HOST_PORT}`;
const COMPOSE_PORT = HOST_PORT + 1;
const COMPOSE_PROJECT = 'wpcdk-compose-baseline';
const ROUNDS = Number(process.env.E2E_TIMING_ROUNDS ?? 5);

const docker = (...args: string[]) => run(LOG, 'docker', args);

async function stackContainerNames(): Promise<string[]> {
  const { stdout } = await docker('ps', '-a', '--filter', `label=${LABEL.partOf}=${E2E_NAME}`, '--format', '{{.Names}}');
  return stdout.split('\n').filter(Boolean);
}

/** True when nothing accepts a TCP connection on 127.0.0.1:<port>. */
function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 2000 });
    socket.on('connect', () => { socket.destroy(); resolve(false); });
    socket.on('timeout', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(true));
  });
}

async function composeBaseline(): Promise<{ fromCreate: number; fromCommand: number }> {
  const file = join(RESULTS_DIR, 'docker-compose.yml');
  const compose = composeFile({ wordpressImage: images.wordpress, mysqlImage: images.mysql, hostPort: COMPOSE_PORT, configExtra: BLOCK_EXTERNAL });
  writeFileSync(file, compose.yaml);
  // Each secret the descriptions name is generated here, for this run only.
  const env = Object.fromEntries(compose.secretVariables.map((name) => [name, randomBytes(16).toString('hex')]));
  const dockerCompose = (...args: string[]) => run(LOG, 'docker-compose', ['-p', COMPOSE_PROJECT, '-f', file, ...args], { env });
  await dockerCompose('down', '-v', '--remove-orphans');
  try {
    return await timeToFirst200(`http://127.0.0.1:${COMPOSE_PORT}`, composeContainers(COMPOSE_PROJECT, SERVICE.wordpress), () => dockerCompose('up', '-d'));
  } finally {
    await dockerCompose('down', '-v', '--remove-orphans');
  }
}

async function main() {
  await run(LOG, 'docker', ['info', '--format', '{{.ServerVersion}}']).catch((e) => need(false, `a running Docker engine (${e.message})`, 'Run scripts/offline/docker-engine.sh.'));
  for (const image of Object.values(images)) {
    // Outside CI the provider may pull a missing image; in CI (offline) it must be local.
    const local = await run(LOG, 'docker', ['image', 'inspect', image], { allowFailure: true });
    need(local.code === 0 || process.env.CI !== 'true', `the local image ${image}`, 'Run scripts/offline/images.sh and source scripts/offline/env.sh.');
  }
  need(existsSync(process.env.TF_CLI_CONFIG_FILE ?? '') || process.env.CI !== 'true', 'a Terraform CLI config (TF_CLI_CONFIG_FILE) with the provider mirror', 'Source scripts/offline/env.sh after scripts/offline/setup.sh.');
  const results: Record<string, unknown> = { stack: DOCKER_STACK, url: baseUrl, wordpress_image: images.wordpress, mysql_image: images.mysql };
  assertStateHoldsOnly(DOCKER_STACK, ['docker_container', 'docker_network', 'docker_volume'], (name) => name.startsWith(E2E_NAME));

  // Startup time is noisy on a small machine (disk-bound first copy of the
  // WordPress tree): alternate compose and cdktf ROUNDS times, compare medians.
  log(LOG, `1. cdktf deploy ${DOCKER_STACK}, alternating with the docker-compose baseline (${ROUNDS} rounds)`);
  await removeDockerLeftovers(LOG, E2E_NAME); // what a run that died left, also in another clone (whose state is gone)
  await cdktf(LOG, ['destroy', DOCKER_STACK, '--auto-approve'], stackEnv); // a clean start
  const outputsFile = join(RESULTS_DIR, 'docker-outputs.json');
  const composeRuns: { fromCreate: number; fromCommand: number }[] = [];
  const deployRuns: { fromCreate: number; fromCommand: number; deploySeconds: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    composeRuns.push(await composeBaseline());
    const deployStart = Date.now();
    const timing = await timeToFirst200(baseUrl, stackContainers(E2E_NAME, SERVICE.wordpress), () =>
      cdktf(LOG, ['deploy', DOCKER_STACK, '--auto-approve', '--outputs-file', outputsFile], stackEnv));
    deployRuns.push({ ...timing, deploySeconds: seconds(Date.now() - deployStart) });
    if (round < ROUNDS) await cdktf(LOG, ['destroy', DOCKER_STACK, '--auto-approve'], stackEnv);
  }
  results.compose_first_200_seconds = median(composeRuns.map((r) => r.fromCreate));
  results.compose_command_to_200_seconds = median(composeRuns.map((r) => r.fromCommand));
  results.first_200_seconds = median(deployRuns.map((r) => r.fromCreate));
  results.deploy_command_to_200_seconds = median(deployRuns.map((r) => r.fromCommand));
  results.deploy_seconds = median(deployRuns.map((r) => r.deploySeconds));
  results.first_200_ratio_to_compose = Number(((results.first_200_seconds as number) / (results.compose_first_200_seconds as number)).toFixed(2));
  results.first_200_samples = { compose: composeRuns.map((r) => r.fromCreate), cdktf: deployRuns.map((r) => r.fromCreate) };
  results.output_url = JSON.parse(readFileSync(outputsFile, 'utf8'))[DOCKER_STACK]?.url;
  need(results.output_url === baseUrl, `the stack output url ${baseUrl}`, `got ${JSON.stringify(results.output_url)}`);

  log(LOG, '2. browser: install, log in, publish a post');
  const { postId, postTitle, browserInstallOk } = await installAndPublishInBrowser(baseUrl, 'Docker');
  results.browser_install_ok = browserInstallOk;

  log(LOG, '3. deploy again with no changes');
  Object.assign(results, await redeployAndCountChanges(LOG, DOCKER_STACK, stackEnv));

  log(LOG, '3b. what each container runs with (docker inspect): limits, no-new-privileges, read-only root');
  const appContainers = await stackContainerNames();
  // kreuzwerker/docker has no pids_limit for docker_container (neither 3.6.2 nor the mirror's later build).
  const securityContainers = await containerSecurity(LOG, appContainers, (_name, field) => (field === 'pids_limit' ? DOCKER_PIDS_REASON : undefined));
  writeResults('security-containers-docker', { target: 'docker', containers: securityContainers });
  const gaps = securityGaps(securityContainers, ['pids_limit']);
  results.container_security_gaps = gaps.length;
  if (gaps.length) results.container_security_gap_list = gaps;

  log(LOG, '4. replace both containers');
  await applyReplacing(LOG, DOCKER_STACK, addresses(DOCKER_STACK, 'docker_container'));
  await waitForPost(baseUrl, postId, postTitle);
  results.post_survived_replace = await postServedSteadily(baseUrl, postId, postTitle);

  log(LOG, '5. kill the database process; the restart policy brings it back');
  // `docker kill` counts as a manual stop and disables the restart policy;
  // killing the container's main process is what a crash looks like.
  const dbName = `${E2E_NAME}-mysql`;
  const restartsBefore = Number((await docker('inspect', '-f', '{{.RestartCount}}', dbName)).stdout.trim());
  const pid = (await docker('inspect', '-f', '{{.State.Pid}}', dbName)).stdout.trim();
  const killedAt = Date.now();
  await run(LOG, 'kill', ['-KILL', pid]);
  await waitFor(`${baseUrl}/?p=${postId}`, () => false, 1500, 100).catch(() => undefined); // give the crash time to be seen
  const recoveredAt = await waitForPost(baseUrl, postId, postTitle);
  const restartsAfter = Number((await docker('inspect', '-f', '{{.RestartCount}}', dbName)).stdout.trim());
  results.db_restarted_by_policy = restartsAfter === restartsBefore + 1;
  results.db_kill_recovered_seconds = seconds(recoveredAt - killedAt);

  const wordpressEnv = JSON.parse((await docker('inspect', '-f', '{{json .Config.Env}}', `${E2E_NAME}-wordpress`)).stdout) as string[];
  results.config_extra_passed_literally = wordpressEnv.includes(`WORDPRESS_CONFIG_EXTRA=${BLOCK_EXTERNAL}`);

  log(LOG, '6. the database port is not reachable from the host');
  const bindings = (await docker('inspect', '-f', '{{json .NetworkSettings.Ports}}', dbName)).stdout.trim();
  const published3306 = /HostPort/.test(bindings);
  results.db_port_closed_on_host = !published3306 && (await portClosed(MYSQL.port));

  log(LOG, '7. destroy');
  await cdktf(LOG, ['destroy', DOCKER_STACK, '--auto-approve'], stackEnv);
  const left = await dockerLeftovers(LOG, E2E_NAME);
  results.leftovers_after_destroy = left.length;
  if (left.length) results.leftover_list = left;

  writeResults('docker', results);
  check(results, {
    noop_changes: (v) => v === 0,
    post_survived_replace: (v) => v === true,
    db_port_closed_on_host: (v) => v === true,
    browser_install_ok: (v) => v === true,
    db_restarted_by_policy: (v) => v === true,
    config_extra_passed_literally: (v) => v === true,
    leftovers_after_destroy: (v) => v === 0,
    container_security_gaps: (v) => v === 0,
    first_200_ratio_to_compose: (v) => typeof v === 'number' && v <= 1.5,
  });
  log(LOG, 'e2e docker: all checks passed');
}

runE2e('e2e docker', LOG, [E2E_NAME], main);
