/**
 * The metrics services, described once like MySQL and WordPress: the MySQL and
 * Apache exporters (sidecars in the network namespace of the service they
 * watch), Prometheus and, on Docker, cAdvisor. Each target renders them with
 * its building block; only Prometheus' scrape configuration is per target.
 */
import { DEFAULT_APP_NAME, DEFAULT_METRICS_IMAGES, METRICS, MYSQL } from './app-model';
import { ComputeResources, SecretValue, ServiceDescription, ServiceFile, env } from './service';

const SMALL: ComputeResources = { cpuRequest: '10m', cpuLimit: '100m', memoryRequest: '16Mi', memoryLimit: '64Mi' };

/** An HTTP check that works in the official images (busybox wget) and the local ones (Debian's wget). */
const httpCheck = (port: number, path: string) => ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}${path}`];

/** An exporter: one `metrics` port with an HTTP check on it, no volumes, no capabilities. */
export interface ExporterSpec {
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly args: readonly string[];
  /** @default 'wordpress' */
  readonly appName?: string;
  /** @default - none */
  readonly env?: ServiceDescription['env'];
  /** Where it answers when healthy. @default '/metrics' */
  readonly healthPath?: string;
  /** @default 10m CPU requested, 100m limit, 16Mi requested, 64Mi limit */
  readonly resources?: ComputeResources;
  /** Who it runs as. @default - `nobody` (65534:65534), as the official exporter images */
  readonly security?: ServiceDescription['security'];
}

/** The description of an exporter (a sidecar, or an agent such as cAdvisor). */
export function exporterService(spec: ExporterSpec): ServiceDescription {
  const healthPath = spec.healthPath ?? '/metrics';
  return {
    name: spec.name,
    appName: spec.appName ?? DEFAULT_APP_NAME,
    image: spec.image,
    env: spec.env ?? {},
    args: spec.args,
    ports: [{ name: 'metrics', port: spec.port }],
    volumes: [],
    health: { command: httpCheck(spec.port, healthPath), httpPath: healthPath },
    capabilities: [],
    resources: spec.resources ?? SMALL,
    security: spec.security ?? { user: METRICS.user },
  };
}

/** What the mysqld_exporter sidecar needs. */
export interface MysqldExporterOptions {
  /** The exporter user's generated password (`ExporterCredentials`). */
  readonly password: SecretValue;
  /** @default 'prom/mysqld-exporter:v0.17.2' */
  readonly image?: string;
  /** @default 'wordpress' */
  readonly appName?: string;
}

/** prometheus/mysqld_exporter next to MySQL: connects to 127.0.0.1:3306 as its own user. */
export function mysqldExporterService(options: MysqldExporterOptions): ServiceDescription {
  return exporterService({
    name: 'mysqld-exporter',
    appName: options.appName,
    image: options.image ?? DEFAULT_METRICS_IMAGES.mysqldExporter,
    env: { [METRICS.exporterPasswordEnv]: env.secret(options.password) },
    args: [`--mysqld.address=127.0.0.1:${MYSQL.port}`, `--mysqld.username=${METRICS.exporterUser}`],
    port: METRICS.mysqldExporterPort,
  });
}

/** Where MySQL reads the exporter user's SQL at every start (`--init-file`). */
export const EXPORTER_INIT_FILE = '/etc/mysql/wpcdk-exporter-user.sql';

/**
 * The exporter's database user with the least privileges it needs, loopback only, as SQL
 * the server runs at every start (`mysqld --init-file`, MySQL and MariaDB alike): unlike
 * /docker-entrypoint-initdb.d, which runs only on an empty data directory, it also creates
 * the user on a data volume that exists already (metrics turned on later) and keeps its
 * password in step with the generated one. It holds the password: a secret file.
 * One statement per line, no comments: what init files accept.
 */
export function exporterUserInitFile(password: SecretValue): ServiceFile {
  const user = METRICS.exporterUser;
  // Generated letters and digits (ExporterCredentials): safe inside an SQL string as they are.
  const secret = password.valueFor('exporterUserInitFile');
  const sql = ['127.0.0.1', 'localhost'].flatMap((host) => [
    `CREATE USER IF NOT EXISTS '${user}'@'${host}' IDENTIFIED BY '${secret}' WITH MAX_USER_CONNECTIONS 3;`,
    `ALTER USER '${user}'@'${host}' IDENTIFIED BY '${secret}' WITH MAX_USER_CONNECTIONS 3;`,
    `GRANT PROCESS, REPLICATION CLIENT ON *.* TO '${user}'@'${host}';`,
    `GRANT SELECT ON performance_schema.* TO '${user}'@'${host}';`,
  ]);
  return { path: EXPORTER_INIT_FILE, content: `${sql.join('\n')}\n`, secret: true };
}

/** What the apache_exporter sidecar needs. */
export interface ApacheExporterOptions {
  /** @default 'lusitaniae/apache_exporter:v1.0.10' */
  readonly image?: string;
  /** @default 'wordpress' */
  readonly appName?: string;
}

/** Apache's mod_status on 127.0.0.1 only, in a virtual host of its own (WordPress' .htaccess never sees it). */
export function apacheStatusConfig(): ServiceFile {
  const port = METRICS.apacheStatusPort;
  return {
    path: '/etc/apache2/conf-enabled/zz-metrics-status.conf',
    content: [
      '# mod_status for the metrics exporter, on the loopback address only: the exporter shares the',
      '# network namespace (pod / container:), nothing else reaches it. A virtual host of its own, so',
      "# WordPress' rewrite rules in /var/www/html/.htaccess never turn /server-status into a page.",
      '<IfModule !status_module>',
      '  LoadModule status_module /usr/lib/apache2/modules/mod_status.so',
      '</IfModule>',
      'ExtendedStatus On',
      `Listen 127.0.0.1:${port}`,
      `<VirtualHost 127.0.0.1:${port}>`,
      '  DocumentRoot /usr/lib/apache2',
      '  CustomLog /dev/null common',
      '  <Location />',
      '    Require all denied',
      '  </Location>',
      '  <Location /server-status>',
      '    SetHandler server-status',
      '    Require local',
      '  </Location>',
      '</VirtualHost>',
      '',
    ].join('\n'),
  };
}

/** Lusitaniae/apache_exporter next to Apache, reading mod_status on the loopback address. */
export function apacheExporterService(options: ApacheExporterOptions = {}): ServiceDescription {
  return exporterService({
    name: 'apache-exporter',
    appName: options.appName,
    image: options.image ?? DEFAULT_METRICS_IMAGES.apacheExporter,
    args: [`--scrape_uri=http://127.0.0.1:${METRICS.apacheStatusPort}/server-status?auto`],
    port: METRICS.apacheExporterPort,
  });
}

