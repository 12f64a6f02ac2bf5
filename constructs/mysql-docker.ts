import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { DEFAULT_APP_NAME, DEFAULT_IMAGES, MYSQL, MYSQL_ENV, labelsFor } from './app-model';
import { DatabaseCredentials } from './database-credentials';
import { RESTART_POLICIES, RestartPolicy, dockerCapabilities, dockerEnv, dockerHealthcheck, dockerLabels } from './docker-common';
import { checkDnsLabel, checkImage, checkOneOf } from './validation';

/** Props for {@link MysqlDocker}. */
export interface MysqlDockerProps {
  /** User-defined network the database joins; it publishes no host port. */
  readonly network: Network;
  /** Database name, user and generated passwords. */
  readonly credentials: DatabaseCredentials;
  /** Prefix of the Docker container and volume names. @default 'wordpress' */
  readonly appName?: string;
  /** MySQL-compatible image honoring the official image's MYSQL_* variables. @default 'mysql:8.4.6' */
  readonly image?: string;
  /** `docker run --restart` policy. @default 'unless-stopped' */
  readonly restart?: RestartPolicy;
}

/**
 * MySQL on Docker: the `db` service of the compose file. A named volume keeps
 * the data, the container is reachable only on the app network as `mysql`.
 */
export class MysqlDocker extends Construct {
  public readonly container: Container;
  public readonly dataVolume: Volume;
  public readonly image: Image;
  public readonly credentials: DatabaseCredentials;
  /** Host name other containers on the network use (`mysql`). */
  public readonly host: string = MYSQL.host;
  public readonly port: number = MYSQL.port;

  constructor(scope: Construct, id: string, props: MysqlDockerProps) {
    super(scope, id);
    const owner = `MysqlDocker ${this.node.path}`;
    const appName = props.appName ?? DEFAULT_APP_NAME;
    const imageName = props.image ?? DEFAULT_IMAGES.mysql;
    const restart = props.restart ?? 'unless-stopped';
    checkDnsLabel(owner, 'appName', appName, 40);
    checkImage(owner, 'image', imageName);
    checkOneOf(owner, 'restart', restart, RESTART_POLICIES);
    const credentials = (this.credentials = props.credentials);

    this.image = new Image(this, 'image', { name: imageName, keepLocally: true });
    this.dataVolume = new Volume(this, 'data', { name: `${appName}-${MYSQL.volumeName}` });
    this.container = new Container(this, 'container', {
      name: `${appName}-mysql`,
      image: this.image.imageId,
      restart,
      env: dockerEnv({
        [MYSQL_ENV.rootPassword]: credentials.rootPassword,
        [MYSQL_ENV.database]: credentials.databaseName,
        [MYSQL_ENV.user]: credentials.username,
        [MYSQL_ENV.password]: credentials.userPassword,
      }),
      networksAdvanced: [{ name: props.network.name, aliases: [MYSQL.host] }],
      volumes: [{ volumeName: this.dataVolume.name, containerPath: MYSQL.dataPath }],
      capabilities: dockerCapabilities('mysql'),
      healthcheck: dockerHealthcheck(MYSQL.healthCommand),
      labels: dockerLabels(labelsFor(appName, 'mysql')),
    });
  }
}
