/**
 * The app, described once and independent of where it runs.
 *
 * The Docker and Kubernetes constructs render these facts into their own
 * resources, so a port, an env variable name, a mount path or a label is
 * written here and nowhere else.
 */

/** The two services of the classic docker-compose WordPress demo. */
export type Component = 'mysql' | 'wordpress';

/** Name of the app: prefix of the Docker names and the `app.kubernetes.io/part-of` label. */
export const DEFAULT_APP_NAME = 'wordpress';

/** Where the site is published on the host: the compose file's `127.0.0.1:8080:80`. */
export const DEFAULT_PUBLISH = { address: '127.0.0.1', port: 8080 } as const;

/** Official images, pinned. Override them to use a mirror or locally built images. */
export const DEFAULT_IMAGES: Readonly<Record<Component, string>> = {
  mysql: 'mysql:8.4.6',
  wordpress: 'wordpress:6.8.3-apache',
};

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
} as const;

/** Port, data path and the name other services use to reach MySQL. */
export const MYSQL = {
  /** Docker network alias and Kubernetes Service name: the DB host WordPress connects to. */
  host: 'mysql',
  port: 3306,
  dataPath: '/var/lib/mysql',
  volumeName: 'mysql-data',
  /** Exits 0 once the server accepts TCP connections, even without credentials. */
  healthCommand: ['mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'],
} as const;

const WORDPRESS_HEALTH_PATH = '/wp-login.php';

export const WORDPRESS = {
  port: 80,
  contentPath: '/var/www/html',
  volumeName: 'wordpress-content',
  /** Answers 2xx/3xx only when PHP runs and the database is reachable (500 otherwise). */
  healthPath: WORDPRESS_HEALTH_PATH,
  /** The same check from inside the container, for Docker healthchecks. */
  healthCommand: ['curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1${WORDPRESS_HEALTH_PATH}`],
  installPath: '/wp-admin/install.php',
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

export const DEFAULT_DATABASE = { name: 'wordpress', user: 'wordpress' } as const;

export const DEFAULT_STORAGE: Readonly<Record<Component, string>> = { mysql: '1Gi', wordpress: '1Gi' };

/**
 * Linux capabilities each image needs, and nothing more: the entrypoints start as
 * root, fix ownership of the data directory and drop to an unprivileged user.
 */
export const CAPABILITIES: Readonly<Record<Component, readonly string[]>> = {
  mysql: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'],
  wordpress: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'],
};

export interface ComputeResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

export const DEFAULT_RESOURCES: Readonly<Record<Component, ComputeResources>> = {
  mysql: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  wordpress: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
};

/** Keys of the Kubernetes recommended labels, used on containers and pods alike. */
export const LABEL = {
  component: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

/** The labels that select a component's pods (a subset that never changes). */
export function selectorFor(appName: string, component: Component): Record<string, string> {
  return { [LABEL.component]: component, [LABEL.partOf]: appName };
}

/** Labels put on every container, pod and Kubernetes object of a component. */
export function labelsFor(appName: string, component: Component): Record<string, string> {
  return { ...selectorFor(appName, component), [LABEL.managedBy]: 'cdktf' };
}
