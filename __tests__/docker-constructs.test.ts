import './helpers';
import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { DatabaseCredentials } from '../constructs/database-credentials';
import { MysqlDocker } from '../constructs/mysql-docker';
import { WordpressDocker, WordpressDockerProps } from '../constructs/wordpress-docker';
import { goDuration } from '../constructs/docker-common';

function app(scope: Construct, wordpress: Partial<WordpressDockerProps> = {}) {
  const network = new Network(scope, 'net', { name: 'blog' });
  const credentials = new DatabaseCredentials(scope, 'credentials');
  const mysql = new MysqlDocker(scope, 'mysql', { network, credentials, appName: 'blog' });
  const site = new WordpressDocker(scope, 'wordpress', { network, database: mysql, appName: 'blog', ...wordpress });
  return { mysql, site };
}

function containerNamed(json: string, name: string): Record<string, unknown> {
  const containers = Object.values(JSON.parse(json).resource.docker_container) as Record<string, unknown>[];
  const found = containers.find((c) => c.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

describe('MysqlDocker', () => {
  const json = Testing.synthScope((scope) => { app(scope); });
  const mysql = containerNamed(json, 'blog-mysql');

  it('joins the app network as "mysql" and publishes no host port', () => {
    expect(mysql.networks_advanced).toEqual([{ name: '${docker_network.net.name}', aliases: ['mysql'] }]);
    expect(mysql.ports).toBeUndefined();
  });

  it('keeps its data in a named volume mounted at /var/lib/mysql', () => {
    expect(json).toHaveResourceWithProperties(Volume, { name: 'blog-mysql-data' });
    expect(mysql.volumes).toEqual([{ volume_name: expect.stringContaining('docker_volume.mysql_data'), container_path: '/var/lib/mysql' }]);
  });

  it('has a healthcheck, a restart policy and the official env contract with generated passwords', () => {
    expect(mysql.healthcheck).toMatchObject({ test: ['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'], retries: 3 });
    expect(mysql.restart).toBe('unless-stopped');
    expect(mysql.env).toEqual([
      expect.stringMatching(/^MYSQL_ROOT_PASSWORD=\$\{random_password\..+\.result\}$/),
      'MYSQL_DATABASE=wordpress',
      'MYSQL_USER=wordpress',
      expect.stringMatching(/^MYSQL_PASSWORD=\$\{random_password\..+\.result\}$/),
    ]);
  });

  it('runs with all capabilities dropped except what the entrypoint needs', () => {
    // Spelled with CAP_ as the engine reports them, or every re-apply would replace the container.
    expect(mysql.capabilities).toEqual({ drop: ['ALL'], add: ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_SETGID', 'CAP_SETUID'] });
  });

  it('keeps the image locally on destroy and runs it by id', () => {
    expect(json).toHaveResourceWithProperties(Image, { name: 'mysql:8.4.6', keep_locally: true });
    expect(mysql.image).toMatch(/^\$\{docker_image\.mysql_image.*\.image_id\}$/);
  });
});

describe('WordpressDocker', () => {
  it('publishes port 80 on 127.0.0.1:8080 by default and reports the URL', () => {
    let url = '';
    const json = Testing.synthScope((scope) => { url = app(scope).site.url; });
    expect(containerNamed(json, 'blog-wordpress').ports).toEqual([{ internal: 80, external: 8080, ip: '127.0.0.1', protocol: 'tcp' }]);
    expect(url).toBe('http://127.0.0.1:8080');
  });

  it('takes the bind address and port from props', () => {
    let url = '';
    const json = Testing.synthScope((scope) => { url = app(scope, { hostPort: 9090, bindAddress: '0.0.0.0' }).site.url; });
    expect(containerNamed(json, 'blog-wordpress').ports).toEqual([{ internal: 80, external: 9090, ip: '0.0.0.0', protocol: 'tcp' }]);
    expect(url).toBe('http://127.0.0.1:9090');
  });

  it('connects to the database by its network alias with the same generated password', () => {
    const json = Testing.synthScope((scope) => { app(scope); });
    const env = containerNamed(json, 'blog-wordpress').env as string[];
    const mysqlEnv = containerNamed(json, 'blog-mysql').env as string[];
    expect(env).toContain('WORDPRESS_DB_HOST=mysql:3306');
    expect(env).toContain('WORDPRESS_DB_USER=wordpress');
    expect(env).toContain('WORDPRESS_DB_NAME=wordpress');
    const password = (list: string[], key: string) => list.find((e) => e.startsWith(`${key}=`))?.split('=')[1];
    expect(password(env, 'WORDPRESS_DB_PASSWORD')).toBe(password(mysqlEnv, 'MYSQL_PASSWORD'));
  });

  it('waits for its healthcheck, after the database exists', () => {
    const json = Testing.synthScope((scope) => { app(scope); });
    const wordpress = containerNamed(json, 'blog-wordpress');
    expect(wordpress).toMatchObject({ wait: true, wait_timeout: 300, restart: 'unless-stopped' });
    expect(wordpress.healthcheck).toMatchObject({ test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1/wp-login.php'] });
    expect(wordpress.depends_on).toEqual([expect.stringMatching(/^docker_container\.mysql_container/)]);
    expect(json).toHaveResourceWithProperties(Volume, { name: 'blog-wordpress-content' });
  });

  it('passes extra wp-config PHP only when given', () => {
    const plain = Testing.synthScope((scope) => { app(scope); });
    expect(containerNamed(plain, 'blog-wordpress').env).not.toContainEqual(expect.stringMatching(/^WORDPRESS_CONFIG_EXTRA=/));
    const extra = Testing.synthScope((scope) => { app(scope, { configExtra: "define('WP_HTTP_BLOCK_EXTERNAL', true);" }); });
    expect(containerNamed(extra, 'blog-wordpress').env).toContain("WORDPRESS_CONFIG_EXTRA=define('WP_HTTP_BLOCK_EXTERNAL', true);");
  });

  it('renders durations the way the provider reads them back', () => {
    expect([goDuration(2), goDuration(60), goDuration(90), goDuration(300), goDuration(3661)]).toEqual(['2s', '1m0s', '1m30s', '5m0s', '1h1m1s']);
  });
});
