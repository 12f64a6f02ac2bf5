import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordValues } from './password-values';

// The stack names users type (README); written out so this test loads no construct.
const [DOCKER_STACK, KUBERNETES_STACK, SWARM_STACK] = ['wordpress-docker', 'wordpress-k8s', 'wordpress-swarm'];

// The app command of cdktf.json, as the CLI runs it (bundle the sources, run them). What it
// does with bad settings is tested in-process: stacks/app.test.ts (runApp).
describe('the cdktf.json app command', () => {
  const app = JSON.parse(readFileSync(join(__dirname, '..', 'cdktf.json'), 'utf8')).app as string;
  const run = (env: Record<string, string>) => {
    const outdir = mkdtempSync(join(tmpdir(), 'wpcdk-synth-'));
    const { CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: _cli, ...parent } = process.env;
    const result = spawnSync('sh', ['-c', app], { cwd: join(__dirname, '..'), env: { ...parent, ...env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
    return { ...result, outdir };
  };

  it('synthesizes every stack from the current sources, with no password literal', () => {
    const { status, stderr, outdir } = run({ WPCDK_KUBECONFIG: '/kube/config' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([DOCKER_STACK, KUBERNETES_STACK, SWARM_STACK].sort());
    for (const stack of [DOCKER_STACK, SWARM_STACK, KUBERNETES_STACK]) {
      const json = readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      // A generated password, or (Swarm) the path of the secret file holding it.
      for (const value of passwordValues(JSON.parse(json).resource)) expect(value).toMatch(/^(\$\{random_password\.|\/run\/secrets\/)/);
    }
  });
});
