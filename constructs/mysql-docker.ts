import { Construct } from 'constructs';
import { IDatabase } from './database';
import { DockerService, DockerServiceOptions } from './docker-service';
import { MysqlOptions, mysqlDatabase, mysqlService } from './mysql';
import { SecretValue } from './service';

/** Props for {@link MysqlDocker}. */
export interface MysqlDockerProps extends MysqlOptions, Omit<DockerServiceOptions, 'ownNetwork'> {}

/**
 * MySQL on Docker: the `db` service of the compose file. A named volume keeps
 * the data; it publishes no port and is reachable as `mysql` only on its own
 * network, by the clients {@link allowFrom} lets in.
 */
export class MysqlDocker extends DockerService implements IDatabase {
  public readonly host: string;
  public readonly port: number;
  public readonly databaseName: string;
  public readonly username: string;
  public readonly password: SecretValue;

  constructor(scope: Construct, id: string, props: MysqlDockerProps) {
    super(scope, id, { ...props, ownNetwork: true, description: mysqlService(props) });
    ({ host: this.host, port: this.port, databaseName: this.databaseName, username: this.username, password: this.password } =
      mysqlDatabase(props, props.credentials.userPassword));
  }
}
