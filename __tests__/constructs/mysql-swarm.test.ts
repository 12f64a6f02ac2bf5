import { Testing } from 'cdktf';
import { swarmServiceNamed } from '../helpers';
import { swarmApp } from '../apps/swarm';

describe('MysqlSwarm', () => {
  const json = Testing.synthScope((scope) => { swarmApp(scope); });
  const mysql = swarmServiceNamed(json, 'blog-mysql');

  it('reads both passwords from Swarm secrets (MYSQL_*_PASSWORD_FILE), none in env', () => {
    expect(mysql.task_spec.container_spec.env).toEqual({
      MYSQL_ROOT_PASSWORD_FILE: '/run/secrets/blog-mysql-db-root-password',
      MYSQL_DATABASE: 'wordpress',
      MYSQL_USER: 'wordpress',
      MYSQL_PASSWORD_FILE: '/run/secrets/blog-mysql-db-password',
    });
    for (const name of ['blog-mysql-db-root-password', 'blog-mysql-db-password']) {
      expect(json).toMatch(new RegExp(`"name": "${name}"`));
    }
  });

  it('is one task, stopped before its replacement starts, on its data volume', () => {
    expect(mysql.mode).toEqual({ replicated: { replicas: 1 } });
    expect(mysql.update_config).toMatchObject({ order: 'stop-first' });
    expect(mysql.task_spec.container_spec.mounts).toEqual([
      expect.objectContaining({ target: '/var/lib/mysql' }), { type: 'tmpfs', target: '/var/run/mysqld' }, { type: 'tmpfs', target: '/tmp' },
    ]);
    expect(mysql.task_spec.container_spec).toMatchObject({ read_only: true });
    expect(mysql.endpoint_spec).toEqual({ mode: 'dnsrr' });
  });

  it('is reachable as "mysql" on its own overlay network only', () => {
    expect(mysql.task_spec.networks_advanced).toEqual([{ name: expect.stringMatching(/docker_network\.mysql_network/), aliases: ['mysql'] }]);
  });
});
