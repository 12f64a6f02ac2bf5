import { App, Testing } from 'cdktf';
import { KUBERNETES_STACK, KubernetesStack } from '../../stacks/kubernetes-stack';
import { AppConfig } from '../../stacks/config';
import { Deployment, deploymentNamed, passwordValues, resources, secretFilesOf, synthStack, testConfig } from '../helpers';

const kubernetes = synthStack((app) => new KubernetesStack(app, KUBERNETES_STACK, testConfig()));
const synthWith = (overrides: Partial<AppConfig>) => synthStack((app) => new KubernetesStack(app, 'k', testConfig(overrides)));
const names = (config: typeof kubernetes.config, type: string) => resources(config, type).map((r) => (r.metadata as { name: string }).name);

describe('Kubernetes stack', () => {
  it('matches the snapshot', () => {
    expect(kubernetes.config).toMatchSnapshot();
  });

  it('has a namespace, Services, a Secret, PVCs, a workload per service and NetworkPolicies', () => {
    const { config } = kubernetes;
    expect(names(config, 'kubernetes_namespace_v1')).toEqual(['wordpress']);
    expect(names(config, 'kubernetes_service_v1')).toEqual(['mysql', 'wordpress']);
    expect(names(config, 'kubernetes_secret_v1')).toEqual(['mysql-credentials', 'wordpress-credentials']);
    expect(names(config, 'kubernetes_persistent_volume_claim_v1')).toEqual(['mysql-data', 'wordpress-content']);
    expect(names(config, 'kubernetes_deployment_v1')).toEqual(['mysql', 'wordpress']);
    expect(names(config, 'kubernetes_network_policy_v1').sort()).toEqual(['allow-dns', 'default-deny', 'mysql-from-wordpress', 'wordpress-from-anywhere', 'wordpress-to-mysql']);
  });

  it('denies all traffic in the namespace but DNS, then opens MySQL to WordPress and WordPress\'s HTTP port to anyone', () => {
    const policy = (name: string) => resources(kubernetes.config, 'kubernetes_network_policy_v1').find((p) => (p.metadata as { name: string }).name === name) as { spec: Record<string, unknown> };
    expect(policy('default-deny').spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
    expect(policy('allow-dns').spec).toMatchObject({ pod_selector: {}, policy_types: ['Egress'], egress: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }] });
    expect(policy('wordpress-to-mysql').spec).toMatchObject({
      policy_types: ['Egress'], egress: [{ to: [{ pod_selector: { match_labels: { 'app.kubernetes.io/name': 'mysql' } } }], ports: [{ port: '3306', protocol: 'TCP' }] }],
    });
    expect(policy('wordpress-from-anywhere').spec).toEqual({
      pod_selector: { match_labels: expect.objectContaining({ 'app.kubernetes.io/name': 'wordpress' }) }, policy_types: ['Ingress'], ingress: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
    });
  });

  it('keeps the Terraform addresses of the data: PVCs and generated passwords', () => {
    expect(Object.keys(kubernetes.config.resource.kubernetes_persistent_volume_claim_v1)).toEqual(['mysql_data_3421C678', 'wordpress_content_ED8D8C61']);
    expect(Object.keys(kubernetes.config.resource.random_password).filter((k) => k.startsWith('credentials')))
      .toEqual(['credentials_root-password_15F659D1', 'credentials_user-password_F781826A']);
  });

  it('labels the namespace for Pod Security restricted and takes the token from its default ServiceAccount', () => {
    const { config } = kubernetes;
    expect(resources(config, 'kubernetes_namespace_v1')[0]).toMatchObject({ metadata: { labels: {
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted',
    } } });
    expect(resources(config, 'kubernetes_default_service_account_v1')).toEqual([
      expect.objectContaining({ metadata: { namespace: '${kubernetes_namespace_v1.namespace.metadata[0].name}' }, automount_service_account_token: false }),
    ]);
  });

  it('protects the namespace with the PVCs in it, and lets go when protectData is false', () => {
    const prevented = (type: string) => Object.values(kubernetes.config.resource[type]).map((r) => (r as { lifecycle?: { prevent_destroy?: boolean } }).lifecycle?.prevent_destroy);
    expect(prevented('kubernetes_namespace_v1')).toEqual([true]);
    expect(prevented('kubernetes_persistent_volume_claim_v1')).toEqual([true, true]);
    const { config } = synthWith({ protectData: false });
    expect(JSON.stringify(config)).not.toMatch(/"prevent_destroy":true/);
  });

  it('pins hashicorp/kubernetes 2.38.0 and uses the configured kubeconfig and context', () => {
    const { config } = synthWith({ kubeContext: 'kind-kind' });
    // cdktf writes the short source; Terraform reads it as registry.terraform.io/hashicorp/kubernetes.
    expect(config.terraform.required_providers.kubernetes).toEqual({ source: 'kubernetes', version: '2.38.0' });
    expect(config.provider.kubernetes).toEqual([{ config_path: '/kube/config', config_context: 'kind-kind' }]);
  });

  it('passes a kubeconfig path and context to Terraform literally', () => {
    const { config } = synthWith({ kubeconfig: '/home/${USER}/kube', kubeContext: 'ctx-%{x}' });
    expect(config.provider.kubernetes).toEqual([{ config_path: '/home/$${USER}/kube', config_context: 'ctx-%%{x}' }]);
  });

  it('passes the config to both services: storage class, pull policy, images', () => {
    const { config } = synthWith({ storageClass: 'fast', imagePullPolicy: 'Never', mysqlImage: 'local/mysql:1', wordpressImage: 'local/wp:1', namespace: 'blog' });
    const claims = resources(config, 'kubernetes_persistent_volume_claim_v1') as { metadata: { namespace: string }; spec: { storage_class_name?: string } }[];
    expect(claims.map((c) => c.spec.storage_class_name)).toEqual(['fast', 'fast']);
    const deployments = resources(config, 'kubernetes_deployment_v1') as unknown as Deployment[];
    expect(deployments.map((d) => d.spec.template.spec.container[0].image)).toEqual(['local/mysql:1', 'local/wp:1']);
    expect(deployments.map((d) => d.spec.template.spec.container[0].image_pull_policy)).toEqual(['Never', 'Never']);
    expect([...claims, ...deployments].map((r) => r.metadata.namespace)).toEqual(Array(4).fill('${kubernetes_namespace_v1.namespace.metadata[0].name}'));
  });

  it('outputs the URL, service name and node port', () => {
    expect(Object.keys(kubernetes.config.output ?? {}).sort()).toEqual(['namespace_name', 'node_port', 'service_name', 'url']);
    expect(kubernetes.config.output?.url.value).toMatch(/^http:\/\/127\.0\.0\.1:\$\{kubernetes_service_v1\..+\.node_port\}$/);
  });

  it('holds no password literal, only references to generated passwords', () => {
    const values = passwordValues(kubernetes.config.resource);
    expect(values).toHaveLength(2);
    for (const value of values) expect(value).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
  });

  it('uses an existing database with its password in an existing Secret: no MySQL object, nothing generated', () => {
    const { config, json } = synthWith({ databaseHost: 'db.example.com', databasePasswordSecret: 'managed-db/password' });
    expect(names(config, 'kubernetes_deployment_v1')).toEqual(['wordpress']);
    expect(names(config, 'kubernetes_persistent_volume_claim_v1')).toEqual(['wordpress-content']);
    expect(names(config, 'kubernetes_service_v1')).toEqual(['wordpress']);
    // The only Secret and generated values: wp-config.php's keys.
    expect(Object.keys(Object.values(config.resource.kubernetes_secret_v1 as Record<string, { data: object }>)[0].data).every((k) => /^WORDPRESS_\w+_(KEY|SALT)$/.test(k))).toBe(true);
    expect(config.resource.random_password).toBeUndefined();
    expect(Object.keys(config.resource.random_bytes).every((k) => k.startsWith('wordpress-keys'))).toBe(true);
    expect(config.variable).toBeUndefined();
    const env = deploymentNamed(json, 'wordpress').spec.template.spec.container[0].env;
    expect(env).toContainEqual({ name: 'WORDPRESS_DB_HOST', value: 'db.example.com:3306' });
    expect(env).toContainEqual({ name: 'WORDPRESS_DB_PASSWORD_FILE', value: '/run/secrets/wpcdk/WORDPRESS_DB_PASSWORD' });
    expect(secretFilesOf(deploymentNamed(json, 'wordpress')).WORDPRESS_DB_PASSWORD).toEqual({ secret: 'managed-db', key: 'password' });
    // Its address is not known to the stack: WordPress may reach the database port anywhere.
    const egress = resources(config, 'kubernetes_network_policy_v1').find((p) => (p.metadata as { name: string }).name === 'wordpress-to-database') as { spec: unknown };
    expect(egress.spec).toMatchObject({ policy_types: ['Egress'], egress: [{ ports: [{ port: '3306', protocol: 'TCP' }] }] });
    expect(names(config, 'kubernetes_network_policy_v1')).not.toContain('wordpress-to-mysql');
  });

  it('uses an existing database with its password from a sensitive variable, kept in a Secret of its own', () => {
    const { config, json } = synthWith({ databaseHost: 'db.example.com' });
    expect(names(config, 'kubernetes_secret_v1')).toEqual(['wordpress-credentials']);
    expect(resources(config, 'kubernetes_secret_v1')[0]).toMatchObject({ data: { WORDPRESS_DB_PASSWORD: '${var.database_password}' } });
    expect(secretFilesOf(deploymentNamed(json, 'wordpress')).WORDPRESS_DB_PASSWORD)
      .toEqual({ secret: expect.stringContaining('kubernetes_secret_v1.wordpress_credentials'), key: 'WORDPRESS_DB_PASSWORD' });
  });

  it('scales WordPress with an HPA on a ReadWriteMany content volume', () => {
    const { config, json } = synthWith({ wordpressReplicas: 2, wordpressMaxReplicas: 4, hpaCpuTarget: 50, contentAccessMode: 'ReadWriteMany', storageClass: 'local-path-shared' });
    expect(deploymentNamed(json, 'wordpress').spec).toMatchObject({ replicas: '2', strategy: { type: 'RollingUpdate' } });
    expect(resources(config, 'kubernetes_horizontal_pod_autoscaler_v2')).toEqual([expect.objectContaining({
      spec: expect.objectContaining({ min_replicas: 2, max_replicas: 4, metric: [expect.objectContaining({ resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 50 } } })] }),
    })]);
    expect(names(config, 'kubernetes_pod_disruption_budget_v1')).toEqual(['wordpress']);
  });

  it.each([
    [{ wordpressMaxReplicas: 3, sources: { wordpressMaxReplicas: 'WPCDK_WORDPRESS_MAX_REPLICAS' } }, /^WPCDK_WORDPRESS_MAX_REPLICAS=3 is invalid: more than one wordpress pod needs shared volumes/],
    [{ appName: 'my_blog' }, /invalid appName "my_blog"/],
    [{ namespace: 'Blog.Prod' }, /invalid namespace "Blog.Prod": must be a DNS-1123 label/],
    [{ namespace: 'n'.repeat(64) }, /invalid namespace "n{64}"/],
    [{ mysqlImage: 'my sql:8' }, /invalid image "my sql:8"/],
    [{ wordpressReplicas: 0 }, /invalid replicas 0: must be an integer from 1 to 100/],
    [{ wordpressReplicas: 2 }, /invalid replicas 2: more than one wordpress pod needs shared volumes/],
    [{ nodePort: 8080 }, /invalid nodePort 8080: must be an integer from 30000 to 32767/],
    [{ serviceType: 'ClusterIP', nodePort: 30080 }, /invalid nodePort 30080: a ClusterIP service has no node port/],
    [{ storageClass: 'Fast_SSD' }, /invalid storageClass "Fast_SSD": must be a DNS-1123 subdomain/],
    [{ serviceType: 'Ingress' as never }, /invalid serviceType "Ingress"/],
    [{ imagePullPolicy: 'Sometimes' as never }, /invalid imagePullPolicy "Sometimes"/],
    [{ databaseHost: 'db', databasePasswordSecret: 'no-key', sources: { databasePasswordSecret: 'WPCDK_DATABASE_PASSWORD_SECRET' } }, /^WPCDK_DATABASE_PASSWORD_SECRET="no-key" is invalid: must be '<secret name>\/<key>'/],
    [{ databaseHost: 'db', databasePasswordSecret: 'Blog_DB/password' }, /invalid secret "Blog_DB": must be a DNS-1123 subdomain/],
  ] as [Partial<AppConfig>, RegExp][])('rejects %j at synth time', (overrides, message) => {
    expect(() => synthWith(overrides)).toThrow(message);
  });

  it('accepts the largest valid values', () => {
    expect(() => synthWith({ nodePort: 32767, namespace: 'n'.repeat(63), storageClass: 'fast.ssd-1' })).not.toThrow();
  });

  it('names the setting the user wrote when a value is bad', () => {
    expect(() => synthWith({ wordpressReplicas: 0, sources: { wordpressReplicas: 'cdktf.json context "wordpressReplicas"' } }))
      .toThrow(/^cdktf.json context "wordpressReplicas"=0 is invalid: must be an integer from 1 to 100/);
  });

  it('refuses two Kubernetes stacks with the same namespace on the same cluster, naming both', () => {
    const app: App = Testing.app();
    new KubernetesStack(app, 'blue', testConfig());
    expect(() => new KubernetesStack(app, 'green', testConfig())).toThrow(/namespace.*"wordpress" would be created by both stack "blue" and stack "green"/);
    expect(() => new KubernetesStack(app, 'other', testConfig({ kubeContext: 'prod' }))).not.toThrow();
  });
});

