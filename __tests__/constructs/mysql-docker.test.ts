import { Testing } from 'cdktf';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { containerNamed } from '../helpers';
import { dockerApp } from '../apps/docker';

describe('MysqlDocker', () => {
  const json = Testing.synthScope((scope) => { dockerApp(scope); });
  const mysql = containerNamed(json, 'blog-mysql');

  it('is reachable as "mysql" only on a network of its own, and publishes no host port', () => {
    expect(json).toHaveResourceWithProperties(Network, { name: 'blog-mysql' });
    expect(mysql.networks_advanced).toEqual([{ name: expect.stringMatching(/^\$\{docker_network\.mysql_network.*\.name\}$/), aliases: ['mysql'] }]);
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

  it('is an IDatabase: its service name, port, user and the generated password', () => {
    let database: { host: string; port: number; username: string; databaseName: string } | undefined;
    Testing.synthScope((scope) => { database = dockerApp(scope).mysql; });
    expect(database).toMatchObject({ host: 'mysql', port: 3306, username: 'wordpress', databaseName: 'wordpress' });
  });
});
