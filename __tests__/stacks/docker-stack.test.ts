import { App, Testing } from 'cdktf';
import { DOCKER_STACK, DockerStack } from '../../stacks/docker-stack';
import { AppConfig } from '../../stacks/config';
import { containerNamed, envValue, passwordValues, resources, synthStack, testConfig } from '../helpers';

const docker = synthStack((app) => new DockerStack(app, DOCKER_STACK, testConfig()));
const synthWith = (overrides: Partial<AppConfig>) => synthStack((app) => new DockerStack(app, 'd', testConfig(overrides)));

describe('Docker stack', () => {
  it('matches the snapshot', () => {
    expect(docker.config).toMatchSnapshot();
  });

  it('has two containers, the app network, the database network and two volumes', () => {
    expect(resources(docker.config, 'docker_container').map((c) => c.name)).toEqual(['wordpress-mysql', 'wordpress-wordpress']);
    expect(resources(docker.config, 'docker_network').map((n) => n.name).sort()).toEqual(['wordpress', 'wordpress-mysql']);
    expect(resources(docker.config, 'docker_volume').map((v) => v.name)).toEqual(['wordpress-mysql-data', 'wordpress-wordpress-content']);
  });

  it('keeps the Terraform addresses of the data: volumes and generated passwords', () => {
    // A new address would destroy the volume (and its data) or regenerate a password the volume keeps.
    expect(Object.keys(docker.config.resource.docker_volume)).toEqual(['mysql_data_3421C678', 'wordpress_content_ED8D8C61']);
    expect(Object.keys(docker.config.resource.random_password).filter((k) => k.startsWith('credentials')))
      .toEqual(['credentials_root-password_15F659D1', 'credentials_user-password_F781826A']);
  });

  it('protects the data by default: prevent_destroy on the volumes and the passwords the database keeps, not on the WordPress keys', () => {
    const prevented = (type: string) => Object.fromEntries(Object.entries(docker.config.resource[type])
      .map(([address, r]) => [address.replace(/_[0-9A-F]{8}$/, ''), (r as { lifecycle?: { prevent_destroy?: boolean } }).lifecycle?.prevent_destroy === true]));
    expect(prevented('docker_volume')).toEqual({ mysql_data: true, wordpress_content: true });
    expect(prevented('random_password')).toEqual({ 'credentials_root-password': true, 'credentials_user-password': true });
    expect(Object.values(prevented('random_bytes'))).toEqual(Array(8).fill(false));
    const { config } = synthWith({ protectData: false });
    expect(JSON.stringify(config)).not.toMatch(/"prevent_destroy":true/);
  });

  it('lets only WordPress onto the database network', () => {
    const onNetwork = (name: string) => resources(docker.config, 'docker_container')
      .filter((c) => (c.networks_advanced as { name: string }[]).some((n) => n.name.includes(name))).map((c) => c.name);
    expect(onNetwork('mysql_network')).toEqual(['wordpress-mysql', 'wordpress-wordpress']);
    expect(onNetwork('docker_network.network.')).toEqual(['wordpress-wordpress']);
  });

  it('pins kreuzwerker/docker 3.6.2 and outputs the URL', () => {
    expect(docker.config.terraform.required_providers.docker).toEqual({ source: 'kreuzwerker/docker', version: '3.6.2' });
    expect(docker.config.output?.url.value).toBe('http://127.0.0.1:8080');
  });

  it('holds no password literal, only references to generated passwords', () => {
    const values = passwordValues(docker.config.resource);
    expect(values).toHaveLength(3);
    for (const value of values) expect(value).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
  });

  it('uses an existing database: no MySQL, WordPress points at it, the password from a sensitive variable', () => {
    const { config } = synthWith({ databaseHost: 'db.example.com:3307', databaseUser: 'blog' });
    expect(resources(config, 'docker_container').map((c) => c.name)).toEqual(['wordpress-wordpress']);
    expect(resources(config, 'docker_volume').map((v) => v.name)).toEqual(['wordpress-wordpress-content']);
    expect(config.resource.random_password).toBeUndefined();
    expect(Object.keys(config.resource.random_bytes).every((k) => k.startsWith('wordpress-keys'))).toBe(true);
    const { env } = containerNamed(JSON.stringify(config), 'wordpress-wordpress');
    expect(env).toEqual(expect.arrayContaining(['WORDPRESS_DB_HOST=db.example.com:3307', 'WORDPRESS_DB_USER=blog', 'WORDPRESS_DB_PASSWORD=${var.database_password}']));
    expect(config.variable?.database_password).toMatchObject({ sensitive: true, type: 'string' });
  });

  it('passes free text to the container literally', () => {
    const { config } = synthWith({ wordpressConfigExtra: '${HOME} %{x}' });
    expect(containerNamed(JSON.stringify(config), 'wordpress-wordpress').env).toContain('WORDPRESS_CONFIG_EXTRA=$${HOME} %%{x}');
  });

  it.each([
    [{ appName: 'WordPress' }, /invalid appName "WordPress": must be a DNS-1123 label/],
    [{ hostPort: 0 }, /invalid hostPort 0: must be an integer from 1 to 65535/],
    [{ hostPort: 70000 }, /invalid hostPort 70000/],
    [{ bindAddress: 'localhost' }, /invalid bindAddress "localhost": must be an IPv4 address/],
    [{ wordpressImage: '' }, /invalid image "": must be a non-empty image reference/],
    [{ mysqlImage: 'MySQL:8.4' }, /invalid image "MySQL:8.4"/],
    [{ databaseUser: 'root' }, /invalid username "root": must not be 'root'/],
  ] as [Partial<AppConfig>, RegExp][])('rejects %j at synth time', (overrides, message) => {
    expect(() => synthWith(overrides)).toThrow(message);
  });

  it('accepts the largest valid values', () => {
    expect(() => synthWith({ hostPort: 65535, bindAddress: '0.0.0.0' })).not.toThrow();
  });

  it('puts HAProxy in front of several WordPress containers and publishes it instead', () => {
    const { config, json } = synthWith({ wordpressReplicas: 3, hostPort: 9000 });
    expect(resources(config, 'docker_container').map((c) => c.name).sort())
      .toEqual(['wordpress-lb', 'wordpress-mysql', 'wordpress-wordpress', 'wordpress-wordpress-2', 'wordpress-wordpress-3']);
    expect(containerNamed(json, 'wordpress-lb').ports).toEqual([expect.objectContaining({ external: 9000 })]);
    expect(containerNamed(json, 'wordpress-wordpress').ports).toBeUndefined();
    expect(config.output?.url.value).toBe('http://127.0.0.1:9000');
    // Still one content volume: the replicas share it.
    expect(resources(config, 'docker_volume').map((v) => v.name)).toEqual(['wordpress-mysql-data', 'wordpress-wordpress-content']);
  });

  it('names the setting the user wrote when a value is bad', () => {
    expect(() => synthWith({ bindAddress: 'localhost', sources: { bindAddress: 'WPCDK_BIND_ADDRESS' } }))
      .toThrow(/^WPCDK_BIND_ADDRESS="localhost" is invalid: must be an IPv4 address .*\(WordpressDocker d\/wordpress, prop bindAddress\)$/);
  });

  it('refuses two Docker stacks with the same names in one app, naming both', () => {
    const app: App = Testing.app();
    new DockerStack(app, 'blue', testConfig());
    expect(() => new DockerStack(app, 'green', testConfig())).toThrow(/Docker network "wordpress" would be created by both stack "blue" and stack "green"/);
    expect(() => new DockerStack(app, 'other', testConfig({ appName: 'other' }))).not.toThrow();
  });
});

