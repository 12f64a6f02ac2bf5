import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../preflight/main';

const ROOT = join(__dirname, '..', '..');
const MISSING_SOCKET = 'unix:///tmp/wpcdk-preflight-test-missing.sock';

/** preflight/main.ts in-process, on this machine with one piece removed; returns the exit code and what it printed. */
async function preflight(args: string[], env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => { lines.push(line); });
  try {
    return { code: await main(args, { ...process.env, ...env }, ROOT), lines };
  } finally {
    spy.mockRestore();
  }
}

describe('preflight/main.ts', () => {
  it('names a kubeconfig that does not exist', async () => {
    const { code, lines } = await preflight(['wordpress-k8s'], { WPCDK_KUBECONFIG: '/tmp/wpcdk-preflight-test-missing-kubeconfig' });
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^error: wordpress-k8s cannot deploy: kubeconfig missing: \/tmp\/wpcdk-preflight-test-missing-kubeconfig does not exist or cannot be read\. Fix: export WPCDK_KUBECONFIG=/)]);
  });

  it('names the stacks it knows when given another', async () => {
    const { code, lines } = await preflight(['nope'], {});
    expect(code).toBe(2);
    expect(lines).toEqual(['usage: node scripts/preflight.mjs <wordpress-docker|wordpress-swarm|wordpress-k8s>']);
  });

  it('leaves a bad setting to the synth, which names it with the stack', async () => {
    await expect(preflight(['wordpress-docker'], { WPCDK_HOST_PORT: 'eighty', DOCKER_HOST: MISSING_SOCKET })).resolves.toEqual({ code: 0, lines: [] });
  });
});

describe('scripts/preflight.mjs', () => {
  // How fast it fails is measured by the preflight e2e (e2e-results/preflight.json), not asserted here.
  it('fails with one line when DOCKER_HOST names a socket that does not exist', () => {
    const result = spawnSync('node', [join(ROOT, 'scripts', 'preflight.mjs'), 'wordpress-docker'], { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: MISSING_SOCKET } });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: wordpress-docker cannot deploy: Docker engine missing: no answer at unix:\/\/\/tmp\/wpcdk-preflight-test-missing.sock .*Fix: /)]);
  });
});
