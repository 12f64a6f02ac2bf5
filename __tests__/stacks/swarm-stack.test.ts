import { SWARM_STACK, SwarmStack } from '../../stacks/swarm-stack';
import { AppConfig } from '../../stacks/config';
import { passwordValues, resources, swarmServiceNamed, synthStack, testConfig } from '../helpers';

const swarm = synthStack((app) => new SwarmStack(app, SWARM_STACK, testConfig()));
const synthWith = (overrides: Partial<AppConfig>) => synthStack((app) => new SwarmStack(app, 's', testConfig(overrides)));

describe('Swarm stack', () => {
  it('matches the snapshot', () => {
    expect(swarm.config).toMatchSnapshot();
  });

  it('has three services, two overlay networks, two volumes, two secrets and the HAProxy config', () => {
    expect(resources(swarm.config, 'docker_service').map((s) => s.name)).toEqual(['wordpress-swarm-lb', 'wordpress-swarm-mysql', 'wordpress-swarm-wordpress']);
    expect(resources(swarm.config, 'docker_network').map((n) => [n.name, n.driver])).toEqual([['wordpress-swarm-mysql', 'overlay'], ['wordpress-swarm', 'overlay']]);
    expect(resources(swarm.config, 'docker_volume').map((v) => v.name)).toEqual(['wordpress-swarm-mysql-data', 'wordpress-swarm-wordpress-content']);
    expect(resources(swarm.config, 'docker_secret').map((s) => s.name).filter((n) => !String(n).includes('-wp-')).sort())
      .toEqual(['wordpress-swarm-mysql-db-password', 'wordpress-swarm-mysql-db-root-password', 'wordpress-swarm-wordpress-db-password']);
    expect(resources(swarm.config, 'docker_secret').filter((s) => String(s.name).includes('-wp-'))).toHaveLength(8);
    expect(resources(swarm.config, 'docker_config')).toHaveLength(1);
  });

  it('outputs the URL through the load balancer, the service names and the replica count', () => {
    expect(swarm.config.output?.url.value).toBe('http://127.0.0.1:8081');
    expect(swarm.config.output?.service_names.value).toEqual(['${docker_service.mysql_service_A1861A11.name}', '${docker_service.wordpress_service_F1F05D27.name}', '${docker_service.lb_service_08338522.name}']);
    expect(swarm.config.output?.wordpress_replicas.value).toBe(2);
  });

  it('holds no password literal: secrets only, from generated passwords, and no password in any env', () => {
    // Every password-ish value is the path of a secret file.
    const values = passwordValues(swarm.config.resource);
    expect(values).toHaveLength(3);
    for (const value of values) expect(value).toMatch(/^\/run\/secrets\/wordpress-swarm-[\w-]+$/);
    for (const secret of resources(swarm.config, 'docker_secret')) expect(secret.data).toMatch(/^\$\{base64encode\((random_password\.credentials_[\w-]+\.result|random_bytes\.wordpress-keys_[\w-]+\.hex)\)\}$/);
    for (const service of ['wordpress-swarm-mysql', 'wordpress-swarm-wordpress']) {
      const env = swarmServiceNamed(swarm.json, service).task_spec.container_spec.env ?? {};
      expect(Object.keys(env).filter((k) => /PASSWORD$/.test(k))).toEqual([]);
      expect(Object.keys(env).filter((k) => /PASSWORD_FILE$/.test(k)).length).toBeGreaterThan(0);
    }
  });

  it('takes replicas, port, publish mode and images from the config', () => {
    const { json, config } = synthWith({ wordpressReplicas: 4, swarmHostPort: 9090, swarmPublishMode: 'ingress', loadBalancerImage: 'local/haproxy:1' });
    expect(swarmServiceNamed(json, 'wordpress-swarm-wordpress').mode).toEqual({ replicated: { replicas: 4 } });
    expect(swarmServiceNamed(json, 'wordpress-swarm-lb').endpoint_spec).toEqual({ mode: 'vip', ports: [expect.objectContaining({ published_port: 9090, publish_mode: 'ingress' })] });
    expect(resources(config, 'docker_image').map((i) => i.name)).toContain('local/haproxy:1');
  });

  it('uses an existing database: no MySQL service, volume or generated password', () => {
    const { config } = synthWith({ databaseHost: 'db.example.com' });
    expect(resources(config, 'docker_service').map((s) => s.name).sort()).toEqual(['wordpress-swarm-lb', 'wordpress-swarm-wordpress']);
    expect(config.resource.random_password).toBeUndefined();
    expect(Object.keys(config.resource.random_bytes).every((k) => k.startsWith('wordpress-keys'))).toBe(true);
    expect(resources(config, 'docker_secret').filter((s) => !String(s.name).includes('-wp-'))).toEqual([expect.objectContaining({ data: '${base64encode(var.database_password)}' })]);
  });

  it.each([
    [{ swarmHostPort: 0 }, /invalid hostPort 0/],
    [{ wordpressReplicas: 101 }, /invalid replicas 101/],
    [{ loadBalancerImage: 'Bad Image' }, /invalid image "Bad Image"/],
    [{ appName: 'x'.repeat(35) }, /invalid appName "x{35}": must be a DNS-1123 label .* at most 34 characters/],
  ] as [Partial<AppConfig>, RegExp][])('rejects %j at synth time', (overrides, message) => {
    expect(() => synthWith(overrides)).toThrow(message);
  });
});
