import { Testing } from 'cdktf';
import { DockerService, dockerReadOnlyRoot } from '../../constructs/docker-service';
import { SecretValue, ServiceDescription, env } from '../../constructs/service';
import { DockerContainer, containerNamed } from '../helpers';

const web: ServiceDescription = {
  name: 'web', appName: 'demo', image: 'nginx:1.27', env: {}, ports: [{ name: 'http', port: 80 }], volumes: [],
  health: { command: ['true'] }, capabilities: ['NET_BIND_SERVICE'], resources: { cpuRequest: '10m', cpuLimit: '500m', memoryRequest: '16Mi', memoryLimit: '32Mi' }, security: { user: { uid: 1000, gid: 1000 } },
};

describe('DockerService', () => {
  it('renders the health timing on every healthcheck field', () => {
    const json = Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: web }); });
    expect(containerNamed(json, 'demo-web').healthcheck).toEqual({ test: ['CMD', 'true'], interval: '2s', timeout: '5s', retries: 3, start_period: '5m0s' });
  });

  it('passes secrets it can read as values, and refuses one only a Kubernetes cluster holds', () => {
    const withSecret = (secret: SecretValue) => ({ ...web, env: { TOKEN: env.secret(secret) } });
    const json = Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: withSecret(SecretValue.fromTerraform('token', '${var.token}')) }); });
    expect(containerNamed(json, 'demo-web').env).toEqual(['TOKEN=${var.token}']);
    expect(() => Testing.synthScope((scope) => {
      new DockerService(scope, 'web', { description: withSecret(SecretValue.fromKubernetesSecret('token', 'tokens', 'TOKEN')) });
    })).toThrow(/DockerService stack\/web: invalid secret "token"/);
  });

  it('protects its named volumes from destroy and replacement by default (prevent_destroy)', () => {
    const withVolume = { ...web, volumes: [{ name: 'data', path: '/data', size: '1Gi' }] };
    const volumes = (props: { protectData?: boolean }) => Object.values(JSON.parse(Testing.synthScope((scope) => {
      new DockerService(scope, 'web', { description: withVolume, ...props });
    })).resource.docker_volume) as { name: string; lifecycle: unknown }[];
    expect(volumes({})).toEqual([{ name: 'demo-web-data', lifecycle: { prevent_destroy: true } }]);
    expect(volumes({ protectData: false })[0].lifecycle).toEqual({ prevent_destroy: false });
  });

  it('limits memory (no swap) and CPU, forbids new privileges, rotates its logs', () => {
    const json = Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: web }); });
    expect(containerNamed(json, 'demo-web')).toMatchObject({
      memory: 32, memory_swap: 32, cpus: '0.5', security_opts: ['no-new-privileges:true'],
      log_driver: 'json-file', log_opts: { 'max-size': '10m', 'max-file': '3' },
    });
  });

  it('spells the CPU limit as the provider reads it back, and refuses one it cannot spell', () => {
    const cpus = (cpuLimit: string) => containerNamed(Testing.synthScope((scope) => {
      new DockerService(scope, 'web', { description: { ...web, resources: { ...web.resources, cpuLimit } } });
    }), 'demo-web').cpus;
    expect(cpus('1')).toBe('1.0');
    expect(cpus('1500m')).toBe('1.5');
    expect(() => cpus('250m')).toThrow(/invalid web resources.cpuLimit "250m": must be a multiple of 100m on Docker/);
  });

  it('runs on a read-only root with a tmpfs per writable path, unless it has files to upload', () => {
    const writable = { ...web, security: { ...web.security, writablePaths: ['/run/web', '/tmp'] } };
    const json = Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: writable }); });
    expect(containerNamed(json, 'demo-web')).toMatchObject({ read_only: true, tmpfs: { '/run/web': 'rw,nosuid,nodev,noexec', '/tmp': 'rw,nosuid,nodev,noexec' } });
    expect(dockerReadOnlyRoot(writable)).toEqual({ readOnly: true, reason: '' });
    const withFile = { ...writable, files: [{ path: '/etc/web.conf', content: 'x' }] };
    const uploaded = containerNamed(Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: withFile }); }), 'demo-web');
    expect(uploaded.read_only).toBe(false);
    expect(uploaded.tmpfs).toBeUndefined();
    expect(dockerReadOnlyRoot(withFile).reason).toMatch(/\/etc\/web.conf\) are uploaded into the root filesystem/);
  });

  it('allowFrom needs a network of its own', () => {
    expect(() => Testing.synthScope((scope) => {
      const server = new DockerService(scope, 'web', { description: web });
      server.allowFrom(new DockerService(scope, 'client', { description: { ...web, name: 'client' } }));
    })).toThrow(/invalid ownNetwork false: must be true for allowFrom/);
  });

  it('rejects an unknown restart policy and a bad published port', () => {
    expect(() => Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: web, restart: 'sometimes' as never }); }))
      .toThrow(/invalid restart "sometimes": must be one of 'no', 'on-failure', 'always', 'unless-stopped'/);
    expect(() => Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: web }).publish({ hostPort: 0 }); }))
      .toThrow(/invalid hostPort 0: must be an integer from 1 to 65535/);
    expect(() => Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: web }).publish({ bindAddress: 'localhost' }); }))
      .toThrow(/invalid bindAddress "localhost": must be an IPv4 address/);
  });

  it('runs replicas as containers sharing volumes and the service name; scaling keeps the first address', () => {
    const withVolume = { ...web, volumes: [{ name: 'data', path: '/data', size: '1Gi' }] };
    const json = Testing.synthScope((scope) => {
      const server = new DockerService(scope, 'web', { description: withVolume, replicas: 3, ownNetwork: true });
      expect(() => server.publish()).toThrow(/invalid replicas 3: a host port is bound by one container: publish replicas through a load balancer/);
    });
    const containers = JSON.parse(json).resource.docker_container as Record<string, DockerContainer>;
    const byAddress = Object.fromEntries(Object.entries(containers).map(([address, c]) => [address.replace(/_[0-9A-F]{8}$/, ''), c.name]));
    expect(byAddress).toEqual({ web_container: 'demo-web', 'web_container-2': 'demo-web-2', 'web_container-3': 'demo-web-3' });
    for (const c of Object.values(containers)) {
      expect(c.volumes).toEqual([{ volume_name: expect.stringContaining('docker_volume.web_data'), container_path: '/data' }]);
      expect(c.networks_advanced).toEqual([{ name: expect.stringContaining('docker_network.web_network'), aliases: ['web'] }]);
    }
    expect(() => Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: web, replicas: 0 }); })).toThrow(/invalid replicas 0/);
  });

  it('refuses two services with the same Docker name', () => {
    expect(() => Testing.synthScope((scope) => {
      new DockerService(scope, 'a', { description: web });
      new DockerService(scope, 'b', { description: web });
    })).toThrow(/Docker container "demo-web" would be created twice in stack/);
  });
});

