import { Testing } from 'cdktf';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DatabaseCredentials } from '../../constructs/database-credentials';
import { LoadBalancerDocker } from '../../constructs/load-balancer-docker';
import { MysqlDocker } from '../../constructs/mysql-docker';
import { WordpressDocker } from '../../constructs/wordpress-docker';
import { containerNamed, resources } from '../helpers';

describe('LoadBalancerDocker', () => {
  let url = '';
  const json = Testing.synthScope((scope) => {
    const network = new Network(scope, 'net', { name: 'blog' });
    const mysql = new MysqlDocker(scope, 'mysql', { credentials: new DatabaseCredentials(scope, 'c'), appName: 'blog' });
    const site = new WordpressDocker(scope, 'wordpress', { database: mysql, appName: 'blog', networks: [network], replicas: 3 });
    mysql.allowFrom(site);
    url = new LoadBalancerDocker(scope, 'lb', { backend: site, appName: 'blog', networks: [network], publish: { hostPort: 9000 } }).url;
  });
  const lb = containerNamed(json, 'blog-lb');

  it('is published on the host in front of the replicas, which publish nothing', () => {
    expect(lb.ports).toEqual([{ internal: 8080, external: 9000, ip: '127.0.0.1', protocol: 'tcp' }]);
    expect(url).toBe('http://127.0.0.1:9000');
    for (const name of ['blog-wordpress', 'blog-wordpress-2', 'blog-wordpress-3']) expect(containerNamed(json, name).ports).toBeUndefined();
  });

  it('finds the replicas by their shared name on the network it joins with them, its config uploaded', () => {
    expect(lb.networks_advanced).toEqual([{ name: '${docker_network.net.name}', aliases: ['lb'] }]);
    const [upload] = lb.upload as { file: string; content: string }[];
    expect(upload.file).toBe('/usr/local/etc/haproxy/haproxy.cfg');
    expect(upload.content).toMatch(/server-template wordpress 10 wordpress:80/);
    expect(resources(JSON.parse(json), 'docker_container')).toHaveLength(5);
    expect(lb.depends_on).toEqual([expect.stringMatching(/^docker_container\.wordpress_container_/), expect.stringMatching(/container-2/), expect.stringMatching(/container-3/)]);
  });
});
