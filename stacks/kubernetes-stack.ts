import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { DatabaseCredentials } from '../constructs/database-credentials';
import { MysqlKubernetes } from '../constructs/mysql-kubernetes';
import { WordpressKubernetes } from '../constructs/wordpress-kubernetes';
import { checkDnsLabel } from '../constructs/validation';
import { AppConfig } from './config';

/** Name of the stack: `cdktf deploy wordpress-k8s`. */
export const KUBERNETES_STACK = 'wordpress-k8s';

/** The same app on a Kubernetes cluster, in its own namespace. */
export class KubernetesStack extends TerraformStack {
  public readonly namespace: NamespaceV1;
  public readonly mysql: MysqlKubernetes;
  public readonly wordpress: WordpressKubernetes;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    checkDnsLabel(`KubernetesStack ${id}`, 'namespace', config.namespace);
    new KubernetesProvider(this, 'kubernetes', { configPath: config.kubeconfig, configContext: config.kubeContext });
    new RandomProvider(this, 'random');

    this.namespace = new NamespaceV1(this, 'namespace', { metadata: { name: config.namespace } });
    const common = {
      appName: config.appName,
      storageClass: config.storageClass,
      imagePullPolicy: config.imagePullPolicy,
    };
    this.mysql = new MysqlKubernetes(this, 'mysql', {
      ...common,
      namespace: this.namespace.metadata.name,
      credentials: new DatabaseCredentials(this, 'credentials'),
      image: config.mysqlImage,
    });
    this.wordpress = new WordpressKubernetes(this, 'wordpress', {
      ...common,
      database: this.mysql,
      image: config.wordpressImage,
      replicas: config.wordpressReplicas,
      serviceType: config.serviceType,
      nodePort: config.nodePort,
      configExtra: config.wordpressConfigExtra,
    });

    new TerraformOutput(this, 'url', { value: this.wordpress.url, description: 'Open WordPress here' });
    new TerraformOutput(this, 'service_name', { value: this.wordpress.service.metadata.name });
    new TerraformOutput(this, 'namespace_name', { value: this.namespace.metadata.name });
    if (this.wordpress.nodePort !== undefined) {
      new TerraformOutput(this, 'node_port', { value: this.wordpress.nodePort });
    }
  }
}
