/**
 * The deploy figures of `npm run bench -- --deploy` (needs the Docker engine, the provider
 * mirror and the images: source scripts/offline/env.sh). Alternating rounds on the same engine:
 * `docker-compose up -d` of the compose file rendered from the same service descriptions, then
 * the user's `npm run deploy`, each timed from the command to the first 200 of the install page;
 * then no-op `npm run deploy` runs (nothing changed) next to no-op `docker-compose up -d`.
 * Own names and ports (wpcdk-p-bench, 127.0.0.1:18783, compose 18784). Prints one JSON line and
 * writes e2e-results/deploy-bench.json. BENCH_DEPLOY_ROUNDS rounds (default 5: with their 1-CPU
 * limits, the first start of the containers has two modes, ~0.5 s apart, for both tools).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IMAGES, SERVICE } from '../constructs/app-model';
import { loadConfig } from '../stacks/config';
import { DOCKER_STACK } from '../stacks/ids';
import { composeFile } from './compose';
import { composeContainers, stackContainers, timeToFirst200 } from './lib/docker-events';
import { writeResults } from './lib/results';
import { CDKTF_ENV, RESULTS_DIR, log, need, run } from './lib/run';
import { assertStateHoldsOnly } from './lib/state';
import { median, seconds } from './lib/timing';
import { removeDockerLeftovers, runE2e } from './lib/leftovers';

const LOG = 'deploy-bench';
const NAME = 'wpcdk-p-bench';
const HOST_PORT = 18783;
const COMPOSE_PORT = 18784;
const COMPOSE_PROJECT = 'wpcdk-p-compose';
const ROUNDS = Number(process.env.BENCH_DEPLOY_ROUNDS ?? 5);
const BLOCK_EXTERNAL = "define('WP_HTTP_BLOCK_EXTERNAL', true);";
const stackEnv = {
  ...CDKTF_ENV, WPCDK_APP_NAME: NAME, WPCDK_HOST_PORT: String(HOST_PORT), WPCDK_PROTECT_DATA: 'false', WPCDK_WORDPRESS_CONFIG_EXTRA: BLOCK_EXTERNAL,
};
const config = loadConfig({ ...process.env, ...stackEnv });
// The user's commands as they type them (the npm scripts pass --skip-provider-lock themselves).
const npm = (script: string) => run(LOG, 'npm', ['run', script], { env: stackEnv });

async function timed(command: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await command();
  return seconds(Date.now() - started);
}

async function main() {
  need(!!process.env.TF_CLI_CONFIG_FILE, 'the offline provider mirror (TF_CLI_CONFIG_FILE)', 'Source scripts/offline/env.sh after scripts/offline/setup.sh.');
  assertStateHoldsOnly(DOCKER_STACK, ['docker_container', 'docker_network', 'docker_volume'], (name) => name.startsWith(NAME));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, 'deploy-bench-compose.yml');
  const compose = composeFile({
    wordpressImage: config.wordpressImage ?? DEFAULT_IMAGES.wordpress, mysqlImage: config.mysqlImage ?? DEFAULT_IMAGES.mysql, hostPort: COMPOSE_PORT, configExtra: BLOCK_EXTERNAL,
  });
  writeFileSync(file, compose.yaml);
  const composeEnv = Object.fromEntries(compose.secretVariables.map((name) => [name, randomBytes(16).toString('hex')]));
  const dockerCompose = (...args: string[]) => run(LOG, 'docker-compose', ['-p', COMPOSE_PROJECT, '-f', file, ...args], { env: composeEnv });

  const composeRuns: number[] = [];
  const deployRuns: number[] = [];
  const composeNoop: number[] = [];
  const deployNoop: number[] = [];
  try {
    await dockerCompose('down', '-v', '--remove-orphans');
    await removeDockerLeftovers(LOG, NAME); // what a run that died left, also in another clone (whose state is gone)
    await npm('destroy');
    for (let round = 1; round <= ROUNDS; round++) {
      log(LOG, `round ${round}/${ROUNDS}: docker-compose up -d, then npm run deploy`);
      composeRuns.push((await timeToFirst200(`http://127.0.0.1:${COMPOSE_PORT}`, composeContainers(COMPOSE_PROJECT, SERVICE.wordpress), () => dockerCompose('up', '-d'))).fromCommand);
      composeNoop.push(await timed(() => dockerCompose('up', '-d')));
      await dockerCompose('down', '-v', '--remove-orphans');
      deployRuns.push((await timeToFirst200(`http://127.0.0.1:${HOST_PORT}`, stackContainers(NAME, SERVICE.wordpress), () => npm('deploy'))).fromCommand);
      deployNoop.push(await timed(() => npm('deploy')));
      if (round < ROUNDS) await npm('destroy');
    }
  } finally {
    await dockerCompose('down', '-v', '--remove-orphans');
    await npm('destroy');
  }
  const figures = {
    docker_deploy_ratio_to_compose: Number((median(deployRuns) / median(composeRuns)).toFixed(2)),
    deploy_command_to_200_seconds: median(deployRuns),
    compose_command_to_200_seconds: median(composeRuns),
    noop_deploy_seconds: median(deployNoop),
    compose_noop_seconds: median(composeNoop),
    samples: { deploy: deployRuns, compose: composeRuns, noop_deploy: deployNoop, noop_compose: composeNoop },
  };
  writeResults('deploy-bench', figures);
  console.log(`DEPLOY_BENCH ${JSON.stringify(figures)}`);
}

runE2e('deploy bench', LOG, [NAME], main);
