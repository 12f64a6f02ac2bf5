import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { DefaultServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/default-service-account-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { IDatabase } from '../constructs/database';
import { ExporterCredentials } from '../constructs/exporter-credentials';
import { MysqlKubernetes } from '../constructs/mysql-kubernetes';
import { NamespaceNetworkPolicies } from '../constructs/network-policy-kubernetes';
import { PrometheusKubernetes } from '../constructs/prometheus-kubernetes';
import { claimName } from '../constructs/names';
import { dataLifecycle, terraformLiteral } from '../constructs/service';
import { WordpressKubernetes } from '../constructs/wordpress-kubernetes';
import { checkDnsLabel } from '../constructs/validation';
import { AppConfig, ConfigError, fromSettings } from './config';
import { stackDatabase } from './database';
import { wordpressKeys } from './secrets';
import { DEFAULT_INGRESS_TRUSTED_PROXIES, stackTls } from './tls';

export { KUBERNETES_STACK } from './ids';

/** The Pod Security Standard every pod of the stack passes, enforced on its namespace. */
export const POD_SECURITY_LEVEL = 'restricted';

/** The namespace labels of Pod Security Admission: enforce `level`, warn and audit `restricted`. */
export function podSecurityLabels(level: 'privileged' | 'baseline' | 'restricted'): Record<string, string> {
  const prefix = 'pod-security.kubernetes.io';
  return {
    [`${prefix}/enforce`]: level,
    [`${prefix}/enforce-version`]: 'latest',
    [`${prefix}/warn`]: 'restricted',
    [`${prefix}/warn-version`]: 'latest',
    [`${prefix}/audit`]: 'restricted',
    [`${prefix}/audit-version`]: 'latest',
  };
}

/**
 * The same app on a Kubernetes cluster, in its own namespace. Only WordPress
 * pods may reach MySQL (a NetworkPolicy); with `databaseHost` set, WordPress
 * uses that database and no MySQL is created. With HTTPS settings (`tlsHost`
 * and a certificate or an existing TLS Secret) WordPress gets a ClusterIP
 * Service and an Ingress with TLS, and believes `X-Forwarded-Proto` only from
 * the controller's addresses (`ingressTrustedProxies`).
 */
export class KubernetesStack extends TerraformStack {
  public readonly namespace: NamespaceV1;
  /** Default deny (ingress and egress) and DNS egress for every pod of the namespace. */
  public readonly networkPolicies: NamespaceNetworkPolicies;
  /** The namespace's `default` ServiceAccount, without a token. */
  public readonly defaultServiceAccount: DefaultServiceAccountV1;
  public readonly database: IDatabase;
  /** The in-stack MySQL, unless an existing database is used. */
  public readonly mysql?: MysqlKubernetes;
  public readonly wordpress: WordpressKubernetes;
  /** With `metrics`: Prometheus, on a node port. */
  public readonly prometheus?: PrometheusKubernetes;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    fromSettings(config, { namespace: 'namespace' }, () => checkDnsLabel(`KubernetesStack ${id}`, 'namespace', config.namespace));
    claimName(this, `Kubernetes namespace (context ${config.kubeContext ?? 'current'} of ${config.kubeconfig})`, config.namespace);
    // Free text: a path or context name reaches Terraform literally.
    const literal = (value?: string) => (value === undefined ? undefined : terraformLiteral(value));
    new KubernetesProvider(this, 'kubernetes', { configPath: literal(config.kubeconfig), configContext: literal(config.kubeContext) });

    // Deleting the namespace deletes the PVCs in it: it is protected with them.
    // Pod Security Admission: the API server rejects any pod of the namespace that is not
    // `restricted` (non-root, no capabilities, no privilege escalation, seccomp), and warns and
    // audits at the same level.
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: config.namespace, labels: podSecurityLabels(POD_SECURITY_LEVEL) },
      lifecycle: dataLifecycle(config),
    });
    // The namespace's `default` ServiceAccount (every workload has its own): no token for a pod
    // that would fall back to it. The provider adopts the one the cluster creates.
    this.defaultServiceAccount = new DefaultServiceAccountV1(this, 'default-service-account', {
      metadata: { namespace: this.namespace.metadata.name },
      automountServiceAccountToken: false,
    });
    // Nothing in or out of any pod but DNS; each workload below opens what it needs.
    this.networkPolicies = new NamespaceNetworkPolicies(this, 'network-policies', { namespace: this.namespace.metadata.name });
    const common = {
      namespace: this.namespace.metadata.name,
      appName: config.appName,
      storageClass: config.storageClass,
      imagePullPolicy: config.imagePullPolicy,
      protectData: config.protectData,
    };
    const settings = { appName: 'appName', storageClass: 'storageClass', imagePullPolicy: 'imagePullPolicy' } as const;
    // Metrics off: nothing below differs from a stack without them (the snapshot pins it).
    const exporter = config.metrics ? { password: new ExporterCredentials(this, 'exporter-credentials', { protectData: config.protectData }).password, image: config.mysqldExporterImage } : undefined;
    ({ database: this.database, inStack: this.mysql } = stackDatabase(this, config, (credentials) =>
      fromSettings(config, { ...settings, image: 'mysqlImage', 'sidecars[0].image': 'mysqldExporterImage' }, () =>
        new MysqlKubernetes(this, 'mysql', { ...common, credentials, image: config.mysqlImage, metrics: exporter }))));
    const wordpressSettings = {
      ...settings, image: 'wordpressImage', replicas: 'wordpressReplicas', serviceType: 'serviceType', nodePort: 'nodePort',
      contentAccessMode: 'contentAccessMode', volumeAccessMode: 'contentAccessMode',
      'autoscaling.maxReplicas': 'wordpressMaxReplicas', 'autoscaling.targetCpuUtilization': 'hpaCpuTarget',
      trustForwardedProtoFrom: 'ingressTrustedProxies', httpsPort: 'ingressHttpsPort', ingressClassName: 'ingressClass', host: 'tlsHost', 'tls.secretName': 'tlsSecret',
    } as const;
    const tls = stackTls(config, 'kubernetes');
    if (tls && config.serviceType !== undefined && config.serviceType !== 'ClusterIP') {
      throw new ConfigError(`${config.sources.serviceType}=${JSON.stringify(config.serviceType)} is invalid with HTTPS (WPCDK_TLS_HOST): the Ingress is the way in, and a ${config.serviceType} port would reach WordPress around it; use ClusterIP or leave it unset`);
    }
    const trustedProxies = tls ? (config.ingressTrustedProxies ?? DEFAULT_INGRESS_TRUSTED_PROXIES).split(',').map((p) => p.trim()).filter(Boolean) : undefined;
    const autoscaling = config.wordpressMaxReplicas === undefined ? undefined
      : { maxReplicas: config.wordpressMaxReplicas, targetCpuUtilization: config.hpaCpuTarget };
    this.wordpress = fromSettings(config, wordpressSettings, () => {
      const wordpress = new WordpressKubernetes(this, 'wordpress', {
        ...common, database: this.database, image: config.wordpressImage, replicas: config.wordpressReplicas, configExtra: config.wordpressConfigExtra,
        contentAccessMode: config.contentAccessMode, autoscaling, keys: wordpressKeys(this),
        metrics: config.metrics ? { image: config.apacheExporterImage } : undefined, trustForwardedProtoFrom: trustedProxies,
      });
      if (!tls) {
        wordpress.exposeViaService({ serviceType: config.serviceType, nodePort: config.nodePort });
        return wordpress;
      }
      wordpress.exposeViaService({ serviceType: 'ClusterIP' });
      wordpress.exposeViaIngress({
        host: tls.host, tls: tls.certificate ? { certificate: tls.certificate } : { secretName: tls.secretName as string },
        ingressClassName: config.ingressClass, httpsPort: config.ingressHttpsPort,
      });
      return wordpress;
    });
    if (this.mysql) this.mysql.allowFrom(this.wordpress);
    // An existing database: its address is not known here, its port is.
    else this.wordpress.allowToAnyAddress('database', [this.database.port]);

    new TerraformOutput(this, 'url', { value: this.wordpress.url, description: 'Open WordPress here' });
    new TerraformOutput(this, 'service_name', { value: this.wordpress.exposedService.metadata.name });
    new TerraformOutput(this, 'namespace_name', { value: this.namespace.metadata.name });
    if (this.wordpress.nodePort !== undefined) {
      new TerraformOutput(this, 'node_port', { value: this.wordpress.nodePort });
    }
    if (config.metrics) {
      const prometheus = this.prometheus = fromSettings(config, { ...settings, image: 'prometheusImage', nodePort: 'prometheusNodePort' }, () =>
        new PrometheusKubernetes(this, 'prometheus', { ...common, image: config.prometheusImage, expose: { nodePort: config.prometheusNodePort } }));
      // Prometheus reaches the exporter's port of the MySQL pods, not the database's.
      this.mysql?.allowFrom(prometheus, this.mysql.description.sidecars?.flatMap((s) => s.ports));
      this.wordpress.allowFrom(prometheus, this.wordpress.description.sidecars?.flatMap((s) => s.ports));
      new TerraformOutput(this, 'prometheus_url', { value: prometheus.url, description: 'Prometheus: its UI and HTTP API' });
    }
  }
}
