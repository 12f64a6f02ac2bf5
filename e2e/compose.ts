import { stringify } from 'yaml';
import { DEFAULT_DATABASE, HEALTH } from '../constructs/app-model';
import { loadBalancerService } from '../constructs/load-balancer';
import { mysqlDatabase, mysqlService } from '../constructs/mysql';
import { SecretValue, ServiceDescription, isSecret, mainPort } from '../constructs/service';
import { wordpressService } from '../constructs/wordpress';
import { dockerRuntime } from '../constructs/docker-service';

/** Renders service descriptions as a docker-compose file (`docker-compose up`) or a stack file (`docker stack deploy`). */

export interface ComposeOptions {
  readonly wordpressImage: string;
  readonly mysqlImage: string;
  readonly hostPort: number;
  readonly configExtra?: string;
}

interface ComposeService {
  readonly description: ServiceDescription;
  readonly publish?: number;
  /**
   * A network of its own that only the services connecting to it join (the stacks' `ownNetwork`).
   * Without it the service is on the app network (`default`), as the stacks put it on theirs.
   */
  readonly ownNetwork?: boolean;
  /**
   * Services with `ownNetwork` it connects to, as the stacks' `allowFrom`: it joins their networks
   * and, in a compose file, starts after them.
   */
  readonly connectsTo?: readonly ServiceDescription[];
  /** Stack files: tasks of the service. */
  readonly replicas?: number;
}

/**
 * The stacks' network topology in a compose or stack file: the networks each service joins and
 * the file's own network declarations (the default network needs none).
 */
function topology(services: readonly ComposeService[]) {
  const own = services.filter((s) => s.ownNetwork).map((s) => s.description.name);
  for (const { description, connectsTo } of services) {
    for (const server of connectsTo ?? []) {
      if (!own.includes(server.name)) throw new Error(`${description.name} connects to ${server.name}, which has no network of its own (ownNetwork)`);
    }
  }
  return {
    declared: own.length ? { networks: Object.fromEntries(own.map((name) => [name, {}])) } : {},
    of: ({ description, ownNetwork, connectsTo }: ComposeService) =>
      ({ networks: [ownNetwork ? description.name : 'default', ...(connectsTo ?? []).map((server) => server.name)] }),
  };
}

/** Compose reads `$` as interpolation: a literal `$` is written `$$`. */
const composeLiteral = (value: string) => value.replace(/\$/g, '$$$$');

const healthcheck = (s: ServiceDescription) => ({
  test: ['CMD', ...s.health.command],
  interval: `${HEALTH.intervalSeconds}s`,
  timeout: `${HEALTH.timeoutSeconds}s`,
  retries: HEALTH.failureThreshold,
  start_period: `${HEALTH.startupSeconds}s`,
});

/** What the Docker stack's containers run with (dockerRuntime), as compose file settings: the same limits, the same root filesystem. */
function composeRuntime(s: ServiceDescription) {
  const runtime = dockerRuntime('docker-compose', s);
  return {
    security_opt: [...runtime.securityOpts],
    read_only: runtime.readOnly,
    ...(runtime.tmpfs ? { tmpfs: Object.entries(runtime.tmpfs).map(([path, options]) => `${path}:${options}`) } : {}),
    mem_limit: `${runtime.memoryMb}m`,
    memswap_limit: `${runtime.memoryMb}m`,
    cpus: Number(runtime.cpus),
    logging: { driver: runtime.log.driver, options: { ...runtime.log.options } },
  };
}

/** A docker-compose file; secrets come from the environment (`${VAR}`). */
export function renderCompose(services: readonly ComposeService[]): { yaml: string; secretVariables: string[] } {
  const secretVariables = new Set<string>();
  const volumes: Record<string, object> = {};
  const networks = topology(services);
  const rendered = Object.fromEntries(services.map((service) => {
    const { description: s, publish, connectsTo } = service;
    const environment = Object.fromEntries(Object.entries(s.env).map(([key, entry]) => {
      if (!isSecret(entry)) return [key, composeLiteral(entry.value)];
      secretVariables.add(entry.secret.composeVariable);
      return [key, `\${${entry.secret.composeVariable}}`];
    }));
    for (const v of s.volumes) volumes[`${s.name}_${v.name}`] = {};
    return [s.name, {
      image: s.image,
      restart: 'unless-stopped',
      ...(connectsTo?.length ? { depends_on: connectsTo.map((d) => d.name) } : {}),
      ...networks.of(service),
      ...(publish ? { ports: [`127.0.0.1:${publish}:${mainPort(s).port}`] } : {}),
      environment,
      volumes: s.volumes.map((v) => `${s.name}_${v.name}:${v.path}`),
      cap_drop: ['ALL'],
      cap_add: [...s.capabilities],
      ...composeRuntime(s),
      healthcheck: healthcheck(s),
    }];
  }));
  return { yaml: stringify({ version: '2.4', services: rendered, ...networks.declared, volumes }), secretVariables: [...secretVariables].sort() };
}

