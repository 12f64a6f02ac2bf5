import { resourceNamed } from './helpers';
import { TerraformOutput, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { DatabaseCredentials } from '../constructs/database-credentials';
import { MysqlKubernetes } from '../constructs/mysql-kubernetes';
import { WordpressKubernetes, WordpressKubernetesProps } from '../constructs/wordpress-kubernetes';

interface Container {
  name: string;
  env: { name: string; value?: string; value_from?: { secret_key_ref: { name: string; key: string } } }[];
  [key: string]: unknown;
}
interface Deployment {
  metadata: { name: string };
  spec: { replicas: string; strategy: { type: string }; selector: { match_labels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { container: Container[]; security_context: unknown; volume: unknown[] } } };
}

function app(scope: Construct, wordpress: Partial<WordpressKubernetesProps> = {}) {
  const credentials = new DatabaseCredentials(scope, 'credentials');
  const mysql = new MysqlKubernetes(scope, 'mysql', { namespace: 'blog', credentials });
  const site = new WordpressKubernetes(scope, 'wordpress', { database: mysql, ...wordpress });
  return { mysql, site };
}

function deployment(json: string, name: string): Deployment {
  const all = Object.values(JSON.parse(json).resource.kubernetes_deployment_v1) as Deployment[];
  const found = all.find((d) => d.metadata.name === name);
  if (!found) throw new Error(`no deployment ${name}`);
  return found;
}

const json = Testing.synthScope((scope) => { app(scope); });
const mysql = deployment(json, 'mysql');
const wordpress = deployment(json, 'wordpress');
const [mysqlContainer] = mysql.spec.template.spec.container;
const [wordpressContainer] = wordpress.spec.template.spec.container;

describe('MysqlKubernetes', () => {
  it('stores the generated passwords in a Secret, not in the pod spec', () => {
    expect(resourceNamed(json, SecretV1, 'mysql-credentials')).toMatchObject({
      metadata: { namespace: 'blog' },
      data: { MYSQL_ROOT_PASSWORD: expect.stringMatching(/^\$\{random_password\./), MYSQL_PASSWORD: expect.stringMatching(/^\$\{random_password\./) },
    });
    const byName = Object.fromEntries(mysqlContainer.env.map((e) => [e.name, e]));
    expect(byName.MYSQL_ROOT_PASSWORD.value).toBeUndefined();
    expect(byName.MYSQL_ROOT_PASSWORD.value_from?.secret_key_ref.key).toBe('MYSQL_ROOT_PASSWORD');
    expect(byName.MYSQL_PASSWORD.value_from?.secret_key_ref.key).toBe('MYSQL_PASSWORD');
    expect(byName.MYSQL_DATABASE.value).toBe('wordpress');
  });

  it('is one Recreate replica on a PVC that does not block the apply', () => {
    expect(mysql.spec).toMatchObject({ replicas: '1', strategy: { type: 'Recreate' } });
    expect(resourceNamed(json, PersistentVolumeClaimV1, 'mysql-data')).toMatchObject({
      metadata: { namespace: 'blog' },
      spec: { access_modes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      wait_until_bound: false,
    });
    expect(mysqlContainer.volume_mount).toEqual([{ name: 'data', mount_path: '/var/lib/mysql' }]);
  });

  it('is reachable as "mysql" through a headless Service selecting its pods', () => {
    expect(resourceNamed(json, ServiceV1, 'mysql')).toMatchObject({
      spec: { cluster_ip: 'None', publish_not_ready_addresses: true, selector: mysql.spec.selector.match_labels, port: [{ name: 'mysql', port: 3306, target_port: '3306' }] },
    });
  });

  it('has startup, readiness and liveness probes', () => {
    const ping = { command: ['mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'] };
    expect(mysqlContainer.startup_probe).toMatchObject({ exec: ping, failure_threshold: 150 });
    expect(mysqlContainer.readiness_probe).toMatchObject({ exec: ping, period_seconds: 2 });
    expect(mysqlContainer.liveness_probe).toMatchObject({ tcp_socket: [{ port: '3306' }] });
  });

  it('lets only WordPress pods reach port 3306', () => {
    expect(json).toHaveResourceWithProperties(NetworkPolicyV1, {
      spec: {
        pod_selector: { match_labels: mysql.spec.selector.match_labels },
        policy_types: ['Ingress'],
        ingress: [{ from: [{ pod_selector: { match_labels: wordpress.spec.selector.match_labels } }], ports: [{ port: '3306', protocol: 'TCP' }] }],
      },
    });
    // The policy's client selector must select the WordPress pods' labels.
    expect(wordpress.spec.template.metadata.labels).toMatchObject(wordpress.spec.selector.match_labels);
  });
});

describe('WordpressKubernetes', () => {
  it('reads the database password from the MySQL Secret and finds MySQL by Service name', () => {
    const byName = Object.fromEntries(wordpressContainer.env.map((e) => [e.name, e]));
    expect(byName.WORDPRESS_DB_HOST.value).toBe('mysql:3306');
    expect(byName.WORDPRESS_DB_PASSWORD.value_from?.secret_key_ref).toEqual({ name: expect.stringContaining('kubernetes_secret_v1.mysql_credentials'), key: 'MYSQL_PASSWORD' });
  });

  it('is probed over HTTP for readiness and over TCP for liveness', () => {
    expect(wordpressContainer.readiness_probe).toMatchObject({ http_get: { path: '/wp-login.php', port: '80' } });
    expect(wordpressContainer.liveness_probe).toMatchObject({ tcp_socket: [{ port: '80' }] });
  });

  it('sets requests, limits and a tight security context on every container', () => {
    for (const [container, caps] of [[mysqlContainer, 5], [wordpressContainer, 6]] as const) {
      expect(container.resources).toEqual({ requests: { cpu: '100m', memory: expect.any(String) }, limits: { memory: expect.any(String) } });
      expect(container.security_context).toMatchObject({ allow_privilege_escalation: false, capabilities: { drop: ['ALL'] } });
      expect((container.security_context as { capabilities: { add: string[] } }).capabilities.add).toHaveLength(caps);
    }
    expect(wordpress.spec.template.spec.security_context).toEqual({ seccomp_profile: { type: 'RuntimeDefault' } });
  });

  it('is a NodePort Service by default and outputs a URL through the node port', () => {
    let url = '';
    const synth = Testing.synthScope((scope) => {
      url = app(scope).site.url;
      new TerraformOutput(scope, 'url', { value: url });
    });
    url = JSON.parse(synth).output.url.value;
    expect(resourceNamed(synth, ServiceV1, 'wordpress')).toMatchObject({ spec: { type: 'NodePort' }, wait_for_load_balancer: false });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\$\{kubernetes_service_v1\.wordpress_service_.+\.spec\[0\]\.port\[0\]\.node_port\}$/);
  });

  it('can be a LoadBalancer that is not waited for, with a fixed node port', () => {
    const synth = Testing.synthScope((scope) => { app(scope, { serviceType: 'LoadBalancer', nodePort: 30080 }); });
    expect(resourceNamed(synth, ServiceV1, 'wordpress')).toMatchObject({ spec: { type: 'LoadBalancer', port: [{ node_port: 30080 }] }, wait_for_load_balancer: false });
  });

  it('can be a ClusterIP Service with an in-cluster URL', () => {
    let site: WordpressKubernetes | undefined;
    Testing.synthScope((scope) => { site = app(scope, { serviceType: 'ClusterIP' }).site; });
    expect(site?.nodePort).toBeUndefined();
    expect(site?.url).toBe('http://wordpress.blog.svc.cluster.local');
  });

  it('scales out on a ReadWriteMany content volume with rolling updates', () => {
    const synth = Testing.synthScope((scope) => { app(scope, { replicas: 3, contentAccessMode: 'ReadWriteMany', storageClass: 'nfs-client' }); });
    const scaled = deployment(synth, 'wordpress');
    expect(scaled.spec).toMatchObject({ replicas: '3', strategy: { type: 'RollingUpdate' } });
    expect(resourceNamed(synth, PersistentVolumeClaimV1, 'wordpress-content')).toMatchObject({ spec: { access_modes: ['ReadWriteMany'], storage_class_name: 'nfs-client' } });
  });

  it('uses the Recreate strategy with one replica on a ReadWriteOnce volume', () => {
    expect(wordpress.spec).toMatchObject({ replicas: '1', strategy: { type: 'Recreate' } });
  });
});
