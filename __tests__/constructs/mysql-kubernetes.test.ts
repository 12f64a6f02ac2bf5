import { Testing } from 'cdktf';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { deploymentNamed, resourceNamed, secretFilesOf } from '../helpers';
import { kubernetesApp } from '../apps/kubernetes';

const json = Testing.synthScope((scope) => { kubernetesApp(scope); });
const mysql = deploymentNamed(json, 'mysql');
const wordpress = deploymentNamed(json, 'wordpress');
const [container] = mysql.spec.template.spec.container;

describe('MysqlKubernetes', () => {
  it('stores the generated passwords in a Secret, not in the pod spec', () => {
    expect(resourceNamed(json, SecretV1, 'mysql-credentials')).toMatchObject({
      metadata: { namespace: 'blog' },
      data: { MYSQL_ROOT_PASSWORD: expect.stringMatching(/^\$\{random_password\./), MYSQL_PASSWORD: expect.stringMatching(/^\$\{random_password\./) },
    });
    const byName = Object.fromEntries(container.env.map((e) => [e.name, e]));
    // As files (the image reads MYSQL_*_FILE), never as env values.
    expect(byName.MYSQL_ROOT_PASSWORD).toBeUndefined();
    expect(byName.MYSQL_ROOT_PASSWORD_FILE.value).toBe('/run/secrets/wpcdk/MYSQL_ROOT_PASSWORD');
    expect(byName.MYSQL_PASSWORD_FILE.value).toBe('/run/secrets/wpcdk/MYSQL_PASSWORD');
    expect(secretFilesOf(mysql)).toEqual({
      MYSQL_ROOT_PASSWORD: { secret: expect.stringContaining('kubernetes_secret_v1.mysql_credentials'), key: 'MYSQL_ROOT_PASSWORD' },
      MYSQL_PASSWORD: { secret: expect.stringContaining('kubernetes_secret_v1.mysql_credentials'), key: 'MYSQL_PASSWORD' },
    });
    expect(byName.MYSQL_DATABASE.value).toBe('wordpress');
  });

  it('runs as the image\'s mysql user (999) on a read-only root, writing only its data, socket directory and /tmp', () => {
    expect(container.security_context).toMatchObject({ run_as_user: '999', run_as_group: '999', run_as_non_root: true, read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } });
    expect(mysql.spec.template.spec.security_context).toMatchObject({ fs_group: '999' });
    expect(mysql.spec.template.spec.security_context).not.toHaveProperty('sysctl');
  });

  it('is one Recreate replica on a PVC that does not block the apply', () => {
    expect(mysql.spec).toMatchObject({ replicas: '1', strategy: { type: 'Recreate' } });
    expect(resourceNamed(json, PersistentVolumeClaimV1, 'mysql-data')).toMatchObject({
      metadata: { namespace: 'blog' },
      spec: { access_modes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      wait_until_bound: false,
    });
    expect(container.volume_mount).toEqual([
      { name: 'data', mount_path: '/var/lib/mysql' },
      { name: 'writable-0', mount_path: '/var/run/mysqld' },
      { name: 'writable-1', mount_path: '/tmp' },
      { name: 'secrets', mount_path: '/run/secrets/wpcdk', read_only: true },
    ]);
  });

  it('is reachable as "mysql" through a headless Service selecting its pods', () => {
    expect(resourceNamed(json, ServiceV1, 'mysql')).toMatchObject({
      spec: { cluster_ip: 'None', publish_not_ready_addresses: true, selector: mysql.spec.selector.match_labels, port: [{ name: 'mysql', port: 3306, target_port: '3306' }] },
    });
  });

  it('has startup, readiness and liveness probes', () => {
    expect(container.startup_probe).toMatchObject({ tcp_socket: [{ port: '3306' }], failure_threshold: 150 });
    expect(container.readiness_probe).toMatchObject({ exec: { command: ['mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'] }, period_seconds: 2 });
    expect(container.liveness_probe).toMatchObject({ tcp_socket: [{ port: '3306' }] });
  });

  it('lets only the pods allowFrom names reach port 3306', () => {
    expect(resourceNamed(json, NetworkPolicyV1, 'mysql-from-wordpress')).toMatchObject({
      metadata: { namespace: 'blog' },
      spec: {
        pod_selector: { match_labels: mysql.spec.selector.match_labels },
        policy_types: ['Ingress'],
        ingress: [{ from: [{ pod_selector: { match_labels: wordpress.spec.selector.match_labels } }], ports: [{ port: '3306', protocol: 'TCP' }] }],
      },
    });
    // The policy's client selector must select the WordPress pods' labels.
    expect(wordpress.spec.template.metadata.labels).toMatchObject(wordpress.spec.selector.match_labels);
  });

  it('offers its password as a reference to its own Secret', () => {
    let ref: unknown;
    Testing.synthScope((scope) => { ref = kubernetesApp(scope).mysql.password.kubernetesSecret; });
    expect(ref).toEqual({ name: expect.stringMatching(/^\$\{TfToken/), key: 'MYSQL_PASSWORD' });
  });
});
