import { DEFAULT_APP_NAME, DEFAULT_IMAGES, SERVICE, WORDPRESS, WORDPRESS_ENV } from './app-model';
import { IDatabase } from './database';
import { ApacheExporterOptions, apacheExporterService, apacheStatusConfig } from './metrics';
import { ComputeResources, EnvValue, ServiceDescription, env } from './service';
import { checkTrustedProxies, forwardedProtoGuard } from './tls';
import { IWordpressKeys } from './wordpress-keys';

/** What WordPress is on every target; the per-target props add where it runs. */
export interface WordpressOptions {
  /** The database it connects to: in the stack or outside it. */
  readonly database: IDatabase;
  /** Value of the `part-of` label and prefix of Docker names. @default 'wordpress' */
  readonly appName?: string;
  /** Image honoring the official wordpress image's WORDPRESS_DB_* variables. @default 'wordpress:6.8.3-apache' */
  readonly image?: string;
  /**
   * wp-config.php's keys and salts, shared by every container (`WordpressKeys` generates them).
   * @default - none: each container generates its own, so logins end with the container and
   * do not carry over between replicas
   */
  readonly keys?: IWordpressKeys;
  /** PHP added to wp-config.php (WORDPRESS_CONFIG_EXTRA), passed literally. @default - none */
  readonly configExtra?: string;
  /** Size of the content volume where the target sizes volumes. @default '1Gi' */
  readonly storageSize?: string;
  /** CPU and memory requests and limits. @default 100m CPU requested, 1 CPU limit, 128Mi requested, 512Mi limit */
  readonly resources?: ComputeResources;
  /**
   * Behind a proxy that terminates TLS: the addresses, IPv4 CIDRs or host names whose
   * `X-Forwarded-Proto` WordPress believes (the image believes anyone's, so a client reaching
   * WordPress directly could claim HTTPS); from any other peer the header is dropped.
   * @default - the image's behaviour: anyone's
   */
  readonly trustForwardedProtoFrom?: readonly string[];
  /** An apache_exporter sidecar reading mod_status, which answers on the loopback address only. @default - no metrics */
  readonly metrics?: Omit<ApacheExporterOptions, 'appName'>;
}

/** The `wordpress` service of the compose file, as a description every target renders. */
export function wordpressService(options: WordpressOptions): ServiceDescription {
  const service = plainWordpressService(options);
  if (!options.metrics) return service;
  return { ...service, files: [apacheStatusConfig()], sidecars: [apacheExporterService({ ...options.metrics, appName: service.appName })] };
}

function plainWordpressService(options: WordpressOptions): ServiceDescription {
  const { database } = options;
  if (options.trustForwardedProtoFrom) checkTrustedProxies('WordPress', 'trustForwardedProtoFrom', options.trustForwardedProtoFrom);
  // After the user's PHP: nothing there can turn the guard off by accident.
  const php = [options.configExtra, options.trustForwardedProtoFrom && forwardedProtoGuard(options.trustForwardedProtoFrom)].filter(Boolean).join('\n');
  const extra: Record<string, EnvValue> = php ? { [WORDPRESS_ENV.configExtra]: env.value(php) } : {};
  const keys: Record<string, EnvValue> = Object.fromEntries(Object.entries(options.keys?.values ?? {})
    .map(([key, secret]) => [`${WORDPRESS_ENV.keyPrefix}${key}`, env.secret(secret)]));
  return {
    name: SERVICE.wordpress,
    appName: options.appName ?? DEFAULT_APP_NAME,
    image: options.image ?? DEFAULT_IMAGES.wordpress,
    env: {
      [WORDPRESS_ENV.dbHost]: env.value(`${database.host}:${database.port}`),
      [WORDPRESS_ENV.dbUser]: env.value(database.username),
      [WORDPRESS_ENV.dbPassword]: env.secret(database.password),
      [WORDPRESS_ENV.dbName]: env.value(database.databaseName),
      ...keys,
      ...extra,
    },
    ports: [{ name: 'http', port: WORDPRESS.port }],
    volumes: [{ name: WORDPRESS.contentVolume, path: WORDPRESS.contentPath, size: options.storageSize ?? WORDPRESS.storageSize }],
    health: { command: WORDPRESS.healthCommand, httpPath: WORDPRESS.healthPath },
    capabilities: WORDPRESS.capabilities,
    resources: options.resources ?? WORDPRESS.resources,
    security: WORDPRESS.security,
  };
}
