import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'preflight.mjs');

/** scripts/preflight.mjs as `npm run deploy` runs it, on this machine with one piece removed. */
function preflight(args: string[], env: NodeJS.ProcessEnv) {
  const started = Date.now();
  const result = spawnSync('node', [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

describe('scripts/preflight.mjs', () => {
  it('fails within 2 s with one line when DOCKER_HOST names a socket that does not exist', () => {
    const result = preflight(['wordpress-docker'], { DOCKER_HOST: 'unix:///tmp/wpcdk-preflight-test-missing.sock' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: wordpress-docker cannot deploy: Docker engine missing: no answer at unix:\/\/\/tmp\/wpcdk-preflight-test-missing.sock .*Fix: /)]);
    expect(result.seconds).toBeLessThan(2);
  });

  it('fails with one line when the kubeconfig does not exist', () => {
    const result = preflight(['wordpress-k8s'], { WPCDK_KUBECONFIG: '/tmp/wpcdk-preflight-test-missing-kubeconfig' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^error: wordpress-k8s cannot deploy: kubeconfig missing: \/tmp\/wpcdk-preflight-test-missing-kubeconfig does not exist or cannot be read\. Fix: export WPCDK_KUBECONFIG=/);
  });

  it('names the stacks it knows when given another', () => {
    const result = preflight(['nope'], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: node scripts/preflight.mjs <wordpress-docker|wordpress-swarm|wordpress-k8s>');
  });

  it('leaves a bad setting to the synth, which names it with the stack', () => {
    const result = preflight(['wordpress-docker'], { WPCDK_HOST_PORT: 'eighty', DOCKER_HOST: 'unix:///tmp/wpcdk-preflight-test-missing.sock' });
    expect(result.status).toBe(0);
  });
});