describe('Docker stack with metrics', () => {
  it('is exactly the stack without them when the setting is off', () => {
    expect(synthWith({ metrics: false }).json).toBe(synthStack((app) => new DockerStack(app, 'd', testConfig())).json);
  });

  const { json, config } = synthWith({ metrics: true, protectData: false });
  const names = resources(config, 'docker_container').map((c) => c.name).sort();

  it('adds the exporters as sidecars, cAdvisor and Prometheus', () => {
    expect(names).toEqual(['wordpress-cadvisor', 'wordpress-mysql', 'wordpress-mysql-mysqld-exporter', 'wordpress-prometheus', 'wordpress-wordpress', 'wordpress-wordpress-apache-exporter']);
    expect(containerNamed(json, 'wordpress-mysql-mysqld-exporter').network_mode).toMatch(/^container:\$\{docker_container\.mysql_container_\w+\.id\}$/);
    expect(config.output?.prometheus_url.value).toBe('http://127.0.0.1:9090');
  });

  it('gives the exporter its own generated password; MySQL (re)creates its user at every start', () => {
    const mysql = containerNamed(json, 'wordpress-mysql');
    const password = envValue(containerNamed(json, 'wordpress-mysql-mysqld-exporter').env, 'MYSQLD_EXPORTER_PASSWORD');
    expect(password).toMatch(/^\$\{random_password\.exporter-credentials_password_\w+\.result\}$/);
    expect(mysql.command).toEqual(['--init-file=/etc/mysql/wpcdk-exporter-user.sql']);
    const [init] = mysql.upload as { file: string; content: string }[];
    expect(init.file).toBe('/etc/mysql/wpcdk-exporter-user.sql');
    expect(init.content).toContain(`IDENTIFIED BY '${password}'`);
  });

  it('puts Prometheus on the app network and on MySQL\'s (for its exporter)', () => {
    expect(containerNamed(json, 'wordpress-prometheus').networks_advanced.map((n) => n.name)).toEqual([
      '${docker_network.network.name}', expect.stringContaining('mysql_network'),
    ]);
  });

  it('reports a bad metrics setting by its variable', () => {
    expect(() => synthWith({ metrics: true, prometheusHostPort: 0, sources: { prometheusHostPort: 'WPCDK_PROMETHEUS_HOST_PORT' } }))
      .toThrow(/WPCDK_PROMETHEUS_HOST_PORT=0 is invalid/);
  });
});
