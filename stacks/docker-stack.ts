import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DEFAULT_APP_NAME } from '../constructs/app-model';
import { IDatabase } from '../constructs/database';
import { MysqlDocker } from '../constructs/mysql-docker';
import { claimName } from '../constructs/names';
import { WordpressDocker } from '../constructs/wordpress-docker';
import { checkDnsLabel } from '../constructs/validation';
import { AppConfig, fromSettings } from './config';
import { stackDatabase } from './database';

/** Name of the stack: `cdktf deploy wordpress-docker`. */
export const DOCKER_STACK = 'wordpress-docker';

/**
 * The docker-compose demo as a stack on the local Docker engine (or the one
 * DOCKER_HOST points at): WordPress on the app network and published on the
 * host; MySQL on a network of its own that only WordPress joins. With
 * `databaseHost` set, WordPress uses that database and no MySQL is created.
 */
export class DockerStack extends TerraformStack {
  public readonly database: IDatabase;
  /** The in-stack MySQL, unless an existing database is used. */
  public readonly mysql?: MysqlDocker;
  public readonly wordpress: WordpressDocker;
  public readonly url: string;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    new DockerProvider(this, 'docker');
    const appName = config.appName ?? DEFAULT_APP_NAME;
    fromSettings(config, { appName: 'appName' }, () => checkDnsLabel(`DockerStack ${id}`, 'appName', appName, 40));
    claimName(this, 'Docker network', appName);
    const network = new Network(this, 'network', { name: appName });

    ({ database: this.database, inStack: this.mysql } = stackDatabase(this, config, (credentials) =>
      fromSettings(config, { image: 'mysqlImage' }, () => new MysqlDocker(this, 'mysql', { credentials, appName, image: config.mysqlImage }))));
    this.wordpress = fromSettings(config, { image: 'wordpressImage', hostPort: 'hostPort', bindAddress: 'bindAddress' }, () => {
      const wordpress = new WordpressDocker(this, 'wordpress', {
        database: this.database, appName, networks: [network], image: config.wordpressImage, configExtra: config.wordpressConfigExtra,
      });
      wordpress.publish({ hostPort: config.hostPort, bindAddress: config.bindAddress });
      return wordpress;
    });
    this.mysql?.allowFrom(this.wordpress);
    this.url = this.wordpress.url;

    new TerraformOutput(this, 'url', { value: this.url, description: 'Open WordPress here' });
  }
}
