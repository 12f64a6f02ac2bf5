import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { IDatabase } from '../constructs/database';
import { CadvisorDocker } from '../constructs/cadvisor-docker';
import { ExporterCredentials } from '../constructs/exporter-credentials';
import { LoadBalancerDocker } from '../constructs/load-balancer-docker';
import { PrometheusDocker } from '../constructs/prometheus-docker';
import { MysqlDocker } from '../constructs/mysql-docker';
import { WordpressDocker } from '../constructs/wordpress-docker';
import { AppConfig, fromSettings } from './config';
import { stackDatabase } from './database';
import { dockerApp } from './docker-app';
import { wordpressKeys } from './secrets';
import { stackTls } from './tls';
import { dockerName } from '../constructs/docker-common';
import { checkPort } from '../constructs/validation';
import { SERVICE } from '../constructs/app-model';

export { DOCKER_STACK } from './ids';

/**
 * The docker-compose demo as a stack on the local Docker engine (or the one
 * DOCKER_HOST points at): WordPress on the app network and published on the
 * host; MySQL on a network of its own that only WordPress joins. With
 * `wordpressReplicas` above 1, the WordPress containers share the content
 * volume behind an HAProxy container, which is published instead. With
 * `databaseHost` set, WordPress uses that database and no MySQL is created.
 * With HTTPS settings (`tlsHost` and a certificate) HAProxy is always in front:
 * it terminates TLS, redirects plain HTTP, and is the only peer whose
 * `X-Forwarded-Proto` WordPress believes.
 */
export class DockerStack extends TerraformStack {
  public readonly database: IDatabase;
  /** The in-stack MySQL, unless an existing database is used. */
  public readonly mysql?: MysqlDocker;
  public readonly wordpress: WordpressDocker;
  /** The balancer in front of the WordPress replicas, when there are several. */
  public readonly loadBalancer?: LoadBalancerDocker;
  public readonly url: string;
  /** With `metrics`: Prometheus, published on the host. */
  public readonly prometheus?: PrometheusDocker;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    const { appName, network } = dockerApp(this, config);
    // Metrics off: nothing below differs from a stack without them (the snapshot pins it).
    const exporter = config.metrics ? { password: new ExporterCredentials(this, 'exporter-credentials', { protectData: config.protectData }).password, image: config.mysqldExporterImage } : undefined;
    const apacheMetrics = config.metrics ? { image: config.apacheExporterImage } : undefined;

    ({ database: this.database, inStack: this.mysql } = stackDatabase(this, config, (credentials) =>
      fromSettings(config, { image: 'mysqlImage', 'sidecars[0].image': 'mysqldExporterImage' }, () =>
        new MysqlDocker(this, 'mysql', { credentials, appName, image: config.mysqlImage, protectData: config.protectData, metrics: exporter }))));
    const publish = { hostPort: config.hostPort, bindAddress: config.bindAddress };
    const replicas = config.wordpressReplicas ?? 1;
    const tls = stackTls(config, 'docker');
    if (tls && config.httpsPort !== undefined) fromSettings(config, { httpsPort: 'httpsPort' }, () => checkPort('DockerStack', 'httpsPort', config.httpsPort as number));
    const settings = { image: 'wordpressImage', hostPort: 'hostPort', bindAddress: 'bindAddress', replicas: 'wordpressReplicas' } as const;
    this.wordpress = fromSettings(config, settings, () => new WordpressDocker(this, 'wordpress', {
      database: this.database, appName, networks: [network], image: config.wordpressImage, configExtra: config.wordpressConfigExtra, replicas,
      keys: wordpressKeys(this), protectData: config.protectData, metrics: apacheMetrics,
      // The balancer's container, found by its name on the app network.
      trustForwardedProtoFrom: tls ? [dockerName({ appName, name: SERVICE.loadBalancer })] : undefined,
    }));
    this.mysql?.allowFrom(this.wordpress);
    if (replicas > 1 || tls) {
      this.loadBalancer = fromSettings(config, { ...settings, image: 'loadBalancerImage' }, () => new LoadBalancerDocker(this, 'lb', {
        backend: this.wordpress, appName, networks: [network], image: config.loadBalancerImage, publish,
        tls: tls?.certificate, publishTls: { hostPort: config.httpsPort, bindAddress: config.bindAddress },
      }));
      this.url = this.loadBalancer.url;
    } else {
      this.url = fromSettings(config, settings, () => this.wordpress.publish(publish));
    }

    new TerraformOutput(this, 'url', { value: this.url, description: 'Open WordPress here' });
    if (config.metrics) this.prometheus = this.addMetrics(config, appName, network);
  }

  /** cAdvisor and Prometheus on the app network; Prometheus also joins MySQL's network, for its exporter. */
  private addMetrics(config: AppConfig, appName: string, network: ReturnType<typeof dockerApp>['network']): PrometheusDocker {
    const cadvisor = fromSettings(config, { image: 'cadvisorImage' }, () => new CadvisorDocker(this, 'cadvisor', { appName, networks: [network], image: config.cadvisorImage }));
    const settings = { image: 'prometheusImage', hostPort: 'prometheusHostPort', bindAddress: 'bindAddress' } as const;
    const prometheus = fromSettings(config, settings, () => new PrometheusDocker(this, 'prometheus', {
      appName, networks: [network], image: config.prometheusImage, scrape: [...(this.mysql ? [this.mysql] : []), this.wordpress, cadvisor],
      publish: { hostPort: config.prometheusHostPort, bindAddress: config.bindAddress },
    }));
    this.mysql?.allowFrom(prometheus);
    new TerraformOutput(this, 'prometheus_url', { value: prometheus.url, description: 'Prometheus: its UI and HTTP API' });
    return prometheus;
  }
}
