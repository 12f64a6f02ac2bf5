import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ACCESS_MODES, AccessMode, IMAGE_PULL_POLICIES, ImagePullPolicy, NETWORK_KEYS, NetworkKey, PUBLISH_MODES, PublishMode, SERVICE_TYPES, ServiceType,
  STATE_BACKENDS, StateBackend,
} from '../constructs/choices';
import { ValidationError } from '../constructs/validation';

/**
 * Everything a user may set, from env variables (first) or cdktf.json `context`
 * (second). Unset settings stay undefined and the constructs apply their
 * documented defaults, so each default is written once.
 */
export interface AppConfig {
  readonly appName?: string;
  readonly wordpressImage?: string;
  readonly mysqlImage?: string;
  /** PHP appended to wp-config.php, e.g. `define('WP_HTTP_BLOCK_EXTERNAL', true);`. */
  readonly wordpressConfigExtra?: string;
  /** An existing MySQL (`host` or `host:port`): no MySQL is created. */
  readonly databaseHost?: string;
  readonly databaseName?: string;
  readonly databaseUser?: string;
  /** Kubernetes: `secret-name/key` of an existing Secret holding the external database's password. */
  readonly databasePasswordSecret?: string;
  readonly hostPort?: number;
  readonly bindAddress?: string;
  readonly kubeconfig: string;
  readonly kubeContext?: string;
  readonly namespace: string;
  readonly storageClass?: string;
  readonly wordpressReplicas?: number;
  readonly wordpressMaxReplicas?: number;
  readonly hpaCpuTarget?: number;
  readonly contentAccessMode?: AccessMode;
  readonly serviceType?: ServiceType;
  readonly nodePort?: number;
  readonly imagePullPolicy?: ImagePullPolicy;
  readonly loadBalancerImage?: string;
  readonly swarmHostPort?: number;
  readonly swarmPublishMode?: PublishMode;
  readonly swarmNetworkKey?: NetworkKey;
  /** HTTPS: the site's host name; with a certificate, TLS is on. */
  readonly tlsHost?: string;
  /** HTTPS: PEM certificate file. */
  readonly tlsCertFile?: string;
  /** HTTPS: PEM private key file of that certificate. */
  readonly tlsKeyFile?: string;
  /** HTTPS, Kubernetes: an existing `kubernetes.io/tls` Secret in the namespace (instead of the files). */
  readonly tlsSecret?: string;
  /** HTTPS, Docker: host port of the load balancer's HTTPS frontend. */
  readonly httpsPort?: number;
  /** HTTPS, Swarm: host port of the load balancer's HTTPS frontend. */
  readonly swarmHttpsPort?: number;
  /** HTTPS, Kubernetes: IngressClass of the controller. */
  readonly ingressClass?: string;
  /** HTTPS, Kubernetes: port the ingress controller serves HTTPS on (the URL's port). */
  readonly ingressHttpsPort?: number;
  /** HTTPS, Kubernetes: comma-separated addresses/CIDRs the ingress controller connects to pods from. */
  readonly ingressTrustedProxies?: string;
  /** `prevent_destroy` on the data (volumes, PVCs, passwords, the Kubernetes namespace). */
  readonly protectData?: boolean;
  /** Exporters, Prometheus and container stats (Docker and Kubernetes). */
  readonly metrics?: boolean;
  readonly prometheusImage?: string;
  readonly mysqldExporterImage?: string;
  readonly apacheExporterImage?: string;
  readonly cadvisorImage?: string;
  readonly prometheusHostPort?: number;
  readonly prometheusNodePort?: number;
  /** Where Terraform keeps the stack's state: `local` (a file, for laptops), `kubernetes` (a Secret) or `http` (e.g. GitLab's managed state), for CI. */
  readonly stateBackend?: StateBackend;
  /** Kubernetes state backend: namespace of the state Secrets. */
  readonly stateNamespace?: string;
  /** The stacks the app synthesizes (comma-separated ids; default all). */
  readonly stacks?: string;
  /** Preflight: `host:port` of the Terraform registry it checks when no mirror serves the providers. */
  readonly providerRegistry?: string;
  /** Where each setting the user gave came from (`WPCDK_HOST_PORT`, `cdktf.json context "hostPort"`). */
  readonly sources: Readonly<Partial<Record<SettingKey, string>>>;
}

