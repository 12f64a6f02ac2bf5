import { DEFAULT_APP_NAME, DEFAULT_IMAGES, MYSQL, MYSQL_ENV } from './app-model';
import { IDatabase } from './database';
import { EXPORTER_INIT_FILE, MysqldExporterOptions, exporterUserInitFile, mysqldExporterService } from './metrics';
import { ComputeResources, SecretValue, ServiceDescription, env } from './service';

/** The database, user and passwords MySQL is initialized with (`DatabaseCredentials` generates them). */
export interface IDatabaseCredentials {
  readonly databaseName: string;
  readonly username: string;
  readonly rootPassword: SecretValue;
  readonly userPassword: SecretValue;
}

/** What MySQL is on every target; the per-target props add where it runs. */
export interface MysqlOptions {
  /** Database name, user and generated passwords. */
  readonly credentials: IDatabaseCredentials;
  /** Value of the `part-of` label and prefix of Docker names. @default 'wordpress' */
  readonly appName?: string;
  /** MySQL-compatible image honoring the official image's MYSQL_* variables. @default 'mysql:8.4.6' */
  readonly image?: string;
  /** Size of the data volume where the target sizes volumes. @default '1Gi' */
  readonly storageSize?: string;
  /** CPU and memory requests and limits. @default 100m CPU requested, 1 CPU limit, 256Mi requested, 1Gi limit */
  readonly resources?: ComputeResources;
  /**
   * A mysqld_exporter sidecar and its own least-privilege user, (re)created at every server start.
   * @default - no metrics
   */
  readonly metrics?: Omit<MysqldExporterOptions, 'appName'>;
}

/** The `db` service of the compose file, as a description every target renders. */
export function mysqlService(options: MysqlOptions): ServiceDescription {
  const service = plainMysqlService(options);
  const { metrics } = options;
  if (!metrics) return service;
  return {
    ...service,
    // Both images pass arguments starting with `-` to the server.
    args: [`--init-file=${EXPORTER_INIT_FILE}`],
    files: [exporterUserInitFile(metrics.password)],
    sidecars: [mysqldExporterService({ ...metrics, appName: service.appName })],
  };
}

function plainMysqlService(options: MysqlOptions): ServiceDescription {
  const { credentials } = options;
  return {
    name: MYSQL.host,
    appName: options.appName ?? DEFAULT_APP_NAME,
    image: options.image ?? DEFAULT_IMAGES.mysql,
    env: {
      [MYSQL_ENV.rootPassword]: env.secret(credentials.rootPassword),
      [MYSQL_ENV.database]: env.value(credentials.databaseName),
      [MYSQL_ENV.user]: env.value(credentials.username),
      [MYSQL_ENV.password]: env.secret(credentials.userPassword),
    },
    ports: [{ name: 'mysql', port: MYSQL.port }],
    volumes: [{ name: MYSQL.dataVolume, path: MYSQL.dataPath, size: options.storageSize ?? MYSQL.storageSize }],
    health: { command: MYSQL.healthCommand },
    capabilities: MYSQL.capabilities,
    resources: options.resources ?? MYSQL.resources,
    security: MYSQL.security,
  };
}

/** The {@link IDatabase} an in-stack MySQL offers: its service name, port and app user. */
export function mysqlDatabase(options: MysqlOptions, password: SecretValue): IDatabase {
  return {
    host: MYSQL.host,
    port: MYSQL.port,
    databaseName: options.credentials.databaseName,
    username: options.credentials.username,
    password,
  };
}
