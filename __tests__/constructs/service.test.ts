import { Testing } from 'cdktf';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DockerService } from '../../constructs/docker-service';
import { KubernetesWorkload } from '../../constructs/kubernetes-workload';
import { SwarmService } from '../../constructs/swarm-service';
import { SecretValue, ServiceDescription, checkService, env, labelsOf, terraformLiteral } from '../../constructs/service';
import { containerNamed, deploymentNamed, resourceNamed, swarmServiceNamed } from '../helpers';

/** A service neither MySQL nor WordPress: built from the blocks alone, no construct file edited. */
const echo: ServiceDescription = {
  name: 'echo',
  appName: 'demo',
  image: 'hashicorp/http-echo:1.0',
  env: { ECHO_TEXT: env.value('hello') },
  ports: [{ name: 'http', port: 5678 }],
  volumes: [{ name: 'cache', path: '/cache', size: '64Mi' }],
  health: { command: ['/http-echo', '-version'], httpPath: '/' },
  capabilities: [],
  resources: { cpuRequest: '10m', cpuLimit: '500m', memoryRequest: '16Mi', memoryLimit: '32Mi' }, security: { user: { uid: 1000, gid: 1000 } },
};

describe('a third service from the building blocks, on every target', () => {
  it('runs on Docker: image, env, port, volume, labels', () => {
    let url = '';
    const json = Testing.synthScope((scope) => {
      const service = new DockerService(scope, 'echo', { description: echo, networks: [new Network(scope, 'net', { name: 'demo' })] });
      url = service.publish({ hostPort: 5678 });
    });
    const container = containerNamed(json, 'demo-echo');
    expect(container).toMatchObject({ env: ['ECHO_TEXT=hello'], ports: [{ internal: 5678, external: 5678, ip: '127.0.0.1', protocol: 'tcp' }] });
    expect(container.volumes).toEqual([{ volume_name: expect.stringContaining('docker_volume.echo_cache'), container_path: '/cache' }]);
    expect(resourceNamed(json, 'docker_volume', 'demo-echo-cache')).toBeDefined();
    expect(Object.fromEntries(container.labels.map((l) => [l.label, l.value]))).toEqual(labelsOf(echo));
    expect(url).toBe('http://127.0.0.1:5678');
  });

  it('runs on Swarm: replicated service, volume, published port', () => {
    const json = Testing.synthScope((scope) => { new SwarmService(scope, 'echo', { description: echo, replicas: 2 }).publish({ hostPort: 5678 }); });
    const service = swarmServiceNamed(json, 'demo-echo');
    expect(service.mode).toEqual({ replicated: { replicas: 2 } });
    expect(service.task_spec.container_spec).toMatchObject({ env: { ECHO_TEXT: 'hello' }, mounts: [{ type: 'volume', target: '/cache' }] });
    expect(service.endpoint_spec.ports).toEqual([expect.objectContaining({ target_port: 5678, published_port: 5678 })]);
  });

  it('runs on Kubernetes: Deployment, PVC, Service, probes', () => {
    const json = Testing.synthScope((scope) => {
      new KubernetesWorkload(scope, 'echo', { description: echo, namespace: 'demo' }).exposeViaService({ serviceType: 'ClusterIP' });
    });
    const [container] = deploymentNamed(json, 'echo').spec.template.spec.container;
    expect(container).toMatchObject({
      image: 'hashicorp/http-echo:1.0',
      env: [{ name: 'ECHO_TEXT', value: 'hello' }],
      port: [{ name: 'http', container_port: 5678 }],
      volume_mount: [{ name: 'cache', mount_path: '/cache' }],
      readiness_probe: { http_get: { path: '/', port: '5678' } },
    });
    expect(resourceNamed(json, 'kubernetes_persistent_volume_claim_v1', 'echo-cache')).toMatchObject({ spec: { resources: { requests: { storage: '64Mi' } } } });
    expect(resourceNamed(json, 'kubernetes_service_v1', 'echo')).toMatchObject({ spec: { type: 'ClusterIP', port: [{ port: 5678 }] } });
  });
});

describe('SecretValue', () => {
  it('gives its Terraform value where the target passes values, and refuses where only the cluster has it', () => {
    expect(SecretValue.fromTerraform('db-password', '${var.x}').valueFor('Owner')).toBe('${var.x}');
    expect(() => SecretValue.fromKubernetesSecret('db-password', 'db', 'password').valueFor('WordpressDocker wordpress'))
      .toThrow(/WordpressDocker wordpress: invalid secret "db-password": the value lives only in the Kubernetes Secret "db"/);
  });

  it('names its compose variable after itself', () => {
    expect(SecretValue.fromEnvironment('db-root-password').composeVariable).toBe('DB_ROOT_PASSWORD');
  });

  it('remembers where a Secret stores it', () => {
    expect(SecretValue.fromTerraform('a', 'v').storedIn('s', 'K')).toMatchObject({ terraformValue: 'v', kubernetesSecret: { name: 's', key: 'K' } });
  });
});