type SettingKey = Exclude<keyof AppConfig, 'sources'>;

export class ConfigError extends Error {}

type Parser<T> = (raw: unknown, source: string) => T;

const text: Parser<string> = (raw, source) => {
  if (typeof raw !== 'string' && typeof raw !== 'number') throw new ConfigError(`${source} must be a string, got ${JSON.stringify(raw)}`);
  return String(raw);
};
const integer: Parser<number> = (raw, source) => {
  const value = typeof raw === 'number' ? String(raw) : raw;
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) throw new ConfigError(`${source} must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(value);
};
const boolean: Parser<boolean> = (raw, source) => {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new ConfigError(`${source} must be true or false, got ${JSON.stringify(raw)}`);
};
function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  return (raw, source) => {
    if (!(allowed as readonly unknown[]).includes(raw)) {
      throw new ConfigError(`${source} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
    }
    return raw as T;
  };
}

/** Which stacks a setting feeds: a bad Docker-only value must not stop the Kubernetes stack. */
export type Target = 'docker' | 'swarm' | 'kubernetes';
const ALL: readonly Target[] = ['docker', 'swarm', 'kubernetes'];
const DOCKER: readonly Target[] = ['docker'];
const SWARM: readonly Target[] = ['swarm'];
const K8S: readonly Target[] = ['kubernetes'];
const METRICS_TARGETS: readonly Target[] = [...DOCKER, ...K8S];

interface Setting<T> {
  /** Environment variable. */
  readonly env: string;
  readonly parse: Parser<T>;
  readonly targets: readonly Target[];
  readonly describe: string;
}

