import { App, Testing } from 'cdktf';
import { DOCKER_STACK } from '../../stacks/docker-stack';
import { KUBERNETES_STACK } from '../../stacks/kubernetes-stack';
import { SWARM_STACK } from '../../stacks/swarm-stack';
import { addStacks, errorStream, runApp, selectedStacks } from '../../stacks/app';
import { Deployment, DockerContainer, Synthesized, passwordValues, resources } from '../helpers';

/** The app as main.ts builds it, from env variables; each stack synthesized (once) with validations on. */
function build(env: Record<string, string>) {
  const app: App = Testing.app();
  const errors = addStacks(app, { WPCDK_KUBECONFIG: '/kube/config', ...env });
  const synthesized = new Map<string, string>();
  const synth = (id: string) => synthesized.get(id) ?? synthesized.set(id, Testing.synth(app.node.findChild(id) as never, true)).get(id)!;
  const stack = (id: string) => JSON.parse(synth(id)) as Synthesized;
  return { errors, stack };
}

describe('one app, two targets', () => {
  const { stack } = build({});
  const pods = resources(stack(KUBERNETES_STACK), 'kubernetes_deployment_v1') as unknown as Deployment[];
  const containers = resources(stack(DOCKER_STACK), 'docker_container') as unknown as DockerContainer[];

  it.each(['mysql', 'wordpress'])('%s has the same env names, mount paths and labels on Docker and Kubernetes', (service) => {
    const pod = pods.find((p) => p.metadata.name === service)!;
    const container = containers.find((c) => c.name === `wordpress-${service}`)!;
    const [podContainer] = pod.spec.template.spec.container;
    // Kubernetes reads the secret values from files (VAR_FILE); Docker passes them as values.
    expect(podContainer.env.map((e) => e.name.replace(/_FILE$/, '')).sort()).toEqual(container.env.map((e) => e.split('=')[0]).sort());
    const own = (name: string) => !/^(writable-\d+|secrets)$/.test(name);
    expect(podContainer.volume_mount.filter((m) => own(m.name)).map((m) => m.mount_path)).toEqual(container.volumes.map((v) => v.container_path));
    // The same writable paths: emptyDirs in the pod, tmpfs on a read-only Docker container.
    expect(podContainer.volume_mount.filter((m) => m.name.startsWith('writable-')).map((m) => m.mount_path).sort()).toEqual(Object.keys(container.tmpfs as object).sort());
    expect(container.read_only).toBe(true);
    expect(pod.spec.template.metadata.labels).toEqual(Object.fromEntries(container.labels.map((l) => [l.label, l.value])));
  });

  it('WordPress reaches MySQL by the same host and port on both targets', () => {
    const dockerHost = containers.find((c) => c.name === 'wordpress-wordpress')!.env.find((e) => e.startsWith('WORDPRESS_DB_HOST='));
    const podEnv = pods.find((p) => p.metadata.name === 'wordpress')!.spec.template.spec.container[0].env;
    expect(dockerHost).toBe(`WORDPRESS_DB_HOST=${podEnv.find((e) => e.name === 'WORDPRESS_DB_HOST')?.value}`);
  });
});

