import { MYSQL, DEFAULT_DATABASE } from './app-model';
import { SecretValue } from './service';
import { checkDatabaseUser, checkMysqlName, checkPort, fail, isToken } from './validation';

/**
 * What a client needs to use a MySQL database: where it is, which database,
 * as whom, and where the password comes from. The in-stack MySQL constructs
 * implement it; {@link Database.fromAttributes} describes one that already runs.
 */
export interface IDatabase {
  /** Host name (or address) clients connect to. */
  readonly host: string;
  readonly port: number;
  readonly databaseName: string;
  readonly username: string;
  /** The password of {@link username}. */
  readonly password: SecretValue;
}

/** Attributes of a database that exists outside the stack. */
export interface DatabaseAttributes {
  /** Host name or IPv4 address. */
  readonly host: string;
  /** @default 3306 */
  readonly port?: number;
  /** @default 'wordpress' */
  readonly databaseName?: string;
  /** @default 'wordpress' */
  readonly username?: string;
  /** From a sensitive Terraform variable or an existing Kubernetes Secret: never a literal. */
  readonly password: SecretValue;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;

export class Database {
  /** A database that already runs (a managed MySQL, another host): nothing is created for it. */
  public static fromAttributes(attributes: DatabaseAttributes): IDatabase {
    const owner = 'Database.fromAttributes';
    const database: IDatabase = {
      host: attributes.host,
      port: attributes.port ?? MYSQL.port,
      databaseName: attributes.databaseName ?? DEFAULT_DATABASE.name,
      username: attributes.username ?? DEFAULT_DATABASE.user,
      password: attributes.password,
    };
    if (!isToken(database.host) && !HOST_NAME.test(database.host)) {
      fail(owner, 'host', database.host, "must be a host name or IPv4 address such as 'db.example.com' (the port goes in port)");
    }
    checkPort(owner, 'port', database.port);
    checkMysqlName(owner, 'databaseName', database.databaseName, 64);
    checkDatabaseUser(owner, 'username', database.username);
    return database;
  }
}

/** Splits `host` or `host:port` (the WPCDK_DATABASE_HOST form). */
export function parseHostPort(owner: string, prop: string, value: string): { host: string; port: number } {
  const match = /^([^:]+)(?::(\d+))?$/.exec(value);
  if (!match) fail(owner, prop, value, "must be 'host' or 'host:port', e.g. 'db.example.com:3306'");
  return { host: match[1], port: match[2] === undefined ? MYSQL.port : Number(match[2]) };
}
