import { Construct } from 'constructs';
import { DatabaseCredentials } from '../../constructs/database-credentials';
import { MysqlKubernetes } from '../../constructs/mysql-kubernetes';
import { WordpressKubernetes, WordpressKubernetesProps } from '../../constructs/wordpress-kubernetes';

/** MySQL + WordPress on Kubernetes in namespace `blog`, connected as the stack does. */
export function kubernetesApp(scope: Construct, wordpress: Partial<WordpressKubernetesProps> = {}) {
  const mysql = new MysqlKubernetes(scope, 'mysql', { namespace: 'blog', credentials: new DatabaseCredentials(scope, 'credentials') });
  const site = new WordpressKubernetes(scope, 'wordpress', { namespace: 'blog', database: mysql, ...wordpress });
  const policy = mysql.allowFrom(site);
  return { mysql, site, policy };
}
