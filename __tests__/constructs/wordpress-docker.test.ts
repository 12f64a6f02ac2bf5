import { Testing } from 'cdktf';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { WordpressDocker } from '../../constructs/wordpress-docker';
import { containerNamed, envValue } from '../helpers';
import { dockerApp } from '../apps/docker';

/** The app with WordPress unpublished, synthesized once for the tests that only read it. */
let plainJson: string | undefined;
const plainApp = () => (plainJson ??= Testing.synthScope((scope) => { dockerApp(scope); }));

describe('WordpressDocker', () => {
  it('publishes port 80 on 127.0.0.1:8080 by default and reports the URL', () => {
    let url = '';
    const json = Testing.synthScope((scope) => { url = dockerApp(scope).site.publish(); });
    expect(containerNamed(json, 'blog-wordpress').ports).toEqual([{ internal: 80, external: 8080, ip: '127.0.0.1', protocol: 'tcp' }]);
    expect(url).toBe('http://127.0.0.1:8080');
  });

  it('takes the bind address and port from publish()', () => {
    let site: WordpressDocker | undefined;
    const json = Testing.synthScope((scope) => { site = dockerApp(scope).site; site.publish({ hostPort: 9090, bindAddress: '0.0.0.0' }); });
    expect(containerNamed(json, 'blog-wordpress').ports).toEqual([{ internal: 80, external: 9090, ip: '0.0.0.0', protocol: 'tcp' }]);
    expect(site?.url).toBe('http://127.0.0.1:9090');
  });

  it('has no URL and publishes nothing until publish() is called', () => {
    let site: WordpressDocker | undefined;
    const json = Testing.synthScope((scope) => { site = dockerApp(scope).site; });
    expect(containerNamed(json, 'blog-wordpress').ports).toBeUndefined();
    expect(() => site?.url).toThrow(/not published: call publish\(\) first/);
  });

  it('connects to the database by its service name with the same generated password', () => {
    const json = plainApp();
    const { env } = containerNamed(json, 'blog-wordpress');
    const mysqlEnv = containerNamed(json, 'blog-mysql').env;
    expect(env).toContain('WORDPRESS_DB_HOST=mysql:3306');
    expect(env).toContain('WORDPRESS_DB_USER=wordpress');
    expect(env).toContain('WORDPRESS_DB_NAME=wordpress');
    expect(envValue(env, 'WORDPRESS_DB_PASSWORD')).toBe(envValue(mysqlEnv, 'MYSQL_PASSWORD'));
  });

  it('joins its own networks and, through allowFrom, the database network', () => {
    const json = plainApp();
    const names = containerNamed(json, 'blog-wordpress').networks_advanced.map((n) => n.name);
    expect(names).toEqual(['${docker_network.net.name}', expect.stringMatching(/^\$\{docker_network\.mysql_network/)]);
  });

  it('waits for its healthcheck; is created beside the database, not after it', () => {
    const json = plainApp();
    const wordpress = containerNamed(json, 'blog-wordpress');
    expect(wordpress).toMatchObject({ wait: true, wait_timeout: 300, restart: 'unless-stopped' });
    expect(wordpress.healthcheck).toMatchObject({ test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1/wp-login.php'] });
    expect(wordpress.depends_on).toBeUndefined();
    expect(json).toHaveResourceWithProperties(Volume, { name: 'blog-wordpress-content' });
  });

  it('passes extra wp-config PHP only when given, Terraform template syntax escaped', () => {
    const plain = plainApp();
    expect(containerNamed(plain, 'blog-wordpress').env).not.toContainEqual(expect.stringMatching(/^WORDPRESS_CONFIG_EXTRA=/));
    const extra = Testing.synthScope((scope) => { dockerApp(scope, { configExtra: "define('WP_HTTP_BLOCK_EXTERNAL', true); // ${HOME} %{x}" }); });
    expect(containerNamed(extra, 'blog-wordpress').env).toContain("WORDPRESS_CONFIG_EXTRA=define('WP_HTTP_BLOCK_EXTERNAL', true); // $${HOME} %%{x}");
  });
});
