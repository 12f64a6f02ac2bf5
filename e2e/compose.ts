import { stringify } from 'yaml';
import { DEFAULT_DATABASE, HEALTH } from '../constructs/app-model';
import { mysqlDatabase, mysqlService } from '../constructs/mysql';
import { SecretValue, ServiceDescription, isSecret, mainPort } from '../constructs/service';
import { wordpressService } from '../constructs/wordpress';

export interface ComposeOptions {
  readonly wordpressImage: string;
  readonly mysqlImage: string;
  readonly hostPort: number;
  readonly configExtra?: string;
}

interface ComposeService {
  readonly description: ServiceDescription;
  readonly publish?: number;
  readonly dependsOn?: readonly ServiceDescription[];
}

/** Compose reads `$` as interpolation: a literal `$` is written `$$`. */
const composeLiteral = (value: string) => value.replace(/\$/g, '$$$$');

/** Renders service descriptions as a compose file; secrets come from the environment (`${VAR}`). */
export function renderCompose(services: readonly ComposeService[]): { yaml: string; secretVariables: string[] } {
  const secretVariables = new Set<string>();
  const volumes: Record<string, object> = {};
  const rendered = Object.fromEntries(services.map(({ description: s, publish, dependsOn }) => {
    const environment = Object.fromEntries(Object.entries(s.env).map(([key, entry]) => {
      if (!isSecret(entry)) return [key, composeLiteral(entry.value)];
      secretVariables.add(entry.secret.composeVariable);
      return [key, `\${${entry.secret.composeVariable}}`];
    }));
    for (const v of s.volumes) volumes[`${s.name}_${v.name}`] = {};
    return [s.name, {
      image: s.image,
      restart: 'unless-stopped',
      ...(dependsOn?.length ? { depends_on: dependsOn.map((d) => d.name) } : {}),
      ...(publish ? { ports: [`127.0.0.1:${publish}:${mainPort(s).port}`] } : {}),
      environment,
      volumes: s.volumes.map((v) => `${s.name}_${v.name}:${v.path}`),
      cap_drop: ['ALL'],
      cap_add: [...s.capabilities],
      healthcheck: {
        test: ['CMD', ...s.health.command],
        interval: `${HEALTH.intervalSeconds}s`,
        timeout: `${HEALTH.timeoutSeconds}s`,
        retries: HEALTH.failureThreshold,
        start_period: `${HEALTH.startupSeconds}s`,
      },
    }];
  }));
  return { yaml: stringify({ version: '2.4', services: rendered, volumes }), secretVariables: [...secretVariables].sort() };
}

/**
 * The docker-compose file equivalent to the Docker stack, rendered from the
 * same service descriptions. Passwords are interpolated from the environment
 * (DB_ROOT_PASSWORD, DB_PASSWORD), never written in the file.
 */
export function composeFile(options: ComposeOptions): { yaml: string; secretVariables: string[] } {
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
  return renderCompose([{ description: mysql }, { description: wordpress, publish: options.hostPort, dependsOn: [mysql] }]);
}
