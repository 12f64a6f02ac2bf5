import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_STACK, DockerStack } from '../stacks/docker-stack';
import { KUBERNETES_STACK, KubernetesStack } from '../stacks/kubernetes-stack';
import { Deployment, DockerContainer, passwordValues, resources, synthStack, testConfig } from './helpers';

describe('one app, two targets', () => {
  const pods = resources(synthStack((app) => new KubernetesStack(app, KUBERNETES_STACK, testConfig())).config, 'kubernetes_deployment_v1') as unknown as Deployment[];
  const containers = resources(synthStack((app) => new DockerStack(app, DOCKER_STACK, testConfig())).config, 'docker_container') as unknown as DockerContainer[];

  it.each(['mysql', 'wordpress'])('%s has the same env names, mount paths and labels on Docker and Kubernetes', (service) => {
    const pod = pods.find((p) => p.metadata.name === service)!;
    const container = containers.find((c) => c.name === `wordpress-${service}`)!;
    const [podContainer] = pod.spec.template.spec.container;
    expect(podContainer.env.map((e) => e.name).sort()).toEqual(container.env.map((e) => e.split('=')[0]).sort());
    expect(podContainer.volume_mount.map((m) => m.mount_path)).toEqual(container.volumes.map((v) => v.container_path));
    expect(pod.spec.template.metadata.labels).toEqual(Object.fromEntries(container.labels.map((l) => [l.label, l.value])));
  });

  it('WordPress reaches MySQL by the same host and port on both targets', () => {
    const dockerHost = containers.find((c) => c.name === 'wordpress-wordpress')!.env.find((e) => e.startsWith('WORDPRESS_DB_HOST='));
    const podEnv = pods.find((p) => p.metadata.name === 'wordpress')!.spec.template.spec.container[0].env;
    expect(dockerHost).toBe(`WORDPRESS_DB_HOST=${podEnv.find((e) => e.name === 'WORDPRESS_DB_HOST')?.value}`);
  });
});

describe('the cdktf.json app command', () => {
  const app = JSON.parse(readFileSync(join(__dirname, '..', 'cdktf.json'), 'utf8')).app as string;
  const run = (env: Record<string, string>) => {
    const outdir = mkdtempSync(join(tmpdir(), 'wpcdk-synth-'));
    const { CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: _cli, ...parent } = process.env;
    const result = spawnSync('sh', ['-c', app], { cwd: join(__dirname, '..'), env: { ...parent, ...env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
    const stack = (name: string) => JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    return { ...result, outdir, stack };
  };

  it('synthesizes both stacks from the current sources, with no password literal', () => {
    const { status, stderr, outdir, stack } = run({ WPCDK_KUBECONFIG: '/kube/config' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([DOCKER_STACK, KUBERNETES_STACK]);
    for (const name of [DOCKER_STACK, KUBERNETES_STACK]) {
      for (const value of passwordValues(stack(name).resource)) expect(value).toMatch(/^\$\{random_password\./);
    }
  });

  it('with WPCDK_DATABASE_HOST, creates no MySQL anywhere and holds no password literal', () => {
    const { status, stack } = run({ WPCDK_KUBECONFIG: '/kube/config', WPCDK_DATABASE_HOST: 'db.example.com:3306' });
    expect(status).toBe(0);
    const text = JSON.stringify([stack(DOCKER_STACK), stack(KUBERNETES_STACK)]);
    expect(text).not.toMatch(/mysql/i);
    expect(text).toMatch(/WORDPRESS_DB_HOST=db\.example\.com:3306/);
    for (const name of [DOCKER_STACK, KUBERNETES_STACK]) {
      for (const value of passwordValues(stack(name).resource)) expect(value).toBe('${var.database_password}');
    }
  });

  it('reports a bad setting every stack shares in one line per stack, naming the variable, and exits 1', () => {
    const { status, stderr } = run({ WPCDK_APP_NAME: 'My Blog' });
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: wordpress-docker: WPCDK_APP_NAME="My Blog" is invalid: must be a DNS-1123 label/),
      expect.stringMatching(/^error: wordpress-k8s: WPCDK_APP_NAME="My Blog" is invalid: must be a DNS-1123 label/),
    ]);
  });

  it('reports a bad value type in one line and exits 1', () => {
    const { status, stderr } = run({ WPCDK_HOST_PORT: 'eighty', WPCDK_NODE_PORT: 'high' });
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')[0]).toBe('error: wordpress-docker: WPCDK_HOST_PORT must be a whole number, got "eighty"');
  });

  it('a bad Docker-only setting leaves the Kubernetes stack whole, and the Docker stack refuses to deploy', () => {
    const { status, stderr, stack } = run({ WPCDK_KUBECONFIG: '/kube/config', WPCDK_BIND_ADDRESS: 'localhost' });
    expect(status).toBe(0);
    expect(stderr.split('\n')[0]).toMatch(/^error: wordpress-docker: WPCDK_BIND_ADDRESS="localhost" is invalid: must be an IPv4 address/);
    expect(Object.keys(stack(KUBERNETES_STACK).resource)).toContain('kubernetes_deployment_v1');
    const refused = stack(DOCKER_STACK);
    expect(refused.resource).toBeUndefined();
    expect(refused.output.configuration_error.precondition).toEqual({
      condition: '${local.error == ""}', error_message: expect.stringMatching(/^wordpress-docker is not deployable: WPCDK_BIND_ADDRESS="localhost"/),
    });
  });

  it('a bad Kubernetes-only setting leaves the Docker stack whole', () => {
    const { status, stderr, stack } = run({ WPCDK_KUBECONFIG: '/kube/config', WPCDK_NAMESPACE: 'My Blog' });
    expect(status).toBe(0);
    expect(stderr.split('\n')[0]).toMatch(/^error: wordpress-k8s: WPCDK_NAMESPACE="My Blog" is invalid: must be a DNS-1123 label/);
    expect(Object.keys(stack(DOCKER_STACK).resource)).toContain('docker_container');
  });

  it('under the cdktf CLI, prints the error on stdout, which the CLI shows first', () => {
    const { status, stdout } = run({ WPCDK_APP_NAME: 'My Blog', CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' });
    expect(status).toBe(1);
    expect(stdout.split('\n')[0]).toMatch(/^error: wordpress-docker: WPCDK_APP_NAME="My Blog"/);
  });
});