/** What a Prometheus server is on every target; the target gives its scrape configuration. */
export interface PrometheusOptions {
  /** prometheus.yml. */
  readonly config: string;
  /** @default 'prom/prometheus:v3.5.1' */
  readonly image?: string;
  /** @default 'wordpress' */
  readonly appName?: string;
  /** Size of the data volume where the target sizes volumes. @default '1Gi' */
  readonly storageSize?: string;
  /** How long samples are kept. @default '7d' */
  readonly retention?: string;
  /** @default 50m CPU requested, 500m limit, 128Mi requested, 512Mi limit */
  readonly resources?: ComputeResources;
}

/** The Prometheus server: its configuration as a file, its samples in a volume. */
export function prometheusService(options: PrometheusOptions): ServiceDescription {
  return {
    name: 'prometheus',
    appName: options.appName ?? DEFAULT_APP_NAME,
    image: options.image ?? DEFAULT_METRICS_IMAGES.prometheus,
    env: {},
    args: [
      `--config.file=${METRICS.prometheusConfigPath}`,
      `--storage.tsdb.path=${METRICS.prometheusDataPath}`,
      `--storage.tsdb.retention.time=${options.retention ?? '7d'}`,
    ],
    ports: [{ name: 'http', port: METRICS.prometheusPort }],
    volumes: [{ name: 'data', path: METRICS.prometheusDataPath, size: options.storageSize ?? '1Gi' }],
    files: [{ path: METRICS.prometheusConfigPath, content: options.config }],
    health: { command: httpCheck(METRICS.prometheusPort, '/-/ready'), httpPath: '/-/ready' },
    capabilities: [],
    resources: options.resources ?? { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
    // Its samples live in the data volume: nothing else is written.
    security: { user: METRICS.user },
  };
}

/** A scrape job of prometheus.yml, rendered as YAML (JSON is YAML; no YAML library at synth). */
export interface ScrapeJob {
  readonly job_name: string;
  readonly [key: string]: unknown;
}

/** prometheus.yml with these jobs, scraping every {@link METRICS.scrapeIntervalSeconds} s. */
export function prometheusConfig(jobs: readonly ScrapeJob[], intervalSeconds: number = METRICS.scrapeIntervalSeconds): string {
  const config = {
    global: { scrape_interval: `${intervalSeconds}s`, evaluation_interval: `${intervalSeconds}s` },
    scrape_configs: [{ job_name: 'prometheus', static_configs: [{ targets: [`localhost:${METRICS.prometheusPort}`] }] }, ...jobs],
  };
  return `# Rendered by wordpress-cdktf (constructs/metrics.ts).\n${JSON.stringify(config, null, 2)}\n`;
}
