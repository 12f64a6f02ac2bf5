/**
 * `node scripts/preflight.mjs <stack>`: what `npm run deploy` / `deploy:swarm` /
 * `deploy:k8s` run before `cdktf deploy`. Exit 0 when the machine has what the
 * stack needs; else one line naming the missing piece and its fix, exit 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../stacks/config';
import { STACK_TARGETS } from '../stacks/ids';
import { ProviderPin, Probe, missLine, preflight } from './checks';

/** The real machine: the Docker API over its socket or TCP, files, TCP connects. */
export const machine: Probe = {
  docker(host, path, timeoutMs) {
    const url = new URL(host);
    const where = url.protocol === 'unix:' ? { socketPath: url.pathname } : { host: url.hostname, port: Number(url.port || 2375) };
    return new Promise((resolve, reject) => {
      const req = request({ ...where, path, method: 'GET', timeout: timeoutMs }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk) => { body += chunk; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code ?? error.message)));
      req.end();
    });
  },
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: existsSync,
  connects(host, port, timeoutMs) {
    return new Promise((resolve) => {
      const socket = connect({ host, port, timeout: timeoutMs });
      const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
      socket.on('connect', () => done(true)).on('timeout', () => done(false)).on('error', () => done(false));
    });
  },
};

/** The providers a stack pins, from the prebuilt provider packages it uses. */
export function stackProviders(root: string, stack: string): ProviderPin[] {
  const packages = STACK_TARGETS[stack] === 'kubernetes' ? ['kubernetes', 'random'] : ['docker', 'random'];
  return packages.map((name) => {
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules', '@cdktf', `provider-${name}`, 'package.json'), 'utf8'));
    return { source: pkg.cdktf.provider.name, version: pkg.cdktf.provider.version };
  });
}

export async function main(argv: string[], env: NodeJS.ProcessEnv, root: string): Promise<number> {
  const stack = argv[0];
  const target = STACK_TARGETS[stack];
  if (!target) {
    console.error(`usage: node scripts/preflight.mjs <${Object.keys(STACK_TARGETS).join('|')}>`);
    return 2;
  }
  if (env.WPCDK_PREFLIGHT === 'false') return 0;
  let config;
  try {
    const cdktfJson = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')) as { context?: Record<string, unknown> };
    config = loadConfig(env, (key) => cdktfJson.context?.[key], target);
  } catch (error) {
    if (error instanceof ConfigError) return 0; // a bad setting: the synth names it, with the stack
    throw error;
  }
  const miss = await preflight({ target, config, env, providers: stackProviders(root, stack) }, machine);
  if (!miss) return 0;
  console.error(missLine(stack, miss));
  return 1;
}
