import { Construct } from 'constructs';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DatabaseCredentials } from '../../constructs/database-credentials';
import { LoadBalancerSwarm } from '../../constructs/load-balancer-swarm';
import { MysqlSwarm } from '../../constructs/mysql-swarm';
import { WordpressSwarm } from '../../constructs/wordpress-swarm';

/** MySQL + WordPress replicas + HAProxy on Swarm, connected as the stack does. */
export function swarmApp(scope: Construct) {
  const network = new Network(scope, 'net', { name: 'blog', driver: 'overlay' });
  const mysql = new MysqlSwarm(scope, 'mysql', { credentials: new DatabaseCredentials(scope, 'credentials'), appName: 'blog' });
  const site = new WordpressSwarm(scope, 'wordpress', { database: mysql, appName: 'blog', networks: [network] });
  mysql.allowFrom(site);
  const lb = new LoadBalancerSwarm(scope, 'lb', { backend: site, appName: 'blog', networks: [network], publish: { hostPort: 9000 } });
  return { mysql, site, lb };
}
