import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_STACK, DockerStack } from '../stacks/docker-stack';
import { KUBERNETES_STACK, KubernetesStack } from '../stacks/kubernetes-stack';
import { Synthesized, resources, synthStack, testConfig } from './helpers';

const docker = synthStack((app) => new DockerStack(app, DOCKER_STACK, testConfig()));
const kubernetes = synthStack((app) => new KubernetesStack(app, KUBERNETES_STACK, testConfig()));

describe('Docker stack', () => {
  it('matches the snapshot', () => {
    expect(docker.config).toMatchSnapshot();
  });

  it('has two containers, a network and two volumes', () => {
    expect(resources(docker.config, 'docker_container').map((c) => c.name)).toEqual(['wordpress-mysql', 'wordpress-wordpress']);
    expect(resources(docker.config, 'docker_network')).toHaveLength(1);
    expect(resources(docker.config, 'docker_volume').map((v) => v.name)).toEqual(['wordpress-mysql-data', 'wordpress-wordpress-content']);
  });

  it('pins kreuzwerker/docker 3.6.2 and outputs the URL', () => {
    expect(docker.config.terraform.required_providers.docker).toEqual({ source: 'kreuzwerker/docker', version: '3.6.2' });
    expect(docker.config.output?.url.value).toBe('http://127.0.0.1:8080');
  });
});

describe('Kubernetes stack', () => {
  it('matches the snapshot', () => {
    expect(kubernetes.config).toMatchSnapshot();
  });

  it('has a namespace, Services, a Secret, PVCs, a workload per service and a NetworkPolicy', () => {
    const names = (type: string) => resources(kubernetes.config, type).map((r) => (r.metadata as { name: string }).name);
    expect(names('kubernetes_namespace_v1')).toEqual(['wordpress']);
    expect(names('kubernetes_service_v1')).toEqual(['mysql', 'wordpress']);
    expect(names('kubernetes_secret_v1')).toEqual(['mysql-credentials']);
    expect(names('kubernetes_persistent_volume_claim_v1')).toEqual(['mysql-data', 'wordpress-content']);
    expect(names('kubernetes_deployment_v1')).toEqual(['mysql', 'wordpress']);
    expect(names('kubernetes_network_policy_v1')).toEqual(['mysql-clients']);
  });

  it('pins hashicorp/kubernetes 2.38.0 and uses the configured kubeconfig and context', () => {
    const config = synthStack((app) => new KubernetesStack(app, 'k', testConfig({ kubeContext: 'kind-kind' }))).config;
    // cdktf writes the short source; Terraform reads it as registry.terraform.io/hashicorp/kubernetes.
    expect(config.terraform.required_providers.kubernetes).toEqual({ source: 'kubernetes', version: '2.38.0' });
    expect(config.provider.kubernetes).toEqual([{ config_path: '/kube/config', config_context: 'kind-kind' }]);
  });

  it('passes the config to both components: storage class, pull policy, images, replicas', () => {
    const config = synthStack((app) => new KubernetesStack(app, 'k', testConfig({
      storageClass: 'fast', imagePullPolicy: 'Never', mysqlImage: 'local/mysql:1', wordpressImage: 'local/wp:1', namespace: 'blog',
    }))).config;
    const claims = resources(config, 'kubernetes_persistent_volume_claim_v1') as { metadata: { namespace: string }; spec: { storage_class_name?: string } }[];
    expect(claims.map((c) => c.spec.storage_class_name)).toEqual(['fast', 'fast']);
    const deployments = resources(config, 'kubernetes_deployment_v1') as {
      metadata: { namespace: string }; spec: { template: { spec: { container: { image: string; image_pull_policy: string }[] } } };
    }[];
    expect(deployments.map((d) => d.spec.template.spec.container[0].image)).toEqual(['local/mysql:1', 'local/wp:1']);
    expect(deployments.map((d) => d.spec.template.spec.container[0].image_pull_policy)).toEqual(['Never', 'Never']);
    expect([...claims, ...deployments].map((r) => r.metadata.namespace)).toEqual(Array(4).fill('${kubernetes_namespace_v1.namespace.metadata[0].name}'));
  });

  it('outputs the URL, service name and node port', () => {
    expect(Object.keys(kubernetes.config.output ?? {}).sort()).toEqual(['namespace_name', 'node_port', 'service_name', 'url']);
    expect(kubernetes.config.output?.url.value).toMatch(/^http:\/\/127\.0\.0\.1:\$\{kubernetes_service_v1\..+\.node_port\}$/);
  });
});