describe('DockerService sidecars, args and host mounts', () => {
  const exporter: ServiceDescription = { ...web, name: 'exporter', image: 'demo/exporter:1', ports: [{ name: 'metrics', port: 9100 }], capabilities: [], args: ['--listen=:9100'] };
  const json = Testing.synthScope((scope) => {
    new DockerService(scope, 'web', { description: { ...web, args: ['-g', 'daemon off;'], sidecars: [exporter] }, replicas: 2 });
  });

  it('passes args as the container command', () => {
    expect(containerNamed(json, 'demo-web').command).toEqual(['-g', 'daemon off;']);
    expect(containerNamed(json, 'demo-web-exporter').command).toEqual(['--listen=:9100']);
  });

  it('runs each sidecar in the network namespace of each container, by id, with its own image and labels', () => {
    expect(containerNamed(json, 'demo-web-exporter').network_mode).toMatch(/^container:\$\{docker_container\.web_container_\w+\.id\}$/);
    expect(containerNamed(json, 'demo-web-exporter-2').network_mode).toMatch(/^container:\$\{docker_container\.web_container-2_\w+\.id\}$/);
    expect(containerNamed(json, 'demo-web-exporter').networks_advanced).toBeUndefined();
    expect(containerNamed(json, 'demo-web-exporter').labels).toContainEqual({ label: 'app.kubernetes.io/name', value: 'exporter' });
    expect(Object.values(JSON.parse(json).resource.docker_image).map((i) => (i as { name: string }).name).sort()).toEqual(['demo/exporter:1', 'nginx:1.27']);
  });

  it('bind-mounts host paths read-only unless told otherwise', () => {
    const synth = Testing.synthScope((scope) => {
      new DockerService(scope, 'web', { description: web, hostMounts: [{ hostPath: '/sys', path: '/sys' }, { hostPath: '/tmp/x', path: '/x', readOnly: false }] });
    });
    expect(containerNamed(synth, 'demo-web').volumes).toEqual([
      { host_path: '/sys', container_path: '/sys', read_only: true },
      { host_path: '/tmp/x', container_path: '/x', read_only: false },
    ]);
    expect(() => Testing.synthScope((scope) => { new DockerService(scope, 'web', { description: web, hostMounts: [{ hostPath: 'sys', path: '/sys' }] }); }))
      .toThrow(/invalid hostMounts\[0\]\.hostPath "sys": must be an absolute path/);
  });
});
