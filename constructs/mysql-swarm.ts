import { Construct } from 'constructs';
import { IDatabase } from './database';
import { MysqlOptions, mysqlDatabase, mysqlService } from './mysql';
import { SecretValue } from './service';
import { SwarmService, SwarmServiceOptions } from './swarm-service';

/** Props for {@link MysqlSwarm}. */
export interface MysqlSwarmProps extends MysqlOptions, Omit<SwarmServiceOptions, 'ownNetwork' | 'replicas' | 'updateOrder'> {}

/**
 * MySQL on Docker Swarm: one task on its named volume, updated stop-first
 * (two servers must never open the same data directory), its passwords as
 * Swarm secrets (`MYSQL_*_PASSWORD_FILE`), reachable as `mysql` only on its
 * own overlay network, by the clients {@link allowFrom} lets in.
 */
export class MysqlSwarm extends SwarmService implements IDatabase {
  public readonly host: string;
  public readonly port: number;
  public readonly databaseName: string;
  public readonly username: string;
  public readonly password: SecretValue;

  constructor(scope: Construct, id: string, props: MysqlSwarmProps) {
    super(scope, id, { ...props, ownNetwork: true, replicas: 1, updateOrder: 'stop-first', description: mysqlService(props) });
    ({ host: this.host, port: this.port, databaseName: this.databaseName, username: this.username, password: this.password } =
      mysqlDatabase(props, props.credentials.userPassword));
  }
}
