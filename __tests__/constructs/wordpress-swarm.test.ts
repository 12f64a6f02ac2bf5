import { Testing } from 'cdktf';
import { swarmServiceNamed } from '../helpers';
import { swarmApp } from '../apps/swarm';

describe('WordpressSwarm', () => {
  const json = Testing.synthScope((scope) => { swarmApp(scope); });
  const wordpress = swarmServiceNamed(json, 'blog-wordpress');

  it('runs two replicas by default, rolled start-first with rollback', () => {
    expect(wordpress.mode).toEqual({ replicated: { replicas: 2 } });
    expect(wordpress.update_config).toMatchObject({ order: 'start-first', failure_action: 'rollback' });
  });

  it('reads the database password from the database secret file, and finds MySQL by name', () => {
    expect(wordpress.task_spec.container_spec.env).toMatchObject({
      WORDPRESS_DB_HOST: 'mysql:3306', WORDPRESS_DB_PASSWORD_FILE: '/run/secrets/blog-wordpress-db-password',
    });
    expect(JSON.stringify(wordpress.task_spec.container_spec.env)).not.toMatch(/"WORDPRESS_DB_PASSWORD"/);
  });

  it('joins the app network and the database network, and publishes nothing itself', () => {
    expect(wordpress.task_spec.networks_advanced?.map((n) => n.name)).toEqual(['${docker_network.net.id}', expect.stringMatching(/docker_network\.mysql_network/)]);
    expect(wordpress.endpoint_spec).toEqual({ mode: 'dnsrr' });
  });

  it('may signal its Apache children for a graceful stop (CAP_KILL)', () => {
    expect(wordpress.task_spec.container_spec.cap_add).toContain('CAP_KILL');
  });
});