/** The configuration reference: README's table lists exactly these. */
export const SETTINGS = {
  appName: { env: 'WPCDK_APP_NAME', parse: text, targets: ALL, describe: 'Prefix of Docker names, `part-of` label' },
  wordpressImage: { env: 'WPCDK_WORDPRESS_IMAGE', parse: text, targets: ALL, describe: 'WordPress image' },
  mysqlImage: { env: 'WPCDK_MYSQL_IMAGE', parse: text, targets: ALL, describe: 'MySQL image' },
  wordpressConfigExtra: { env: 'WPCDK_WORDPRESS_CONFIG_EXTRA', parse: text, targets: ALL, describe: 'PHP added to wp-config.php' },
  databaseHost: { env: 'WPCDK_DATABASE_HOST', parse: text, targets: ALL, describe: 'An existing MySQL to use instead of creating one' },
  databaseName: { env: 'WPCDK_DATABASE_NAME', parse: text, targets: ALL, describe: 'Database name' },
  databaseUser: { env: 'WPCDK_DATABASE_USER', parse: text, targets: ALL, describe: 'Database user' },
  databasePasswordSecret: { env: 'WPCDK_DATABASE_PASSWORD_SECRET', parse: text, targets: K8S, describe: 'Kubernetes: existing Secret with the external database password' },
  hostPort: { env: 'WPCDK_HOST_PORT', parse: integer, targets: DOCKER, describe: 'Docker: host port of WordPress' },
  bindAddress: { env: 'WPCDK_BIND_ADDRESS', parse: text, targets: DOCKER, describe: 'Docker: host address the port binds to' },
  kubeconfig: { env: 'WPCDK_KUBECONFIG', parse: text, targets: K8S, describe: 'Kubernetes: kubeconfig file (default: first of $KUBECONFIG, else ~/.kube/config)' },
  kubeContext: { env: 'WPCDK_KUBE_CONTEXT', parse: text, targets: K8S, describe: 'Kubernetes: kubeconfig context' },
  namespace: { env: 'WPCDK_NAMESPACE', parse: text, targets: K8S, describe: 'Kubernetes: namespace (created)' },
  storageClass: { env: 'WPCDK_STORAGE_CLASS', parse: text, targets: K8S, describe: 'Kubernetes: StorageClass of both PVCs' },
  wordpressReplicas: { env: 'WPCDK_WORDPRESS_REPLICAS', parse: integer, targets: ALL, describe: 'WordPress replicas' },
  wordpressMaxReplicas: { env: 'WPCDK_WORDPRESS_MAX_REPLICAS', parse: integer, targets: K8S, describe: 'Kubernetes: with it, an HPA scales WordPress up to this many pods' },
  hpaCpuTarget: { env: 'WPCDK_HPA_CPU_TARGET', parse: integer, targets: K8S, describe: 'Kubernetes: CPU utilization (% of request) the HPA aims at' },
  contentAccessMode: { env: 'WPCDK_CONTENT_ACCESS_MODE', parse: oneOf(ACCESS_MODES), targets: K8S, describe: 'Kubernetes: access mode of the content volume' },
  serviceType: { env: 'WPCDK_SERVICE_TYPE', parse: oneOf(SERVICE_TYPES), targets: K8S, describe: 'Kubernetes: NodePort, LoadBalancer or ClusterIP' },
  nodePort: { env: 'WPCDK_NODE_PORT', parse: integer, targets: K8S, describe: 'Kubernetes: fixed node port (30000-32767)' },
  imagePullPolicy: { env: 'WPCDK_IMAGE_PULL_POLICY', parse: oneOf(IMAGE_PULL_POLICIES), targets: K8S, describe: 'Kubernetes: image pull policy' },
  loadBalancerImage: { env: 'WPCDK_LOAD_BALANCER_IMAGE', parse: text, targets: [...DOCKER, ...SWARM], describe: 'Docker, Swarm: HAProxy image of the load balancer' },
  swarmHostPort: { env: 'WPCDK_SWARM_HOST_PORT', parse: integer, targets: SWARM, describe: 'Swarm: host port of the load balancer' },
  swarmPublishMode: { env: 'WPCDK_SWARM_PUBLISH_MODE', parse: oneOf(PUBLISH_MODES), targets: SWARM, describe: 'Swarm: host or ingress (routing mesh)' },
  swarmNetworkKey: { env: 'WPCDK_SWARM_NETWORK_KEY', parse: oneOf(NETWORK_KEYS), targets: SWARM, describe: 'Swarm: name (docker provider 3.x) or id (later builds)' },
  metrics: { env: 'WPCDK_METRICS', parse: boolean, targets: METRICS_TARGETS, describe: 'Docker, Kubernetes: exporters, Prometheus and container stats' },
  prometheusImage: { env: 'WPCDK_PROMETHEUS_IMAGE', parse: text, targets: METRICS_TARGETS, describe: 'Metrics: Prometheus image' },
  mysqldExporterImage: { env: 'WPCDK_MYSQLD_EXPORTER_IMAGE', parse: text, targets: METRICS_TARGETS, describe: 'Metrics: mysqld_exporter image' },
  apacheExporterImage: { env: 'WPCDK_APACHE_EXPORTER_IMAGE', parse: text, targets: METRICS_TARGETS, describe: 'Metrics: apache_exporter image' },
  cadvisorImage: { env: 'WPCDK_CADVISOR_IMAGE', parse: text, targets: DOCKER, describe: 'Metrics, Docker: cAdvisor image' },
  prometheusHostPort: { env: 'WPCDK_PROMETHEUS_HOST_PORT', parse: integer, targets: DOCKER, describe: 'Metrics, Docker: host port of Prometheus' },
  prometheusNodePort: { env: 'WPCDK_PROMETHEUS_NODE_PORT', parse: integer, targets: K8S, describe: 'Metrics, Kubernetes: fixed node port of Prometheus' },
  stateBackend: { env: 'WPCDK_STATE_BACKEND', parse: oneOf(STATE_BACKENDS), targets: ALL, describe: 'Terraform state: local file, kubernetes Secret or http (GitLab) backend' },
  stateNamespace: { env: 'WPCDK_STATE_NAMESPACE', parse: text, targets: ALL, describe: 'Kubernetes state backend: namespace of the state Secrets' },
  stacks: { env: 'WPCDK_STACKS', parse: text, targets: ALL, describe: 'Stacks the app synthesizes (comma-separated ids; default all)' },
  providerRegistry: { env: 'WPCDK_PROVIDER_REGISTRY', parse: text, targets: ALL, describe: 'Preflight: registry host:port checked when no mirror serves the providers' },
  tlsHost: { env: 'WPCDK_TLS_HOST', parse: text, targets: ALL, describe: 'HTTPS: the site\'s host name (with a certificate, TLS is on)' },
  tlsCertFile: { env: 'WPCDK_TLS_CERT_FILE', parse: text, targets: ALL, describe: 'HTTPS: PEM certificate file (with WPCDK_TLS_KEY_FILE)' },
  tlsKeyFile: { env: 'WPCDK_TLS_KEY_FILE', parse: text, targets: ALL, describe: 'HTTPS: PEM private key file of the certificate' },
  tlsSecret: { env: 'WPCDK_TLS_SECRET', parse: text, targets: K8S, describe: 'HTTPS, Kubernetes: existing kubernetes.io/tls Secret instead of the files' },
  httpsPort: { env: 'WPCDK_HTTPS_PORT', parse: integer, targets: DOCKER, describe: 'HTTPS, Docker: host port of the HTTPS frontend' },
  swarmHttpsPort: { env: 'WPCDK_SWARM_HTTPS_PORT', parse: integer, targets: SWARM, describe: 'HTTPS, Swarm: host port of the HTTPS frontend' },
  ingressClass: { env: 'WPCDK_INGRESS_CLASS', parse: text, targets: K8S, describe: 'HTTPS, Kubernetes: IngressClass of the controller' },
  ingressHttpsPort: { env: 'WPCDK_INGRESS_HTTPS_PORT', parse: integer, targets: K8S, describe: 'HTTPS, Kubernetes: port the controller serves HTTPS on (the URL\'s port)' },
  ingressTrustedProxies: { env: 'WPCDK_INGRESS_TRUSTED_PROXIES', parse: text, targets: K8S, describe: 'HTTPS, Kubernetes: addresses/CIDRs the controller connects to pods from' },
  protectData: { env: 'WPCDK_PROTECT_DATA', parse: boolean, targets: ALL, describe: 'Terraform refuses to destroy or replace the data (volumes, PVCs, passwords, namespace)' },
} satisfies { [K in SettingKey]-?: Setting<NonNullable<AppConfig[K]>> };

