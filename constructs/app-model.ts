/**
 * The app, described once and independent of where it runs.
 *
 * `mysql.ts` and `wordpress.ts` turn these facts into service descriptions
 * that every target renders, so a port, an env variable name, a mount path or
 * a label key is written here and nowhere else.
 */

/** Name of the app: prefix of the Docker names and the `app.kubernetes.io/part-of` label. */
export const DEFAULT_APP_NAME = 'wordpress';

/** Where the site is published on the host: the compose file's `127.0.0.1:8080:80`. */
export const DEFAULT_PUBLISH = { address: '127.0.0.1', port: 8080 } as const;

/** Official images, pinned. Override them to use a mirror or locally built images. */
export const DEFAULT_IMAGES = {
  mysql: 'mysql:8.4.6',
  wordpress: 'wordpress:6.8.3-apache',
  haproxy: 'haproxy:3.0.11',
} as const;

/** Official images of the metrics services (WPCDK_METRICS), pinned. */
export const DEFAULT_METRICS_IMAGES = {
  prometheus: 'prom/prometheus:v3.5.1',
  mysqldExporter: 'prom/mysqld-exporter:v0.17.2',
  apacheExporter: 'lusitaniae/apache_exporter:v1.0.10',
  cadvisor: 'gcr.io/cadvisor/cadvisor:v0.49.1',
} as const;

/** Ports, users and paths of the metrics services. */
export const METRICS = {
  /** `nobody`: the user the official Prometheus and exporter images (and the local ones) run as. */
  user: { uid: 65534, gid: 65534 },
  prometheusPort: 9090,
  mysqldExporterPort: 9104,
  apacheExporterPort: 9117,
  cadvisorPort: 8080,
  /** Apache's mod_status answers here, on the loopback address only: the exporter shares the network namespace. */
  apacheStatusPort: 8081,
  /** The mysqld_exporter's own database user (PROCESS, REPLICATION CLIENT, SELECT on performance_schema). */
  exporterUser: 'exporter',
  /** Env variable of the exporter's password (the official mysqld-exporter image's name). */
  exporterPasswordEnv: 'MYSQLD_EXPORTER_PASSWORD',
  /** Often enough for a rate over a one-minute load. */
  scrapeIntervalSeconds: 5,
  /** The Docker host port / where Prometheus answers. */
  hostPort: 9090,
  prometheusDataPath: '/prometheus',
  prometheusConfigPath: '/etc/prometheus/prometheus.yml',
} as const;

/** Env variable names of the official `mysql` image. */
export const MYSQL_ENV = {
  rootPassword: 'MYSQL_ROOT_PASSWORD',
  database: 'MYSQL_DATABASE',
  user: 'MYSQL_USER',
  password: 'MYSQL_PASSWORD',
} as const;

/** Env variable names of the official `wordpress` image. */
export const WORDPRESS_ENV = {
  dbHost: 'WORDPRESS_DB_HOST',
  dbUser: 'WORDPRESS_DB_USER',
  dbPassword: 'WORDPRESS_DB_PASSWORD',
  dbName: 'WORDPRESS_DB_NAME',
  configExtra: 'WORDPRESS_CONFIG_EXTRA',
  /** `WORDPRESS_` + a key of {@link WORDPRESS}.keys: `WORDPRESS_AUTH_KEY`... */
  keyPrefix: 'WORDPRESS_',
} as const;

/** Port, data path and the name other services use to reach MySQL. */
export const MYSQL = {
  /** Service name: Docker network alias and Kubernetes Service name, the DB host WordPress connects to. */
  host: 'mysql',
  port: 3306,
  dataPath: '/var/lib/mysql',
  /** Name of the data volume: Docker `<app>-mysql-data`, PVC `mysql-data`. */
  dataVolume: 'data',
  /** Linux capabilities the entrypoint needs: it fixes ownership of the data directory and drops to `mysql`. */
  capabilities: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'],
  resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  security: {
    /** The official image's `mysql` user (the local image makes the same ids): the owner of the data it wrote. */
    user: { uid: 999, gid: 999 },
    /** The server's socket and pid file (/var/run/mysqld), its temporary tables (/tmp). */
    writablePaths: ['/var/run/mysqld', '/tmp'],
    /** Every MYSQL_* variable has a `*_FILE` form. */
    secretsAsFiles: true,
  },
  storageSize: '1Gi',
  /** Exits 0 once the server accepts TCP connections, even without credentials. */
  healthCommand: ['mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'],
} as const;

