import { Construct } from 'constructs';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DatabaseCredentials } from '../../constructs/database-credentials';
import { MysqlDocker } from '../../constructs/mysql-docker';
import { WordpressDocker, WordpressDockerProps } from '../../constructs/wordpress-docker';

// One file per target, so a test loads only the provider bindings it synthesizes.

/** MySQL + WordPress on Docker in a test scope, connected and published as the stack does. */
export function dockerApp(scope: Construct, wordpress: Partial<WordpressDockerProps> = {}) {
  const network = new Network(scope, 'net', { name: 'blog' });
  const mysql = new MysqlDocker(scope, 'mysql', { credentials: new DatabaseCredentials(scope, 'credentials'), appName: 'blog' });
  const site = new WordpressDocker(scope, 'wordpress', { database: mysql, appName: 'blog', networks: [network], ...wordpress });
  mysql.allowFrom(site);
  return { mysql, site, network };
}
