/**
 * End-to-end on a single-node Docker Swarm (scripts/swarm/up.sh), through the
 * user's path (`cdktf deploy wordpress-swarm`), with the `docker stack deploy`
 * baseline. Writes e2e-results/swarm.json. Run: npm run e2e:swarm
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IMAGES, SERVICE } from '../constructs/app-model';
import { loadConfig } from '../stacks/config';
import { SWARM_DEFAULTS, SWARM_STACK } from '../stacks/swarm-stack';
import { stackFile } from './compose';
import { composeContainers, stackContainers, timeToFirst200 } from './lib/docker-events';
import { distinctHeader, underLoad } from './lib/load';
import { get } from './lib/http';
import { check, writeResults } from './lib/results';
import { SecurityField, containerSecurity, securityGaps } from './lib/security';
import { RESULTS_DIR, cdktf, log, need, run, sleep } from './lib/run';
import { installAndPublishInBrowser, redeployAndCountChanges } from './lib/steps';
import { assertStateHoldsOnly } from './lib/state';
import { median, seconds } from './lib/timing';
import { postServedSteadily, waitForPost } from './lib/wordpress';

const LOG = 'swarm';
const E2E_NAME = 'wpcdk-e2e';
const PREFIX = `${E2E_NAME}${SWARM_DEFAULTS.nameSuffix}`;
const BLOCK_EXTERNAL = "define('WP_HTTP_BLOCK_EXTERNAL', true);";
const HOST_PORT = Number(process.env.E2E_SWARM_PORT ?? 18090);
const REPLICAS = 2;
// Own names and port, so a deployment of the user's is never touched.
const stackEnv = {
  WPCDK_APP_NAME: E2E_NAME,
  // The run ends with a destroy of everything it made, data included.
  WPCDK_PROTECT_DATA: 'false',
  WPCDK_SWARM_HOST_PORT: String(HOST_PORT),
  WPCDK_WORDPRESS_REPLICAS: String(REPLICAS),
  WPCDK_WORDPRESS_CONFIG_EXTRA: BLOCK_EXTERNAL,
};
const config = loadConfig({ ...process.env, ...stackEnv });
const images = {
  wordpress: config.wordpressImage ?? DEFAULT_IMAGES.wordpress,
  mysql: config.mysqlImage ?? DEFAULT_IMAGES.mysql,
  haproxy: config.loadBalancerImage ?? DEFAULT_IMAGES.haproxy,
};
const baseUrl = `http://127.0.0.1:${HOST_PORT}`;
const BASELINE = 'wpcdk-stack-baseline';
const BASELINE_PORT = HOST_PORT + 1;
const ROUNDS = Number(process.env.E2E_TIMING_ROUNDS ?? 3);
const outputsFile = join(RESULTS_DIR, 'swarm-outputs.json');

const docker = (...args: string[]) => run(LOG, 'docker', args);
/** Why a Swarm task container lacks a setting here: what the provider and the engine's Swarm API cannot set. */
const SWARM_REASONS: Partial<Record<SecurityField, string>> = {
  pids_limit: 'docker_service of the docker provider (3.6.2 and the mirror\'s build) has no pids limit for tasks',
  no_new_privileges: 'Swarm services cannot set no-new-privileges on this engine (docker.io 20.10, API 1.41; added to Swarm in a later API) nor in docker_service of the provider',
};
const lines = (out: string) => out.split('\n').filter(Boolean);

/** Every object of the stack on the engine, by kind: what destroy must leave empty. */
async function stackObjects(prefix: string): Promise<string[]> {
  const list = async (kind: string, ...args: string[]) =>
    lines((await docker(kind, 'ls', ...args, '--format', '{{.Name}}')).stdout).filter((n) => n.startsWith(prefix)).map((n) => `${kind} ${n}`);
  return [
    ...(await list('service')), ...(await list('secret')), ...(await list('config')),
    ...(await list('network')), ...(await list('volume')),
  ];
}

/** Waits until no container of the prefix is left (Swarm removes task containers after the service). */
async function noContainersLeft(prefix: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const names = lines((await docker('ps', '-a', '--format', '{{.Names}}')).stdout).filter((n) => n.startsWith(prefix));
    if (names.length === 0) return;
    await sleep(500);
  }
  throw new Error(`containers of ${prefix} still there after ${timeoutMs} ms`);
}

