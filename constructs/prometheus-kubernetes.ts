import { Construct } from 'constructs';
import { dependable } from 'cdktf';
import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { METRICS } from './app-model';
import { ExposeOptions, KubernetesWorkload, KubernetesWorkloadOptions } from './kubernetes-workload';
import { PrometheusOptions, ScrapeJob, prometheusConfig, prometheusService } from './metrics';
import { labelsOf } from './service';

/** Props for {@link PrometheusKubernetes}. */
export interface PrometheusKubernetesProps extends Omit<PrometheusOptions, 'config'>, Omit<KubernetesWorkloadOptions, 'replicas' | 'autoscaling' | 'serviceAccountToken'> {
  /** How its UI and HTTP API are exposed. @default a NodePort Service, port allocated */
  readonly expose?: ExposeOptions;
  /** @default 5 */
  readonly scrapeIntervalSeconds?: number;
  /** `prevent_destroy` on its samples' volume. @default false: they are a record of the app, not its data */
  readonly protectData?: boolean;
  /**
   * TCP ports of the API server it may connect to, on any address (the kubernetes Service's
   * port, and the port of the API server's endpoint it is translated to before policies apply).
   * @default [443, 6443]
   */
  readonly apiServerPorts?: readonly number[];
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Scrape jobs: every pod container port named `metrics` in the namespace; each kubelet's cAdvisor and resource metrics through the API server. */
export function kubernetesScrapeJobs(namespace: string): ScrapeJob[] {
  return [{
    job_name: 'pods',
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [namespace] } }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'metrics', action: 'keep' },
      // The job is the container: mysqld-exporter, apache-exporter.
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'job' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
    ],
  }, kubeletJob('cadvisor', namespace), kubeletJob('resource', namespace)];
}

/**
 * Each node's kubelet endpoint `/metrics/<path>` through the API server proxy (`nodes/proxy`):
 * `cadvisor` (every cgroup: pods, and containers where the runtime is one cAdvisor knows) and
 * `resource` (CPU and memory per container, named through the CRI whatever the runtime).
 */
function kubeletJob(path: 'cadvisor' | 'resource', namespace: string): ScrapeJob {
  return {
    job_name: path === 'cadvisor' ? 'cadvisor' : 'kubelet-resource',
    scheme: 'https',
    tls_config: { ca_file: `${SERVICE_ACCOUNT}/ca.crt` },
    authorization: { credentials_file: `${SERVICE_ACCOUNT}/token` },
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [
      { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
      { source_labels: ['__meta_kubernetes_node_name'], regex: '(.+)', target_label: '__metrics_path__', replacement: `/api/v1/nodes/$1/proxy/metrics/${path}` },
    ],
    // The kubelet reports every pod of the node: keep this namespace's.
    metric_relabel_configs: [{ source_labels: ['namespace'], regex: namespace, action: 'keep' }],
  };
}

/**
 * Prometheus on Kubernetes: finds the exporters by pod service discovery in its namespace
 * (any container port named `metrics`) and reads container CPU and memory from each
 * kubelet's cAdvisor endpoint through the API server proxy. Its ServiceAccount may list
 * and watch pods in the namespace (a Role) and read nodes, `nodes/proxy` and `nodes/metrics`
 * (a ClusterRole, the least node discovery and the proxy need); nothing else.
 */
export class PrometheusKubernetes extends KubernetesWorkload {
  public readonly clusterRole: ClusterRoleV1;
  /** The NetworkPolicy letting it reach the API server. */
  public readonly apiServerEgress: NetworkPolicyV1;
  public readonly url: string;
  /** Node port of its Service (a token); undefined for ClusterIP. */
  public readonly nodePort?: number;

  constructor(scope: Construct, id: string, props: PrometheusKubernetesProps) {
    const config = prometheusConfig(kubernetesScrapeJobs(props.namespace), props.scrapeIntervalSeconds ?? METRICS.scrapeIntervalSeconds);
    const description = prometheusService({ ...props, config });
    // Its token is mounted: service discovery and the kubelet proxy go through the API server.
    super(scope, id, { ...props, protectData: props.protectData ?? false, description, serviceAccountToken: true });
    const { namespace } = this;
    const labels = labelsOf(description);
    const subject = [{ kind: 'ServiceAccount', name: this.serviceAccount.metadata.name, namespace }];
    // Cluster-scoped: named after the namespace, so two deployments never share it.
    const clusterName = `${namespace}-${description.name}`;
    this.clusterRole = new ClusterRoleV1(this, 'cluster-role', {
      metadata: { name: clusterName, labels },
      rule: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/proxy', 'nodes/metrics'], verbs: ['get'] },
      ],
    });
    const clusterBinding = new ClusterRoleBindingV1(this, 'cluster-role-binding', {
      metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.metadata.name },
      subject,
    });
    const role = new RoleV1(this, 'role', {
      metadata: { name: description.name, namespace, labels },
      rule: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    const binding = new RoleBindingV1(this, 'role-binding', {
      metadata: { name: description.name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
      subject,
    });
    // The pods start with their permissions in place.
    this.deployment.dependsOn = [this.serviceAccount, clusterBinding, binding].map((d) => dependable(d));
    // Its egress (the namespace denies all but DNS): the API server, for discovery and the kubelet
    // proxy; the exporters' ports are opened by `allowFrom` on the workloads it scrapes.
    this.apiServerEgress = this.allowToAnyAddress('api-server', props.apiServerPorts ?? [443, 6443]);
    const exposed = this.exposeViaService(props.expose);
    this.url = exposed.url;
    this.nodePort = exposed.nodePort;
  }
}