const WORDPRESS_HEALTH_PATH = '/wp-login.php';
const WORDPRESS_ROOT = '/var/www/html';

export const WORDPRESS = {
  port: 80,
  /** Where the image puts WordPress core: the image owns it, so a new image is a new WordPress. */
  rootPath: WORDPRESS_ROOT,
  /**
   * The site's data: uploads, plugins, themes. Only this is a volume (as the official image
   * supports), so changing the image upgrades core instead of the volume keeping the old one.
   */
  contentPath: `${WORDPRESS_ROOT}/wp-content`,
  /** What a backup of the content holds, under {@link contentPath}. */
  contentParts: ['uploads', 'plugins', 'themes'],
  /** Name of the content volume: Docker `<app>-wordpress-content`, PVC `wordpress-content`. */
  contentVolume: 'content',
  /**
   * As MySQL's, plus binding port 80 as root before Apache drops to `www-data`, and KILL:
   * Apache's root parent signals its `www-data` children for a graceful stop (SIGWINCH), so a
   * rolling update lets requests in flight finish instead of cutting them.
   */
  capabilities: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID', 'NET_BIND_SERVICE', 'KILL'],
  resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '512Mi' },
  security: {
    /**
     * `www-data` in the official image and in Debian: the owner of wp-content. Non-root, Apache
     * binds port 80 through the safe sysctl `net.ipv4.ip_unprivileged_port_start=0` (the image's
     * documented way), so no capability is added.
     */
    user: { uid: 33, gid: 33 },
    /**
     * Core is copied into /var/www/html at each start (only wp-content is the volume); Apache's
     * pid file and lock (Debian's APACHE_RUN_DIR, APACHE_LOCK_DIR); uploads in progress (/tmp).
     */
    writablePaths: [WORDPRESS_ROOT, '/tmp', '/var/run/apache2', '/var/lock/apache2'],
    /** Every WORDPRESS_* variable has a `*_FILE` form (wp-config-docker.php's getenv_docker). */
    secretsAsFiles: true,
  },
  storageSize: '1Gi',
  /** Answers 2xx/3xx only when PHP runs and the database is reachable (500 otherwise). */
  healthPath: WORDPRESS_HEALTH_PATH,
  /** The same check from inside the container, for Docker healthchecks. */
  healthCommand: ['curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1${WORDPRESS_HEALTH_PATH}`],
  installPath: '/wp-admin/install.php',
  /**
   * The keys and salts of wp-config.php (`WORDPRESS_AUTH_KEY`...), generated once per stack: with
   * core outside the volume each container writes its own wp-config.php, and logins must stay
   * valid across replicas and new containers.
   */
  keys: ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'],
} as const;

/** How often health is checked on both targets (Docker healthcheck, Kubernetes probes). */
export const HEALTH = {
  intervalSeconds: 2,
  timeoutSeconds: 5,
  /** Consecutive failures before unhealthy / not ready. */
  failureThreshold: 3,
  /** Time a first start (database initialization) may take before failures count. */
  startupSeconds: 300,
} as const;

/**
 * The services' names: the Docker container `<app>-<name>` and network alias, the Swarm service,
 * the Kubernetes Deployment and Service, the compose service.
 */
export const SERVICE = { wordpress: 'wordpress', mysql: MYSQL.host, loadBalancer: 'lb' } as const;

export const DEFAULT_DATABASE = { name: 'wordpress', user: 'wordpress' } as const;

/** Keys of the Kubernetes recommended labels, used on containers and pods alike. */
export const LABEL = {
  component: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

