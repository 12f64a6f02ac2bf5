import { Testing } from 'cdktf';
import { swarmServiceNamed } from '../helpers';
import { swarmApp } from '../apps/swarm';

describe('LoadBalancerSwarm', () => {
  let url = '';
  const json = Testing.synthScope((scope) => { url = swarmApp(scope).lb.url; });
  const lb = swarmServiceNamed(json, 'blog-lb');

  it('is published in host mode and reports the URL', () => {
    expect(lb.endpoint_spec).toEqual({ mode: 'dnsrr', ports: [{ target_port: 8080, published_port: 9000, publish_mode: 'host', protocol: 'tcp' }] });
    expect(url).toBe('http://127.0.0.1:9000');
  });

  it('is updated stop-first: a host-mode port is bound by one task at a time', () => {
    expect(lb.update_config).toMatchObject({ order: 'stop-first' });
  });

  it('balances the WordPress tasks on the network it shares with them, its config a Swarm config', () => {
    expect(lb.task_spec.networks_advanced).toEqual([{ name: '${docker_network.net.id}', aliases: ['lb'] }]);
    const [config] = Object.values(JSON.parse(json).resource.docker_config) as { data: string }[];
    expect(Buffer.from(config.data, 'base64').toString()).toMatch(/server-template wordpress 10 tasks\.wordpress:80/);
    expect(lb.task_spec.container_spec.configs).toEqual([expect.objectContaining({ file_name: '/usr/local/etc/haproxy/haproxy.cfg' })]);
  });
});