/** `docker stack deploy` of the same app, rendered from the same descriptions; returns the timing. */
async function stackDeployBaseline() {
  const dir = join(RESULTS_DIR, 'stack-baseline');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = stackFile({
    wordpressImage: images.wordpress, mysqlImage: images.mysql, loadBalancerImage: images.haproxy,
    hostPort: BASELINE_PORT, configExtra: BLOCK_EXTERNAL, replicas: REPLICAS,
  });
  writeFileSync(join(dir, 'docker-stack.yml'), file.yaml);
  for (const name of file.secretNames) writeFileSync(join(dir, name), randomBytes(16).toString('hex'), { mode: 0o600 });
  for (const [name, content] of Object.entries(file.configs)) writeFileSync(join(dir, name), content);
  const remove = async () => {
    await run(LOG, 'docker', ['stack', 'rm', BASELINE], { allowFailure: true });
    await noContainersLeft(`${BASELINE}_`);
    for (const name of lines((await docker('volume', 'ls', '--format', '{{.Name}}')).stdout)) {
      if (name.startsWith(`${BASELINE}_`)) await run(LOG, 'docker', ['volume', 'rm', name], { allowFailure: true });
    }
    // The stack's network goes a little after its services.
    for (let i = 0; i < 20 && (await stackObjects(`${BASELINE}_`)).length; i++) await sleep(500);
  };
  await remove();
  try {
    return await timeToFirst200(`http://127.0.0.1:${BASELINE_PORT}`, composeContainers(BASELINE, SERVICE.loadBalancer), () =>
      run(LOG, 'docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', 'docker-stack.yml', BASELINE], { cwd: dir }));
  } finally {
    await remove();
  }
}

interface Task { id: string; container: string; pid: number }

/** Running task containers of a service. */
async function runningTasks(service: string): Promise<Task[]> {
  const names = lines((await docker('ps', '--filter', `label=com.docker.swarm.service.name=${service}`, '--format', '{{.Names}}')).stdout);
  return Promise.all(names.map(async (container) => {
    const [id, pid] = (await docker('inspect', '-f', '{{index .Config.Labels "com.docker.swarm.task.id"}} {{.State.Pid}}', container)).stdout.trim().split(' ');
    return { id, container, pid: Number(pid) };
  }));
}

/** Waits until the service has `count` running tasks, none of them in `exclude`, all healthy. */
async function tasksReplaced(service: string, count: number, exclude: string[], timeoutMs = 180_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tasks = await runningTasks(service);
    const healthy = await Promise.all(tasks.map(async (t) => (await docker('inspect', '-f', '{{.State.Health.Status}}', t.container)).stdout.trim() === 'healthy'));
    if (tasks.length === count && tasks.every((t, i) => !exclude.includes(t.id) && healthy[i])) return Date.now();
    await sleep(500);
  }
  throw new Error(`${service} did not get ${count} new healthy tasks within ${timeoutMs} ms`);
}

