import { Construct } from 'constructs';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { MYSQL_ENV } from './app-model';
import { IDatabase } from './database';
import { KubernetesWorkload, KubernetesWorkloadOptions } from './kubernetes-workload';
import { MysqlOptions, mysqlDatabase, mysqlService } from './mysql';
import { SecretValue } from './service';

/** Props for {@link MysqlKubernetes}. */
export interface MysqlKubernetesProps extends MysqlOptions, Omit<KubernetesWorkloadOptions, 'replicas' | 'volumeAccessMode'> {}

/**
 * MySQL on Kubernetes: the compose `db` service becomes a single-replica
 * Deployment (`Recreate`: the volume is ReadWriteOnce), a PVC for the named
 * volume, a Secret for the passwords and a headless Service for the network
 * alias. Who may connect is stated with {@link allowFrom} (a NetworkPolicy).
 */
export class MysqlKubernetes extends KubernetesWorkload implements IDatabase {
  /** The headless Service `mysql`: the host name clients connect to. */
  public readonly headlessService: ServiceV1;
  public readonly host: string;
  public readonly port: number;
  public readonly databaseName: string;
  public readonly username: string;
  /** The app user's password, read from this workload's Secret. */
  public readonly password: SecretValue;

  constructor(scope: Construct, id: string, props: MysqlKubernetesProps) {
    super(scope, id, { ...props, description: mysqlService(props) });
    this.headlessService = this.exposeHeadless();
    ({ host: this.host, port: this.port, databaseName: this.databaseName, username: this.username, password: this.password } =
      mysqlDatabase(props, this.secretValueOf(MYSQL_ENV.password)));
  }
}