describe('addStacks', () => {
  it('with WPCDK_DATABASE_HOST, creates no MySQL anywhere and holds no password literal', () => {
    const { errors, stack } = build({ WPCDK_DATABASE_HOST: 'db.example.com:3306' });
    expect(errors).toEqual([]);
    const text = JSON.stringify([stack(DOCKER_STACK).resource, stack(SWARM_STACK).resource, stack(KUBERNETES_STACK).resource]);
    expect(text).not.toMatch(/mysql/i);
    expect(text).toMatch(/WORDPRESS_DB_HOST=db\.example\.com:3306/);
    for (const id of [DOCKER_STACK, KUBERNETES_STACK]) {
      const values = passwordValues(stack(id).resource);
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) expect(value).toBe('${var.database_password}');
    }
    expect(resources(stack(SWARM_STACK), 'docker_secret').filter((s) => !String(s.name).includes('-wp-'))).toEqual([expect.objectContaining({ data: '${base64encode(var.database_password)}' })]);
  });

  it('reports a bad setting every stack shares once per stack, naming the variable', () => {
    expect(build({ WPCDK_APP_NAME: 'My Blog' }).errors).toEqual([
      expect.stringMatching(/^error: wordpress-docker: WPCDK_APP_NAME="My Blog" is invalid: must be a DNS-1123 label/),
      expect.stringMatching(/^error: wordpress-swarm: WPCDK_APP_NAME="My Blog" is invalid: must be a DNS-1123 label/),
      expect.stringMatching(/^error: wordpress-k8s: WPCDK_APP_NAME="My Blog" is invalid: must be a DNS-1123 label/),
    ]);
  });

  it('names a cdktf.json context key of the wrong type', () => {
    const app: App = Testing.app({ context: { hostPort: { port: 80 } } });
    expect(addStacks(app, { WPCDK_KUBECONFIG: '/kube/config' })).toEqual(['error: wordpress-docker: cdktf.json context "hostPort" must be a whole number, got {"port":80}']);
  });

  it('a bad Swarm-only setting leaves the other stacks whole', () => {
    const { errors, stack } = build({ WPCDK_SWARM_PUBLISH_MODE: 'mesh' });
    expect(errors).toEqual(['error: wordpress-swarm: WPCDK_SWARM_PUBLISH_MODE must be one of host, ingress, got "mesh"']);
    expect(Object.keys(stack(DOCKER_STACK).resource)).toContain('docker_container');
    expect(Object.keys(stack(KUBERNETES_STACK).resource)).toContain('kubernetes_deployment_v1');
  });

  it('a bad Docker-only setting leaves the Kubernetes stack whole, and the Docker stack refuses to deploy', () => {
    const { errors, stack } = build({ WPCDK_BIND_ADDRESS: 'localhost' });
    expect(errors).toEqual([expect.stringMatching(/^error: wordpress-docker: WPCDK_BIND_ADDRESS="localhost" is invalid: must be an IPv4 address/)]);
    expect(Object.keys(stack(KUBERNETES_STACK).resource)).toContain('kubernetes_deployment_v1');
    const refused = stack(DOCKER_STACK) as Synthesized & { output: Record<string, { precondition: unknown }> };
    expect(refused.resource).toBeUndefined();
    expect(refused.output.configuration_error.precondition).toEqual({
      condition: '${local.error == ""}', error_message: expect.stringMatching(/^wordpress-docker is not deployable: WPCDK_BIND_ADDRESS="localhost"/),
    });
  });

  it('a bad Kubernetes-only setting leaves the Docker stack whole', () => {
    const { errors, stack } = build({ WPCDK_NAMESPACE: 'My Blog', WPCDK_NODE_PORT: 'high' });
    expect(errors).toEqual(['error: wordpress-k8s: WPCDK_NODE_PORT must be a whole number, got "high"']);
    expect(Object.keys(stack(DOCKER_STACK).resource)).toContain('docker_container');
  });

  it('escapes template syntax of a bad value in the refusing stack', () => {
    const { stack } = build({ WPCDK_BIND_ADDRESS: '${HOME}' });
    expect(JSON.stringify(stack(DOCKER_STACK))).not.toMatch(/[^$]\$\{HOME\}/);
  });
});

describe('runApp', () => {
  const run = (env: Record<string, string>) => {
    const lines: string[] = [];
    const code = runApp(Testing.app(), { WPCDK_KUBECONFIG: '/kube/config', ...env }, (line) => lines.push(line));
    return { code, lines };
  };

  it('exits 0 with no output when every setting is good', () => {
    expect(run({})).toEqual({ code: 0, lines: [] });
  });

  it('exits 1 when a setting every stack shares is wrong, the error first', () => {
    const { code, lines } = run({ WPCDK_APP_NAME: 'My Blog' });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^error: wordpress-docker: WPCDK_APP_NAME="My Blog" is invalid/);
  });

  it('exits 0 when only some stacks refuse, saying so after their errors', () => {
    const { code, lines } = run({ WPCDK_BIND_ADDRESS: 'localhost' });
    expect(code).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^error: wordpress-docker: WPCDK_BIND_ADDRESS/), expect.stringMatching(/^the other stacks synthesized/)]);
  });

  it('builds only the stacks WPCDK_STACKS names', () => {
    const app = Testing.app();
    expect(runApp(app, { WPCDK_KUBECONFIG: '/kube/config', WPCDK_STACKS: 'wordpress-docker' }, () => undefined)).toBe(0);
    expect(app.node.children.map((c) => c.node.id)).toEqual([DOCKER_STACK]);
  });

  it('exits 1 when the only selected stack refuses (its settings are wrong)', () => {
    const { code, lines } = run({ WPCDK_STACKS: DOCKER_STACK, WPCDK_BIND_ADDRESS: 'localhost' });
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^error: wordpress-docker: WPCDK_BIND_ADDRESS/)]);
  });

  it('prints on stdout under the cdktf CLI (shown first), on stderr otherwise', () => {
    expect(errorStream({ CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' })).toBe('stdout');
    expect(errorStream({})).toBe('stderr');
  });
});

describe('selectedStacks', () => {
  it('is every stack by default, else those named in WPCDK_STACKS or the context key, in the app order', () => {
    expect(selectedStacks({}).map((s) => s.id)).toEqual([DOCKER_STACK, SWARM_STACK, KUBERNETES_STACK]);
    expect(selectedStacks({ WPCDK_STACKS: 'wordpress-k8s, wordpress-docker' }).map((s) => s.id)).toEqual([DOCKER_STACK, KUBERNETES_STACK]);
    expect(selectedStacks({}, (key) => (key === 'stacks' ? 'wordpress-swarm' : undefined)).map((s) => s.id)).toEqual([SWARM_STACK]);
  });

  it('refuses an unknown stack, naming the setting, the value and the ids', () => {
    expect(() => selectedStacks({ WPCDK_STACKS: 'wordpress-dockr' }))
      .toThrow('WPCDK_STACKS="wordpress-dockr" is invalid: must be a comma-separated list of wordpress-docker, wordpress-swarm, wordpress-k8s');
    expect(() => selectedStacks({}, () => ' , ')).toThrow(/^cdktf.json context "stacks"=" , " is invalid/);
  });
});
