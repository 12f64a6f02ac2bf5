import { homedir } from 'node:os';
import { join } from 'node:path';
import { ServiceType, SERVICE_TYPES } from '../constructs/wordpress-kubernetes';
import { IMAGE_PULL_POLICIES, ImagePullPolicy } from '../constructs/kubernetes-common';

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
  readonly hostPort?: number;
  readonly bindAddress?: string;
  readonly kubeconfig: string;
  readonly kubeContext?: string;
  readonly namespace: string;
  readonly storageClass?: string;
  readonly wordpressReplicas?: number;
  readonly serviceType?: ServiceType;
  readonly nodePort?: number;
  readonly imagePullPolicy?: ImagePullPolicy;
}

export class ConfigError extends Error {}

type Parser<T> = (raw: string, source: string) => T;

const text: Parser<string> = (raw) => raw;
const integer: Parser<number> = (raw, source) => {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${source} must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
};
function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  return (raw, source) => {
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new ConfigError(`${source} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
    }
    return raw as T;
  };
}

interface Setting<T> {
  /** Environment variable. */
  readonly env: string;
  readonly parse: Parser<T>;
  readonly describe: string;
}

/** The configuration reference: README's table lists exactly these. */
export const SETTINGS = {
  appName: { env: 'WPCDK_APP_NAME', parse: text, describe: 'Prefix of Docker names, `part-of` label' },
  wordpressImage: { env: 'WPCDK_WORDPRESS_IMAGE', parse: text, describe: 'WordPress image' },
  mysqlImage: { env: 'WPCDK_MYSQL_IMAGE', parse: text, describe: 'MySQL image' },
  wordpressConfigExtra: { env: 'WPCDK_WORDPRESS_CONFIG_EXTRA', parse: text, describe: 'PHP added to wp-config.php' },
  hostPort: { env: 'WPCDK_HOST_PORT', parse: integer, describe: 'Docker: host port of WordPress' },
  bindAddress: { env: 'WPCDK_BIND_ADDRESS', parse: text, describe: 'Docker: host address the port binds to' },
  kubeconfig: { env: 'WPCDK_KUBECONFIG', parse: text, describe: 'Kubernetes: kubeconfig file (default: first of $KUBECONFIG, else ~/.kube/config)' },
  kubeContext: { env: 'WPCDK_KUBE_CONTEXT', parse: text, describe: 'Kubernetes: kubeconfig context' },
  namespace: { env: 'WPCDK_NAMESPACE', parse: text, describe: 'Kubernetes: namespace (created)' },
  storageClass: { env: 'WPCDK_STORAGE_CLASS', parse: text, describe: 'Kubernetes: StorageClass of both PVCs' },
  wordpressReplicas: { env: 'WPCDK_WORDPRESS_REPLICAS', parse: integer, describe: 'Kubernetes: WordPress pods' },
  serviceType: { env: 'WPCDK_SERVICE_TYPE', parse: oneOf(SERVICE_TYPES), describe: 'Kubernetes: NodePort, LoadBalancer or ClusterIP' },
  nodePort: { env: 'WPCDK_NODE_PORT', parse: integer, describe: 'Kubernetes: fixed node port (30000-32767)' },
  imagePullPolicy: { env: 'WPCDK_IMAGE_PULL_POLICY', parse: oneOf(IMAGE_PULL_POLICIES), describe: 'Kubernetes: image pull policy' },
} satisfies { [K in keyof AppConfig]-?: Setting<NonNullable<AppConfig[K]>> };

/** Defaults of the stacks themselves; the constructs hold the rest. */
export const STACK_DEFAULTS = {
  kubeconfig: join(homedir(), '.kube', 'config'),
  namespace: 'wordpress',
};

/**
 * Reads the config. `context` is cdktf.json's `context` (or `app.node`'s);
 * an env variable wins over a context key. Values are checked here for type
 * only: the constructs check their meaning (ports, names, quantities...).
 */
export function loadConfig(env: NodeJS.ProcessEnv, context: (key: string) => unknown = () => undefined): AppConfig {
  const values: Record<string, unknown> = { ...STACK_DEFAULTS };
  if (env.KUBECONFIG) values.kubeconfig = env.KUBECONFIG.split(':')[0];
  for (const [key, setting] of Object.entries(SETTINGS) as [keyof AppConfig, Setting<unknown>][]) {
    const fromEnv = env[setting.env];
    const fromContext = context(key);
    if (fromEnv !== undefined && fromEnv !== '') {
      values[key] = setting.parse(fromEnv, `${setting.env}`);
    } else if (fromContext !== undefined) {
      values[key] = setting.parse(String(fromContext), `cdktf.json context "${key}"`);
    }
  }
  return values as unknown as AppConfig;
}
