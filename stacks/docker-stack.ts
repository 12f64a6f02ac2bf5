import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Network } from '@cdktf/provider-docker/lib/network';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { DEFAULT_APP_NAME } from '../constructs/app-model';
import { DatabaseCredentials } from '../constructs/database-credentials';
import { MysqlDocker } from '../constructs/mysql-docker';
import { WordpressDocker } from '../constructs/wordpress-docker';
import { AppConfig } from './config';

/** Name of the stack: `cdktf deploy wordpress-docker`. */
export const DOCKER_STACK = 'wordpress-docker';

/**
 * The docker-compose demo as a stack: one network, two containers, two named
 * volumes, on the local Docker engine (or the one DOCKER_HOST points at).
 */
export class DockerStack extends TerraformStack {
  public readonly mysql: MysqlDocker;
  public readonly wordpress: WordpressDocker;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    new DockerProvider(this, 'docker');
    new RandomProvider(this, 'random');

    const network = new Network(this, 'network', { name: config.appName ?? DEFAULT_APP_NAME });
    const credentials = new DatabaseCredentials(this, 'credentials');
    this.mysql = new MysqlDocker(this, 'mysql', { network, credentials, appName: config.appName, image: config.mysqlImage });
    this.wordpress = new WordpressDocker(this, 'wordpress', {
      network,
      database: this.mysql,
      appName: config.appName,
      image: config.wordpressImage,
      hostPort: config.hostPort,
      bindAddress: config.bindAddress,
      configExtra: config.wordpressConfigExtra,
    });

    new TerraformOutput(this, 'url', { value: this.wordpress.url, description: 'Open WordPress here' });
  }
}