async function main() {
  const swarm = (await run(LOG, 'docker', ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'])).stdout.trim();
  need(swarm === 'active true', `a swarm manager (got "${swarm}")`, 'Run scripts/swarm/up.sh.');
  for (const image of Object.values(images)) {
    const local = await run(LOG, 'docker', ['image', 'inspect', image], { allowFailure: true });
    need(local.code === 0 || process.env.CI !== 'true', `the local image ${image}`, 'Run scripts/offline/images.sh and source scripts/offline/env.sh.');
  }
  need(existsSync(process.env.TF_CLI_CONFIG_FILE ?? '') || process.env.CI !== 'true', 'a Terraform CLI config (TF_CLI_CONFIG_FILE) with the provider mirror', 'Source scripts/offline/env.sh after scripts/offline/setup.sh.');
  const hey = await run(LOG, 'hey', ['-n', '1', '-c', '1', 'http://127.0.0.1:9/'], { allowFailure: true }).catch(() => ({ code: 127 }));
  need(hey.code !== 127, 'the load generator hey', 'apt-get install hey (scripts/offline/setup.sh does).');
  assertStateHoldsOnly(SWARM_STACK, ['docker_service', 'docker_network', 'docker_volume'], (name) => name.startsWith(PREFIX));
  const results: Record<string, unknown> = { stack: SWARM_STACK, url: baseUrl, images, wordpress_replicas: REPLICAS };

  log(LOG, `1. cdktf deploy ${SWARM_STACK}, alternating with docker stack deploy (${ROUNDS} rounds)`);
  await cdktf(LOG, ['destroy', SWARM_STACK, '--auto-approve'], stackEnv); // a clean start if an earlier run died
  await noContainersLeft(`${PREFIX}-`);
  const baselineRuns: { fromCreate: number; fromCommand: number }[] = [];
  const deployRuns: { fromCreate: number; fromCommand: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    baselineRuns.push(await stackDeployBaseline());
    deployRuns.push(await timeToFirst200(baseUrl, stackContainers(PREFIX, SERVICE.loadBalancer), () =>
      cdktf(LOG, ['deploy', SWARM_STACK, '--auto-approve', '--outputs-file', outputsFile], stackEnv)));
    if (round < ROUNDS) {
      await cdktf(LOG, ['destroy', SWARM_STACK, '--auto-approve'], stackEnv);
      await noContainersLeft(`${PREFIX}-`);
    }
  }
  results.stack_deploy_first_200_seconds = median(baselineRuns.map((r) => r.fromCreate));
  results.stack_deploy_command_to_200_seconds = median(baselineRuns.map((r) => r.fromCommand));
  results.first_200_seconds = median(deployRuns.map((r) => r.fromCreate));
  results.deploy_command_to_200_seconds = median(deployRuns.map((r) => r.fromCommand));
  results.first_200_ratio_to_stack_deploy = Number(((results.first_200_seconds as number) / (results.stack_deploy_first_200_seconds as number)).toFixed(2));
  results.first_200_samples = { stack_deploy: baselineRuns.map((r) => r.fromCreate), cdktf: deployRuns.map((r) => r.fromCreate) };
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8'))[SWARM_STACK] as Record<string, unknown>;
  results.output_url = outputs.url;
  need(outputs.url === baseUrl, `the stack output url ${baseUrl}`, `got ${JSON.stringify(outputs)}`);

  log(LOG, '2. browser: install, log in, publish a post (through the load balancer)');
  const { postId, postTitle, browserInstallOk } = await installAndPublishInBrowser(baseUrl, 'Swarm');
  results.browser_install_ok = browserInstallOk;
  const postUrl = `${baseUrl}/?p=${postId}`;

  log(LOG, '3. which replicas answer through the load balancer');
  const seen = await distinctHeader(postUrl, 'x-served-by', 20);
  results.replicas_seen = seen.length;
  results.served_by = seen;

  log(LOG, '4. no password in any task env (secrets are files)');
  const service = (name: string) => `${PREFIX}-${name}`;
  const tasks = [...await runningTasks(service('mysql')), ...await runningTasks(service('wordpress'))];
  const envs = await Promise.all(tasks.map(async (t) => JSON.parse((await docker('inspect', '-f', '{{json .Config.Env}}', t.container)).stdout) as string[]));
  results.password_in_env = envs.some((env) => env.some((e) => /^[A-Z_]*PASSWORD=/.test(e)));
  results.password_files = envs.flat().filter((e) => /PASSWORD_FILE=/.test(e)).length;

  log(LOG, '4b. what each task container runs with (docker inspect): limits, no-new-privileges, read-only root');
  const allTasks = [...tasks, ...await runningTasks(service('lb'))];
  const securityContainers = await containerSecurity(LOG, allTasks.map((t) => t.container), (_name, field) => SWARM_REASONS[field]);
  writeResults('security-containers-swarm', { target: 'swarm', containers: securityContainers });
  const gaps = securityGaps(securityContainers, ['pids_limit', 'no_new_privileges']);
  results.container_security_gaps = gaps.length;
  if (gaps.length) results.container_security_gap_list = gaps;

  log(LOG, '5. deploy again with no changes');
  Object.assign(results, await redeployAndCountChanges(LOG, SWARM_STACK, stackEnv));

  log(LOG, '6. rolling update (a changed env value) under a bounded loopback load');
  const before = (await runningTasks(service('wordpress'))).map((t) => t.id);
  const update = await underLoad(LOG, postUrl, () =>
    cdktf(LOG, ['deploy', SWARM_STACK, '--auto-approve'], { ...stackEnv, WPCDK_WORDPRESS_CONFIG_EXTRA: `${BLOCK_EXTERNAL} /* rolled */` }));
  await tasksReplaced(service('wordpress'), REPLICAS, before);
  results.update_requests = update.requests;
  results.failed_requests_during_update = update.failed;
  results.update_statuses = update.statuses;
  results.update_replaced_every_task = true;

  log(LOG, '7. kill one WordPress task: Swarm replaces it');
  const [victim] = await runningTasks(service('wordpress'));
  const kill = await underLoad(LOG, postUrl, async () => {
    await run(LOG, 'kill', ['-KILL', String(victim.pid)]);
    await tasksReplaced(service('wordpress'), REPLICAS, [victim.id]);
  });
  results.task_kill_requests = kill.requests;
  results.failed_requests_during_task_kill = kill.failed;

  log(LOG, '8. kill the database task: a new one starts on the same volume');
  const [db] = await runningTasks(service('mysql'));
  const killedAt = Date.now();
  await run(LOG, 'kill', ['-KILL', String(db.pid)]);
  await tasksReplaced(service('mysql'), 1, [db.id]);
  await waitForPost(baseUrl, postId, postTitle);
  results.db_task_replaced_seconds = seconds(Date.now() - killedAt);
  results.post_survived_db_kill = await postServedSteadily(baseUrl, postId, postTitle);
  results.post_served_after_db_kill = (await get(postUrl)).status === 200;

  log(LOG, '9. destroy');
  await cdktf(LOG, ['destroy', SWARM_STACK, '--auto-approve'], stackEnv);
  await noContainersLeft(`${PREFIX}-`).catch(() => undefined);
  const left = await stackObjects(`${PREFIX}`);
  results.leftovers_after_destroy = left.length;
  if (left.length) results.leftover_list = left;

  writeResults('swarm', results);
  check(results, {
    browser_install_ok: (v) => v === true,
    replicas_seen: (v) => typeof v === 'number' && v >= 2,
    password_in_env: (v) => v === false,
    container_security_gaps: (v) => v === 0,
    noop_changes: (v) => v === 0,
    failed_requests_during_update: (v) => v === 0,
    post_survived_db_kill: (v) => v === true,
    leftovers_after_destroy: (v) => v === 0,
    first_200_ratio_to_stack_deploy: (v) => typeof v === 'number' && v <= 1.5,
  });
  log(LOG, 'e2e swarm: all checks passed');
}

main().catch((error) => {
  console.error(`e2e swarm FAILED: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
