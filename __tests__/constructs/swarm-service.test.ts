import { Testing } from 'cdktf';
import { Network } from '@cdktf/provider-docker/lib/network';
import { SecretValue, ServiceDescription, env } from '../../constructs/service';
import { SwarmService } from '../../constructs/swarm-service';
import { resourceNamed, swarmServiceNamed } from '../helpers';

const api: ServiceDescription = {
  name: 'api', appName: 'demo', image: 'demo/api:1', ports: [{ name: 'http', port: 8080 }],
  volumes: [{ name: 'data', path: '/data', size: '1Gi' }], files: [{ path: '/etc/api.conf', content: 'level = ${debug}' }],
  env: { MODE: env.value('prod'), TOKEN: env.secret(SecretValue.fromTerraform('token', '${var.token}')) },
  health: { command: ['/api', 'check'] }, capabilities: ['NET_BIND_SERVICE'], resources: { cpuRequest: '250m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '128Mi' }, security: { user: { uid: 1000, gid: 1000 } },
};

const serviceNamed = swarmServiceNamed;

describe('SwarmService', () => {
  const json = Testing.synthScope((scope) => { new SwarmService(scope, 'api', { description: api, replicas: 3 }); });
  const service = serviceNamed(json, 'demo-api');

  it('passes secrets as Swarm secrets mounted as files, read through VAR_FILE: no secret in env', () => {
    expect(service.task_spec.container_spec.env).toEqual({ MODE: 'prod', TOKEN_FILE: '/run/secrets/demo-api-token' });
    expect(resourceNamed(json, 'docker_secret', 'demo-api-token')).toMatchObject({ data: expect.stringMatching(/^\$\{base64encode\(.*var\.token.*\)\}$/) });
    expect(service.task_spec.container_spec.secrets).toEqual([expect.objectContaining({ file_name: expect.stringMatching(/^\/run\/secrets\/\$\{docker_secret\./) })]);
  });

  it('turns files into configs named after their content, replaced before the old one goes', () => {
    const configs = Object.values(JSON.parse(json).resource.docker_config) as { name: string; data: string; lifecycle: unknown }[];
    expect(configs).toEqual([expect.objectContaining({ name: expect.stringMatching(/^demo-api-file0-[0-9a-f]{10}$/), data: Buffer.from('level = ${debug}').toString('base64'), lifecycle: { create_before_destroy: true } })]);
    expect(service.task_spec.container_spec.configs).toEqual([expect.objectContaining({ file_name: '/etc/api.conf' })]);
  });

  it('is replicated over dnsrr (no IPVS needed), updates start-first with rollback', () => {
    expect(service.mode).toEqual({ replicated: { replicas: 3 } });
    expect(service.endpoint_spec).toEqual({ mode: 'dnsrr' });
    expect(service.update_config).toMatchObject({ order: 'start-first', failure_action: 'rollback', parallelism: 1 });
    expect(service.rollback_config).toMatchObject({ order: 'start-first' });
    expect(service.task_spec.restart_policy).toMatchObject({ condition: 'any' });
  });

  it('mounts named volumes, drops all capabilities but what it needs, and sets limits and reservations', () => {
    expect(service.task_spec.container_spec.mounts).toEqual([{ type: 'volume', source: expect.stringContaining('docker_volume.api_data'), target: '/data' }]);
    expect(resourceNamed(json, 'docker_volume', 'demo-api-data')).toBeDefined();
    expect(service.task_spec.container_spec).toMatchObject({ cap_drop: ['ALL'], cap_add: ['CAP_NET_BIND_SERVICE'] });
    expect(service.task_spec.resources).toEqual({ limits: { memory_bytes: 128 * 2 ** 20, nano_cpus: 500_000_000 }, reservation: { memory_bytes: 64 * 2 ** 20, nano_cpus: 250_000_000 } });
  });

  it('runs on a read-only root with rotated json-file logs', () => {
    expect(service.task_spec.container_spec).toMatchObject({ read_only: true });
    expect((service.task_spec as unknown as { log_driver: unknown }).log_driver).toEqual({ name: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
  });

  it('publishes in host mode, or on the routing mesh with a virtual IP only', () => {
    let url = '';
    const published = Testing.synthScope((scope) => { url = new SwarmService(scope, 'api', { description: api }).publish({ hostPort: 9000 }); });
    expect(serviceNamed(published, 'demo-api').endpoint_spec.ports).toEqual([{ target_port: 8080, published_port: 9000, publish_mode: 'host', protocol: 'tcp' }]);
    expect(url).toBe('http://127.0.0.1:9000');
    expect(() => Testing.synthScope((scope) => { new SwarmService(scope, 'api', { description: api }).publish({ mode: 'ingress' }); }))
      .toThrow(/invalid mode "ingress": needs endpointMode 'vip'/);
    expect(() => Testing.synthScope((scope) => { new SwarmService(scope, 'api', { description: api, endpointMode: 'vip' }).publish({ mode: 'ingress' }); })).not.toThrow();
  });

  it('lets clients join its own overlay network', () => {
    const synth = Testing.synthScope((scope) => {
      const server = new SwarmService(scope, 'api', { description: api, ownNetwork: true });
      const client = new SwarmService(scope, 'web', { description: { ...api, name: 'web', volumes: [] }, networks: [new Network(scope, 'net', { name: 'demo', driver: 'overlay' })] });
      server.allowFrom(client);
    });
    expect(resourceNamed(synth, 'docker_network', 'demo-api')).toMatchObject({ driver: 'overlay' });
    expect(serviceNamed(synth, 'demo-web').task_spec.networks_advanced).toEqual([
      { name: '${docker_network.net.id}', aliases: ['web'] },
      { name: expect.stringMatching(/^\$\{docker_network\.api_network.*\.id\}$/), aliases: ['web'] },
    ]);
  });

  it('names networks by id for provider builds that want it', () => {
    const synth = Testing.synthScope((scope) => {
      new SwarmService(scope, 'api', { description: api, ownNetwork: true, networkKey: 'id' });
    });
    expect(serviceNamed(synth, 'demo-api').task_spec.networks_advanced).toEqual([{ id: expect.stringMatching(/^\$\{docker_network\.api_network.*\.id\}$/), aliases: ['api'] }]);
  });

  it.each([
    [{ networkKey: 'uuid' as never }, /invalid networkKey "uuid": must be one of 'name', 'id'/],
    [{ replicas: 101 }, /invalid replicas 101/],
    [{ endpointMode: 'mesh' as never }, /invalid endpointMode "mesh": must be one of 'dnsrr', 'vip'/],
    [{ updateOrder: 'random' as never }, /invalid updateOrder "random"/],
  ])('rejects %j', (props, message) => {
    expect(() => Testing.synthScope((scope) => { new SwarmService(scope, 'api', { description: api, ...props }); })).toThrow(message);
  });

  it('refuses a secret only a Kubernetes cluster holds', () => {
    const external = { ...api, env: { TOKEN: env.secret(SecretValue.fromKubernetesSecret('token', 'tokens', 'token')) } };
    expect(() => Testing.synthScope((scope) => { new SwarmService(scope, 'api', { description: external }); })).toThrow(/invalid secret "token"/);
  });
});

describe('SwarmService and the metrics extensions', () => {
  const sidecar: ServiceDescription = { ...api, name: 'exporter', volumes: [], files: [], ports: [{ name: 'metrics', port: 9100 }] };

  it('passes args to the tasks', () => {
    const json = Testing.synthScope((scope) => { new SwarmService(scope, 'api', { description: { ...api, args: ['--verbose'] } }); });
    expect((swarmServiceNamed(json, 'demo-api').task_spec.container_spec as { args?: string[] }).args).toEqual(['--verbose']);
  });

  it('refuses sidecars, which it cannot render yet', () => {
    expect(() => Testing.synthScope((scope) => { new SwarmService(scope, 'api', { description: { ...api, sidecars: [sidecar] } }); }))
      .toThrow(/invalid sidecars \["exporter"\]: are not supported on Swarm/);
  });

  it('mounts a secret file from a Swarm secret, named by its version, never as a config', () => {
    const synthesized = Testing.synthScope((scope) => {
      new SwarmService(scope, 'api', { description: { ...api, env: {}, files: [{ path: '/etc/tls/site.pem', content: 'PEM', secret: true, version: 'v1' }] } });
    });
    const secrets = Object.values(JSON.parse(synthesized).resource.docker_secret) as { name: string; data: string; lifecycle: unknown }[];
    expect(secrets).toEqual([expect.objectContaining({ name: 'demo-api-file0-v1', data: Buffer.from('PEM').toString('base64'), lifecycle: { create_before_destroy: true } })]);
    expect(JSON.parse(synthesized).resource.docker_config).toBeUndefined();
    const service = Object.values(JSON.parse(synthesized).resource.docker_service)[0] as { task_spec: { container_spec: { secrets: { file_name: string }[] } } };
    expect(service.task_spec.container_spec.secrets).toEqual([expect.objectContaining({ file_name: '/etc/tls/site.pem' })]);
  });
});