describe('terraformLiteral', () => {
  it.each([
    ['${HOME}', '$${HOME}'],
    ['%{ if x }', '%%{ if x }'],
    ['price: $5 and 100%', 'price: $5 and 100%'],
    ["define('A', '${x}%{y}');\n", "define('A', '$${x}%%{y}');\n"],
  ])('escapes %j for Terraform', (input, expected) => {
    expect(terraformLiteral(input)).toBe(expected);
  });
});

describe('checkService', () => {
  const check = (overrides: Partial<ServiceDescription>) => () => checkService('Test', { ...echo, ...overrides });
  it.each([
    ['a name that is not a DNS label', { name: 'Echo_1' }, /invalid name "Echo_1"/],
    ['no port', { ports: [] }, /invalid ports \[\]: must list at least one port/],
    ['a relative mount path', { volumes: [{ name: 'cache', path: 'cache', size: '1Gi' }] }, /invalid volumes\[0\].path "cache": must be an absolute path/],
    ['a bad env name', { env: { 'BAD-NAME': env.value('x') } }, /invalid env "BAD-NAME"/],
    ['a memory request above the limit', { resources: { cpuRequest: '1', cpuLimit: '1', memoryRequest: '2Gi', memoryLimit: '512Mi' } },
      /invalid resources.memoryRequest "2Gi": must not be above resources.memoryLimit "512Mi"/],
    ['a CPU request that is not a quantity', { resources: { cpuRequest: '1 core', cpuLimit: '1 core', memoryRequest: '1Mi', memoryLimit: '1Mi' } }, /invalid resources.cpuRequest "1 core"/],
    ['a CPU request above the limit', { resources: { cpuRequest: '2', cpuLimit: '500m', memoryRequest: '1Mi', memoryLimit: '1Mi' } },
      /invalid resources.cpuRequest "2": must not be above resources.cpuLimit "500m"/],
    ['root as the user', { security: { user: { uid: 0, gid: 0 } } }, /invalid security.user.uid 0: must be an integer from 1/],
    ['a relative writable path', { security: { user: { uid: 1, gid: 1 }, writablePaths: ['tmp'] } }, /invalid security.writablePaths\[0\] "tmp": must be an absolute path below \//],
  ] as [string, Partial<ServiceDescription>, RegExp][])('rejects %s', (_name, overrides, message) => {
    expect(check(overrides)).toThrow(message);
  });

  it('accepts a request equal to the limit in other units', () => {
    expect(check({ resources: { cpuRequest: '1', cpuLimit: '1', memoryRequest: '1024Mi', memoryLimit: '1Gi' } })).not.toThrow();
  });
});

describe('checkService: sidecars', () => {
  const base: ServiceDescription = {
    name: 'web', appName: 'demo', image: 'nginx:1.27', env: {}, ports: [{ name: 'http', port: 80 }], volumes: [],
    health: { command: ['true'] }, capabilities: [], resources: { cpuRequest: '10m', cpuLimit: '500m', memoryRequest: '16Mi', memoryLimit: '32Mi' }, security: { user: { uid: 1000, gid: 1000 } },
  };
  const sidecar: ServiceDescription = { ...base, name: 'exporter', ports: [{ name: 'metrics', port: 9100 }] };

  it('accepts sidecars on other ports', () => {
    expect(() => checkService('T', { ...base, sidecars: [sidecar] })).not.toThrow();
  });

  it.each([
    [{ ...sidecar, ports: [{ name: 'metrics', port: 80 }] }, /invalid sidecars\[0\]\.ports 80: is already used by web in the same network namespace/],
    [{ ...sidecar, name: 'web' }, /invalid sidecars\[0\]\.name "web": must differ/],
    [{ ...sidecar, volumes: [{ name: 'data', path: '/data', size: '1Gi' }] }, /invalid sidecars\[0\]\.volumes \["data"\]: must be empty/],
    [{ ...sidecar, sidecars: [{ ...sidecar, name: 'x', ports: [{ name: 'x', port: 1 }] }] }, /invalid sidecars\[0\]\.sidecars \["x"\]: must be empty/],
    [{ ...sidecar, image: 'Bad Image' }, /T sidecars\[0\]: invalid image/],
  ])('rejects a sidecar %#', (bad, message) => {
    expect(() => checkService('T', { ...base, sidecars: [bad] })).toThrow(message);
  });
});