/** Defaults of the stacks themselves; the constructs hold the rest. */
export const STACK_DEFAULTS = {
  kubeconfig: join(homedir(), '.kube', 'config'),
  namespace: 'wordpress',
};

/**
 * Reads the config of one target (default: all settings). `context` is
 * cdktf.json's `context` (or `app.node`'s); an env variable wins over a
 * context key. Values are checked here for type only: the constructs check
 * their meaning (ports, names, quantities...), see {@link fromSettings}.
 */
export function loadConfig(env: NodeJS.ProcessEnv, context: (key: string) => unknown = () => undefined, target?: Target): AppConfig {
  const values: Record<string, unknown> = { ...STACK_DEFAULTS };
  const sources: Record<string, string> = {};
  if (env.KUBECONFIG) values.kubeconfig = env.KUBECONFIG.split(':')[0];
  for (const [key, setting] of Object.entries(SETTINGS) as [SettingKey, Setting<unknown>][]) {
    if (target && !setting.targets.includes(target)) continue;
    const fromEnv = env[setting.env];
    const fromContext = context(key);
    if (fromEnv !== undefined && fromEnv !== '') {
      sources[key] = setting.env;
      values[key] = setting.parse(fromEnv, setting.env);
    } else if (fromContext !== undefined) {
      sources[key] = `cdktf.json context "${key}"`;
      values[key] = setting.parse(fromContext, sources[key]);
    }
  }
  return { ...values, sources } as unknown as AppConfig;
}

/**
 * Builds constructs from settings; a bad value is reported by the setting the
 * user wrote (`WPCDK_BIND_ADDRESS="localhost" is invalid: ...`), not only by
 * the construct prop it fed. `props` maps each prop to its setting.
 */
export function fromSettings<T>(config: AppConfig, props: Readonly<Record<string, SettingKey>>, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const key = error instanceof ValidationError ? props[error.prop] : undefined;
    const source = key && config.sources[key];
    if (!(error instanceof ValidationError) || !source) throw error;
    throw new ConfigError(`${source}=${JSON.stringify(error.value)} is invalid: ${error.expected} (${error.owner}, prop ${error.prop})`);
  }
}