describe('Kubernetes stack with metrics', () => {
  it('is exactly the stack without them when the setting is off', () => {
    expect(synthWith({ metrics: false }).json).toBe(synthStack((app) => new KubernetesStack(app, 'k', testConfig())).json);
  });

  const { json, config } = synthWith({ metrics: true, prometheusNodePort: 30290 });

  it('adds the exporters to the MySQL and WordPress pods, and Prometheus', () => {
    const containers = (name: string) => deploymentNamed(json, name).spec.template.spec.container.map((c) => c.name);
    expect(containers('mysql')).toEqual(['mysql', 'mysqld-exporter']);
    expect(containers('wordpress')).toEqual(['wordpress', 'apache-exporter']);
    expect(containers('prometheus')).toEqual(['prometheus']);
    expect(config.output?.prometheus_url.value).toMatch(/^http:\/\/127\.0\.0\.1:\$\{kubernetes_service_v1\.prometheus_service_\w+\.spec\[0\]\.port\[0\]\.node_port\}$/);
  });

  it('lets Prometheus reach the exporter port of the MySQL pods, not the database', () => {
    expect(names(config, 'kubernetes_network_policy_v1').sort()).toEqual([
      'allow-dns', 'default-deny', 'mysql-from-prometheus', 'mysql-from-wordpress', 'prometheus-from-anywhere', 'prometheus-to-api-server',
      'prometheus-to-mysql', 'prometheus-to-wordpress', 'wordpress-from-anywhere', 'wordpress-from-prometheus', 'wordpress-to-mysql',
    ]);
    const policy = resources(config, 'kubernetes_network_policy_v1').find((p) => (p.metadata as { name: string }).name === 'mysql-from-prometheus') as { spec: { ingress: { ports: unknown[] }[] } };
    expect(policy.spec.ingress[0].ports).toEqual([{ port: '9104', protocol: 'TCP' }]);
  });

  it('lets Prometheus scrape the WordPress exporter port and reach the API server, nothing more', () => {
    const policy = (name: string) => resources(config, 'kubernetes_network_policy_v1').find((p) => (p.metadata as { name: string }).name === name) as { spec: Record<string, unknown> };
    expect(policy('wordpress-from-prometheus').spec).toMatchObject({ ingress: [{ ports: [{ port: '9117', protocol: 'TCP' }] }] });
    expect(policy('prometheus-to-wordpress').spec).toMatchObject({ egress: [{ ports: [{ port: '9117', protocol: 'TCP' }] }] });
    expect(policy('prometheus-to-api-server').spec).toMatchObject({ policy_types: ['Egress'], egress: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '6443', protocol: 'TCP' }] }] });
  });

  it('keeps the exporter password and the SQL holding it in the MySQL Secret, never in a ConfigMap', () => {
    const secret = resources(config, 'kubernetes_secret_v1').find((s) => (s.metadata as { name: string }).name === 'mysql-credentials') as { data: Record<string, string> };
    expect(secret.data.MYSQLD_EXPORTER_PASSWORD).toMatch(/^\$\{random_password\.exporter-credentials_password_\w+\.result\}$/);
    expect(secret.data['file-0']).toContain(`IDENTIFIED BY '${secret.data.MYSQLD_EXPORTER_PASSWORD}'`);
    expect(names(config, 'kubernetes_config_map_v1')).not.toContain('mysql-files');
  });
});