/**
 * A stack file for `docker stack deploy`, as the Swarm stack renders the same
 * descriptions: secrets as files (`*_FILE`), configuration files as configs,
 * dnsrr endpoints, host-mode published ports, start-first rolling updates.
 * Returns the file and the files it refers to (secret values, configs) by name.
 */
export function renderStackFile(services: readonly ComposeService[]): { yaml: string; secretNames: string[]; configs: Record<string, string> } {
  const secretNames = new Set<string>();
  const configs: Record<string, string> = {};
  const volumes: Record<string, object> = {};
  const networks = topology(services);
  const rendered = Object.fromEntries(services.map((service) => {
    const { description: s, publish, replicas } = service;
    const environment: Record<string, string> = {};
    const secrets: string[] = [];
    for (const [key, entry] of Object.entries(s.env)) {
      if (!isSecret(entry)) {
        environment[key] = composeLiteral(entry.value);
      } else {
        secretNames.add(entry.secret.name);
        secrets.push(entry.secret.name);
        environment[`${key}_FILE`] = `/run/secrets/${entry.secret.name}`;
      }
    }
    const files = (s.files ?? []).map((f, i) => {
      configs[`${s.name}-file${i}`] = f.content;
      return { source: `${s.name}-file${i}`, target: f.path };
    });
    for (const v of s.volumes) volumes[`${s.name}_${v.name}`] = {};
    return [s.name, {
      image: s.image,
      environment,
      ...(secrets.length ? { secrets } : {}),
      ...(files.length ? { configs: files } : {}),
      ...networks.of(service),
      ...(publish ? { ports: [{ target: mainPort(s).port, published: publish, protocol: 'tcp', mode: 'host' }] } : {}),
      volumes: s.volumes.map((v) => `${s.name}_${v.name}:${v.path}`),
      cap_drop: ['ALL'],
      cap_add: [...s.capabilities],
      healthcheck: healthcheck(s),
      deploy: {
        replicas: replicas ?? 1,
        endpoint_mode: 'dnsrr',
        update_config: { parallelism: 1, order: s.volumes.length && (replicas ?? 1) === 1 ? 'stop-first' : 'start-first', failure_action: 'rollback' },
        restart_policy: { condition: 'any', delay: '2s' },
      },
    }];
  }));
  const names = [...secretNames].sort();
  return {
    yaml: stringify({
      version: '3.8',
      services: rendered,
      ...networks.declared,
      volumes,
      secrets: Object.fromEntries(names.map((n) => [n, { file: `./${n}` }])),
      configs: Object.fromEntries(Object.keys(configs).map((n) => [n, { file: `./${n}` }])),
    }),
    secretNames: names,
    configs,
  };
}

/** MySQL and WordPress with credentials from the environment, as the stacks have them. */
function appServices(options: ComposeOptions) {
  const credentials = {
    databaseName: DEFAULT_DATABASE.name,
    username: DEFAULT_DATABASE.user,
    rootPassword: SecretValue.fromEnvironment('db-root-password'),
    userPassword: SecretValue.fromEnvironment('db-password'),
  };
  const mysql = mysqlService({ credentials, image: options.mysqlImage });
  const wordpress = wordpressService({
    database: mysqlDatabase({ credentials }, credentials.userPassword), image: options.wordpressImage, configExtra: options.configExtra,
  });
  return { mysql, wordpress };
}

/**
 * The docker-compose file equivalent to the Docker stack, rendered from the
 * same service descriptions. Passwords are interpolated from the environment
 * (DB_ROOT_PASSWORD, DB_PASSWORD), never written in the file.
 */
export function composeFile(options: ComposeOptions): { yaml: string; secretVariables: string[] } {
  const { mysql, wordpress } = appServices(options);
  return renderCompose([{ description: mysql, ownNetwork: true }, { description: wordpress, publish: options.hostPort, connectsTo: [mysql] }]);
}

/** The stack file equivalent to the Swarm stack: MySQL, WordPress replicas, HAProxy in front. */
export function stackFile(options: ComposeOptions & { readonly replicas: number; readonly loadBalancerImage: string }) {
  const { mysql, wordpress } = appServices(options);
  const lb = loadBalancerService({ backend: wordpress, image: options.loadBalancerImage });
  return renderStackFile([
    { description: mysql, ownNetwork: true },
    { description: wordpress, replicas: options.replicas, connectsTo: [mysql] },
    { description: lb, publish: options.hostPort },
  ]);
}
