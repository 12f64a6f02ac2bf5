import { parse } from 'yaml';
import { composeFile } from '../../e2e/compose';
import { DOCKER_STACK, DockerStack } from '../../stacks/docker-stack';
import { containerNamed, synthStack, testConfig } from '../helpers';

interface ComposeService {
  environment: Record<string, string>; ports?: string[]; volumes: string[]; cap_add: string[];
  cpus: number; mem_limit: string; memswap_limit: string; read_only: boolean; tmpfs?: string[]; security_opt: string[];
  logging: { driver: string; options: Record<string, string> };
}

describe('the compose baseline', () => {
  const { yaml, secretVariables } = composeFile({ wordpressImage: 'wp:1', mysqlImage: 'db:1', hostPort: 18081, configExtra: "define('A', '$x');" });
  const file = parse(yaml) as { services: Record<string, ComposeService> };

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

  it('reads every secret from the environment', () => {
    expect(secretVariables).toEqual(['DB_PASSWORD', 'DB_ROOT_PASSWORD']);
    expect(yaml).not.toMatch(/PASSWORD: [^$]/);
  });
});
