import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { DEFAULT_APP_NAME, DEFAULT_PUBLISH, DEFAULT_IMAGES, WORDPRESS, WORDPRESS_ENV, labelsFor } from './app-model';
import { MysqlDocker } from './mysql-docker';
import { RESTART_POLICIES, RestartPolicy, dockerCapabilities, dockerEnv, dockerHealthcheck, dockerLabels } from './docker-common';
import { checkDnsLabel, checkImage, checkIpv4, checkOneOf, checkPort } from './validation';

/** Props for {@link WordpressDocker}. */
export interface WordpressDockerProps {
  /** User-defined network shared with the database. */
  readonly network: Network;
  /** The database WordPress connects to (created first). */
  readonly database: MysqlDocker;
  /** Prefix of the Docker container and volume names. @default 'wordpress' */
  readonly appName?: string;
  /** Image honoring the official wordpress image's WORDPRESS_DB_* variables. @default 'wordpress:6.8.3-apache' */
  readonly image?: string;
  /** Host port WordPress is published on. @default 8080 */
  readonly hostPort?: number;
  /** Host address the port is bound to; '0.0.0.0' exposes it to the LAN. @default '127.0.0.1' */
  readonly bindAddress?: string;
  /** PHP added to wp-config.php (WORDPRESS_CONFIG_EXTRA). @default - none */
  readonly configExtra?: string;
  /** `docker run --restart` policy. @default 'unless-stopped' */
  readonly restart?: RestartPolicy;
  /** Seconds `cdktf deploy` waits for the container to become healthy. @default 300 */
  readonly waitTimeoutSeconds?: number;
}

/**
 * WordPress on Docker: the `wordpress` service of the compose file, published
 * on the host, with its content in a named volume. Deploy waits until it is
 * healthy, which needs the database too, so the printed URL works right away.
 */
export class WordpressDocker extends Construct {
  public readonly container: Container;
  public readonly contentVolume: Volume;
  public readonly image: Image;
  /** URL of the site on the host, e.g. `http://127.0.0.1:8080`. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WordpressDockerProps) {
    super(scope, id);
    const owner = `WordpressDocker ${this.node.path}`;
    const appName = props.appName ?? DEFAULT_APP_NAME;
    const imageName = props.image ?? DEFAULT_IMAGES.wordpress;
    const hostPort = props.hostPort ?? DEFAULT_PUBLISH.port;
    const bindAddress = props.bindAddress ?? DEFAULT_PUBLISH.address;
    const restart = props.restart ?? 'unless-stopped';
    const waitTimeout = props.waitTimeoutSeconds ?? 300;
    checkDnsLabel(owner, 'appName', appName, 40);
    checkImage(owner, 'image', imageName);
    checkPort(owner, 'hostPort', hostPort);
    checkIpv4(owner, 'bindAddress', bindAddress);
    checkOneOf(owner, 'restart', restart, RESTART_POLICIES);
    const { database } = props;
    const { credentials } = database;

    this.image = new Image(this, 'image', { name: imageName, keepLocally: true });
    this.contentVolume = new Volume(this, 'content', { name: `${appName}-${WORDPRESS.volumeName}` });
    this.container = new Container(this, 'container', {
      name: `${appName}-wordpress`,
      image: this.image.imageId,
      restart,
      env: dockerEnv({
        [WORDPRESS_ENV.dbHost]: `${database.host}:${database.port}`,
        [WORDPRESS_ENV.dbUser]: credentials.username,
        [WORDPRESS_ENV.dbPassword]: credentials.userPassword,
        [WORDPRESS_ENV.dbName]: credentials.databaseName,
        ...(props.configExtra ? { [WORDPRESS_ENV.configExtra]: props.configExtra } : {}),
      }),
      networksAdvanced: [{ name: props.network.name }],
      ports: [{ internal: WORDPRESS.port, external: hostPort, ip: bindAddress, protocol: 'tcp' }],
      volumes: [{ volumeName: this.contentVolume.name, containerPath: WORDPRESS.contentPath }],
      capabilities: dockerCapabilities('wordpress'),
      healthcheck: dockerHealthcheck(WORDPRESS.healthCommand),
      dependsOn: [database.container],
      wait: true,
      waitTimeout,
      labels: dockerLabels(labelsFor(appName, 'wordpress')),
    });
    const host = bindAddress === '0.0.0.0' ? DEFAULT_PUBLISH.address : bindAddress;
    this.url = `http://${host}:${hostPort}`;
  }
}
