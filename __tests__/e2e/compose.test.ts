import { parse } from 'yaml';
import { composeFile, renderCompose, stackFile } from '../../e2e/compose';
import { mysqlDatabase, mysqlService } from '../../constructs/mysql';
import { SecretValue } from '../../constructs/service';
import { wordpressService } from '../../constructs/wordpress';
import { DOCKER_STACK, DockerStack } from '../../stacks/docker-stack';
import { containerNamed, synthStack, testConfig } from '../helpers';

interface ComposeService {
  environment: Record<string, string>; ports?: string[]; volumes: string[]; cap_add: string[];
  cpus: number; mem_limit: string; memswap_limit: string; read_only: boolean; tmpfs?: string[]; security_opt: string[];
  logging: { driver: string; options: Record<string, string> };
  networks?: string[]; depends_on?: string[];
}

describe('the compose baseline', () => {
  const { yaml, secretVariables } = composeFile({ wordpressImage: 'wp:1', mysqlImage: 'db:1', hostPort: 18081, configExtra: "define('A', '$x');" });
  const file = parse(yaml) as { services: Record<string, ComposeService>; networks?: Record<string, object> };

  it('comes from the same descriptions: service names, env contract, mounts, capabilities', () => {
    expect(Object.keys(file.services)).toEqual(['mysql', 'wordpress']);
    expect(file.services.wordpress.environment).toEqual({
      WORDPRESS_DB_HOST: 'mysql:3306', WORDPRESS_DB_USER: 'wordpress', WORDPRESS_DB_PASSWORD: '${DB_PASSWORD}',
      WORDPRESS_DB_NAME: 'wordpress', WORDPRESS_CONFIG_EXTRA: "define('A', '$$x');",
    });
    expect(file.services.mysql.environment.MYSQL_ROOT_PASSWORD).toBe('${DB_ROOT_PASSWORD}');
    expect(file.services.mysql.volumes).toEqual(['mysql_data:/var/lib/mysql']);
    expect(file.services.wordpress.ports).toEqual(['127.0.0.1:18081:80']);
    expect(file.services.wordpress.cap_add).toContain('NET_BIND_SERVICE');
  });

  it('runs each container as the Docker stack does: same CPU and memory limits, root filesystem, privileges and logs', () => {
    const { json } = synthStack((app) => new DockerStack(app, DOCKER_STACK, testConfig()));
    for (const [service, container] of [['mysql', 'wordpress-mysql'], ['wordpress', 'wordpress-wordpress']]) {
      const stack = containerNamed(json, container);
      const compose = file.services[service];
      expect(compose.cpus).toBe(Number(stack.cpus));
      expect([compose.mem_limit, compose.memswap_limit]).toEqual([`${stack.memory}m`, `${stack.memory_swap}m`]);
      expect(compose.read_only).toBe(stack.read_only ?? false);
      expect(Object.fromEntries((compose.tmpfs ?? []).map((t) => [t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1)]))).toEqual(stack.tmpfs ?? {});
      expect(compose.security_opt).toEqual(stack.security_opts);
      expect(compose.logging).toEqual({ driver: stack.log_driver, options: stack.log_opts });
    }
    expect(file.services.mysql.cpus).toBe(1); // the MySQL limit of app-model.ts: not compose's default (no limit)
  });

  it('puts each container on the networks of the Docker stack: MySQL on its own, WordPress on the app network and MySQL\'s', () => {
    const { json } = synthStack((app) => new DockerStack(app, DOCKER_STACK, testConfig()));
    const networkNames = JSON.parse(json).resource.docker_network as Record<string, { name: string }>;
    // The stack's networks are `<app>` and `<app>-<service>`; compose's `default` and `<service>` (prefixed by the project).
    const stackNetworks = (container: string) => containerNamed(json, container).networks_advanced
      .map(({ name }) => networkNames[/^\$\{docker_network\.([^.]+)\.name\}$/.exec(name)?.[1] ?? ''].name);
    const composeNetworks = (service: string) => (file.services[service].networks ?? []).map((n) => (n === 'default' ? 'wordpress' : `wordpress-${n}`));
    expect(stackNetworks('wordpress-mysql')).toEqual(['wordpress-mysql']);
    expect(composeNetworks('mysql')).toEqual(stackNetworks('wordpress-mysql'));
    expect(composeNetworks('wordpress')).toEqual(stackNetworks('wordpress-wordpress'));
    expect(file.networks).toEqual({ mysql: {} });
    expect(file.services.wordpress.depends_on).toEqual(['mysql']);
  });

  it('gives the Swarm baseline the same topology: MySQL on an overlay network of its own that WordPress joins', () => {
    const stack = parse(stackFile({ wordpressImage: 'wp:1', mysqlImage: 'db:1', hostPort: 18082, replicas: 2, loadBalancerImage: 'lb:1' }).yaml) as
      { services: Record<string, { networks: string[] }>; networks: Record<string, object> };
    expect(Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.networks]))).toEqual({
      mysql: ['mysql'], wordpress: ['default', 'mysql'], lb: ['default'],
    });
    expect(stack.networks).toEqual({ mysql: {} });
  });

  it('refuses a client of a service that has no network of its own', () => {
    const credentials = { databaseName: 'wordpress', username: 'wordpress', rootPassword: SecretValue.fromEnvironment('a'), userPassword: SecretValue.fromEnvironment('b') };
    const mysql = mysqlService({ credentials, image: 'db:1' });
    const wordpress = wordpressService({ database: mysqlDatabase({ credentials }, credentials.userPassword), image: 'wp:1' });
    expect(() => renderCompose([{ description: mysql }, { description: wordpress, connectsTo: [mysql] }])).toThrow('wordpress connects to mysql, which has no network of its own (ownNetwork)');
  });

  it('reads every secret from the environment', () => {
    expect(secretVariables).toEqual(['DB_PASSWORD', 'DB_ROOT_PASSWORD']);
    expect(yaml).not.toMatch(/PASSWORD: [^$]/);
  });
});
