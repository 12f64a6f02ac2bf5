import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { IDatabase } from '../constructs/database';
import { LoadBalancerSwarm } from '../constructs/load-balancer-swarm';
import { MysqlSwarm } from '../constructs/mysql-swarm';
import { WordpressSwarm } from '../constructs/wordpress-swarm';
import { AppConfig, fromSettings } from './config';
import { stackDatabase } from './database';
import { dockerApp } from './docker-app';
import { wordpressKeys } from './secrets';
import { stackTls } from './tls';
import { dockerName } from '../constructs/docker-common';
import { SERVICE } from '../constructs/app-model';

export { SWARM_STACK } from './ids';

/** Defaults of this stack: its own names and port, so it can run next to the Docker stack on one engine. */
export const SWARM_DEFAULTS = { nameSuffix: '-swarm', hostPort: 8081, httpsPort: 8444 } as const;

/**
 * The app on Docker Swarm (the engine must be a swarm manager): MySQL on an
 * overlay network of its own that only WordPress joins, WordPress replicas on
 * the app's overlay network, HAProxy in front of them published on the host.
 * Passwords are Swarm secrets, read as files. With `databaseHost` set,
 * WordPress uses that database and no MySQL is created.
 */
export class SwarmStack extends TerraformStack {
  public readonly database: IDatabase;
  /** The in-stack MySQL, unless an existing database is used. */
  public readonly mysql?: MysqlSwarm;
  public readonly wordpress: WordpressSwarm;
  public readonly loadBalancer: LoadBalancerSwarm;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    const { appName, network } = dockerApp(this, config, { suffix: SWARM_DEFAULTS.nameSuffix, overlay: true });
    const networkKey = config.swarmNetworkKey;
    const tls = stackTls(config, 'swarm');

    ({ database: this.database, inStack: this.mysql } = stackDatabase(this, config, (credentials) =>
      fromSettings(config, { image: 'mysqlImage', networkKey: 'swarmNetworkKey' }, () => new MysqlSwarm(this, 'mysql', { credentials, appName, image: config.mysqlImage, networkKey, protectData: config.protectData }))));
    this.wordpress = fromSettings(config, { image: 'wordpressImage', replicas: 'wordpressReplicas' }, () => new WordpressSwarm(this, 'wordpress', {
      database: this.database, appName, networks: [network], image: config.wordpressImage, networkKey,
      configExtra: config.wordpressConfigExtra, replicas: config.wordpressReplicas, keys: wordpressKeys(this), protectData: config.protectData,
      // Every task of the balancer's service, on the app network.
      trustForwardedProtoFrom: tls ? [`tasks.${dockerName({ appName, name: SERVICE.loadBalancer })}`] : undefined,
    }));
    this.mysql?.allowFrom(this.wordpress);
    const publishMode = config.swarmPublishMode ?? 'host';
    this.loadBalancer = fromSettings(config, { image: 'loadBalancerImage', hostPort: 'swarmHostPort', mode: 'swarmPublishMode', host: 'tlsHost' }, () =>
      new LoadBalancerSwarm(this, 'lb', {
        backend: this.wordpress, appName, networks: [network], image: config.loadBalancerImage, networkKey,
        // The routing mesh balances over a virtual IP (IPVS); host mode works everywhere.
        endpointMode: publishMode === 'ingress' ? 'vip' : 'dnsrr',
        publish: { hostPort: config.swarmHostPort ?? SWARM_DEFAULTS.hostPort, mode: publishMode },
        tls: tls?.certificate, publishTls: { hostPort: config.swarmHttpsPort ?? SWARM_DEFAULTS.httpsPort, mode: publishMode },
      }));

    new TerraformOutput(this, 'url', { value: this.loadBalancer.url, description: 'Open WordPress here (through the load balancer)' });
    new TerraformOutput(this, 'service_names', { value: [this.mysql, this.wordpress, this.loadBalancer].flatMap((s) => (s ? [s.service.name] : [])) });
    new TerraformOutput(this, 'wordpress_replicas', { value: this.wordpress.replicas });
  }
}