describe('one app model, two targets', () => {
  interface K8sContainer { env: { name: string }[]; volume_mount: { mount_path: string }[]; port: { container_port: number }[] }
  const pods = resources(kubernetes.config, 'kubernetes_deployment_v1') as unknown as {
    metadata: { name: string };
    spec: { template: { metadata: { labels: Record<string, string> }; spec: { container: K8sContainer[] } } };
  }[];
  const containers = resources(docker.config, 'docker_container') as unknown as {
    name: string; env: string[]; volumes: { container_path: string }[]; labels: { label: string; value: string }[];
  }[];

  it.each(['mysql', 'wordpress'])('%s has the same env names, mount paths and labels on Docker and Kubernetes', (component) => {
    const pod = pods.find((p) => p.metadata.name === component)!;
    const container = containers.find((c) => c.name === `wordpress-${component}`)!;
    const [podContainer] = pod.spec.template.spec.container;
    expect(podContainer.env.map((e) => e.name).sort()).toEqual(container.env.map((e) => e.split('=')[0]).sort());
    expect(podContainer.volume_mount.map((m) => m.mount_path)).toEqual(container.volumes.map((v) => v.container_path));
    expect(pod.spec.template.metadata.labels).toEqual(Object.fromEntries(container.labels.map((l) => [l.label, l.value])));
  });

  it('WordPress reaches MySQL by the same host and port on both targets', () => {
    const dockerHost = containers.find((c) => c.name === 'wordpress-wordpress')!.env.find((e) => e.startsWith('WORDPRESS_DB_HOST='));
    const podEnv = pods.find((p) => p.metadata.name === 'wordpress')!.spec.template.spec.container[0].env as { name: string; value?: string }[];
    expect(dockerHost).toBe(`WORDPRESS_DB_HOST=${podEnv.find((e) => e.name === 'WORDPRESS_DB_HOST')?.value}`);
  });
});

/** Every value stored under a password-ish name: env `KEY=value` strings and object keys. */
function passwordValues(node: unknown, found: string[] = []): string[] {
  if (typeof node === 'string') {
    const match = /^[A-Z_]*PASSWORD[A-Z_]*=(.*)$/.exec(node);
    if (match) found.push(match[1]);
  } else if (Array.isArray(node)) {
    node.forEach((item) => passwordValues(item, found));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (/password/i.test(key) && typeof value === 'string') found.push(value);
      else passwordValues(value, found);
    }
  }
  return found;
}

describe('secrets', () => {
  it.each([['docker', docker.config, 3], ['kubernetes', kubernetes.config, 2]] as [string, Synthesized, number][])(
    'the %s stack holds no password literal, only references to generated passwords',
    (_name, config, expected) => {
      const values = passwordValues(config.resource);
      expect(values).toHaveLength(expected);
      for (const value of values) expect(value).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
      expect(resources(config, 'random_password')).toEqual([
        expect.objectContaining({ length: 32, special: false }),
        expect.objectContaining({ length: 32, special: false }),
      ]);
    },
  );
});

describe('the cdktf.json app command', () => {
  const app = JSON.parse(readFileSync(join(__dirname, '..', 'cdktf.json'), 'utf8')).app as string;
  const run = (env: Record<string, string>) => {
    const outdir = mkdtempSync(join(tmpdir(), 'wpcdk-synth-'));
    const result = spawnSync('sh', ['-c', app], { cwd: join(__dirname, '..'), env: { ...process.env, ...env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
    return { ...result, outdir };
  };

  it('synthesizes both stacks from the current sources, with no password literal', () => {
    const { status, stderr, outdir } = run({ WPCDK_KUBECONFIG: '/kube/config' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([DOCKER_STACK, KUBERNETES_STACK]);
    for (const stack of [DOCKER_STACK, KUBERNETES_STACK]) {
      const json = readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      for (const value of passwordValues(JSON.parse(json).resource)) expect(value).toMatch(/^\$\{random_password\./);
    }
  });

  it('reports invalid configuration in one line and exits 1', () => {
    const { status, stderr } = run({ WPCDK_HOST_PORT: 'eighty' });
    expect(status).toBe(1);
    expect(stderr.trim()).toBe('error: invalid configuration: WPCDK_HOST_PORT must be a whole number, got "eighty"');
  });

  it('reports an invalid prop in one line and exits 1', () => {
    const { status, stderr } = run({ WPCDK_NAMESPACE: 'My Blog' });
    expect(status).toBe(1);
    expect(stderr.trim()).toMatch(/^error: KubernetesStack wordpress-k8s: invalid namespace "My Blog": must be a DNS-1123 label/);
  });
});

