import { stringify } from 'yaml';
import { CAPABILITIES, DEFAULT_DATABASE, HEALTH, MYSQL, MYSQL_ENV, WORDPRESS, WORDPRESS_ENV } from '../constructs/app-model';

export interface ComposeOptions {
  readonly wordpressImage: string;
  readonly mysqlImage: string;
  readonly hostPort: number;
  readonly configExtra?: string;
}

/**
 * The docker-compose file equivalent to the Docker stack, rendered from the
 * same app model. Passwords are interpolated from the environment
 * (DB_ROOT_PASSWORD, DB_PASSWORD), never written in the file.
 */
export function composeFile(options: ComposeOptions): string {
  const healthcheck = (test: readonly string[]) => ({
    test: ['CMD', ...test],
    interval: `${HEALTH.intervalSeconds}s`,
    timeout: `${HEALTH.timeoutSeconds}s`,
    retries: HEALTH.failureThreshold,
    start_period: `${HEALTH.startupSeconds}s`,
  });
  const database = DEFAULT_DATABASE;
  return stringify({
    version: '2.4',
    services: {
      [MYSQL.host]: {
        image: options.mysqlImage,
        restart: 'unless-stopped',
        environment: {
          [MYSQL_ENV.rootPassword]: '${DB_ROOT_PASSWORD}',
          [MYSQL_ENV.database]: database.name,
          [MYSQL_ENV.user]: database.user,
          [MYSQL_ENV.password]: '${DB_PASSWORD}',
        },
        volumes: [`db_data:${MYSQL.dataPath}`],
        cap_drop: ['ALL'],
        cap_add: [...CAPABILITIES.mysql],
        healthcheck: healthcheck(MYSQL.healthCommand),
      },
      wordpress: {
        image: options.wordpressImage,
        restart: 'unless-stopped',
        depends_on: [MYSQL.host],
        ports: [`127.0.0.1:${options.hostPort}:${WORDPRESS.port}`],
        environment: {
          [WORDPRESS_ENV.dbHost]: `${MYSQL.host}:${MYSQL.port}`,
          [WORDPRESS_ENV.dbUser]: database.user,
          [WORDPRESS_ENV.dbPassword]: '${DB_PASSWORD}',
          [WORDPRESS_ENV.dbName]: database.name,
          ...(options.configExtra ? { [WORDPRESS_ENV.configExtra]: options.configExtra } : {}),
        },
        volumes: [`wordpress_data:${WORDPRESS.contentPath}`],
        cap_drop: ['ALL'],
        cap_add: [...CAPABILITIES.wordpress],
        healthcheck: healthcheck(WORDPRESS.healthCommand),
      },
    },
    volumes: { db_data: {}, wordpress_data: {} },
  });
}
