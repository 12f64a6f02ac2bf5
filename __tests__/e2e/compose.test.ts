import { parse } from 'yaml';
import { composeFile } from '../../e2e/compose';

describe('the compose baseline', () => {
  const { yaml, secretVariables } = composeFile({ wordpressImage: 'wp:1', mysqlImage: 'db:1', hostPort: 18081, configExtra: "define('A', '$x');" });
  const file = parse(yaml) as { services: Record<string, { environment: Record<string, string>; ports?: string[]; volumes: string[]; cap_add: string[] }> };

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

  it('reads every secret from the environment', () => {
    expect(secretVariables).toEqual(['DB_PASSWORD', 'DB_ROOT_PASSWORD']);
    expect(yaml).not.toMatch(/PASSWORD: [^$]/);
  });
});
