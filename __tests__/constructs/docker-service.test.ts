import { Testing } from 'cdktf';
import { DockerService } from '../../constructs/docker-service';
import { SecretValue, ServiceDescription, env } from '../../constructs/service';
import { containerNamed } from '../helpers';

const web: ServiceDescription = {
  name: 'web', appName: 'demo', image: 'nginx:1.27', env: {}, ports: [{ name: 'http', port: 80 }], volumes: [],
  health: { command: ['true'] }, capabilities: ['NET_BIND_SERVICE'], resources: { cpuRequest: '10m', memoryRequest: '16Mi', memoryLimit: '32Mi' },
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

  it('refuses two services with the same Docker name', () => {
    expect(() => Testing.synthScope((scope) => {
      new DockerService(scope, 'a', { description: web });
      new DockerService(scope, 'b', { description: web });
    })).toThrow(/Docker container "demo-web" would be created twice in stack/);
  });
});
