import { Testing } from 'cdktf';
import { PrometheusKubernetes, kubernetesScrapeJobs } from '../../constructs/prometheus-kubernetes';
import { deploymentNamed, resourceNamed } from '../helpers';

describe('PrometheusKubernetes', () => {
  const json = Testing.synthScope((scope) => { new PrometheusKubernetes(scope, 'prometheus', { namespace: 'blog', expose: { nodePort: 30290 } }); });

  it('runs as its own ServiceAccount, which may read nodes, nodes/proxy and nodes/metrics, and pods of its namespace', () => {
    const spec = deploymentNamed(json, 'prometheus').spec.template.spec as unknown as { service_account_name: string; automount_service_account_token: boolean };
    expect(spec.service_account_name).toContain('kubernetes_service_account_v1.prometheus_service-account');
    // Its token is mounted: service discovery and the kubelet proxy go through the API server.
    expect(spec.automount_service_account_token).toBe(true);
    expect(resourceNamed(json, 'kubernetes_service_account_v1', 'prometheus')).toMatchObject({ automount_service_account_token: true });
    expect(resourceNamed(json, 'kubernetes_cluster_role_v1', 'blog-prometheus')).toMatchObject({
      rule: [
        { api_groups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { api_groups: [''], resources: ['nodes/proxy', 'nodes/metrics'], verbs: ['get'] },
      ],
    });
    expect(resourceNamed(json, 'kubernetes_role_v1', 'prometheus')).toMatchObject({ metadata: { namespace: 'blog' }, rule: [{ resources: ['pods'], verbs: ['get', 'list', 'watch'] }] });
    expect(resourceNamed(json, 'kubernetes_cluster_role_binding_v1', 'blog-prometheus')).toMatchObject({
      subject: [{ kind: 'ServiceAccount', name: expect.stringContaining('kubernetes_service_account_v1'), namespace: 'blog' }],
    });
  });

  it('may reach the API server (its service port and its endpoint\'s), its UI port open to anyone', () => {
    expect(resourceNamed(json, 'kubernetes_network_policy_v1', 'prometheus-to-api-server')).toMatchObject({
      spec: { policy_types: ['Egress'], egress: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '6443', protocol: 'TCP' }] }] },
    });
    expect(resourceNamed(json, 'kubernetes_network_policy_v1', 'prometheus-from-anywhere')).toMatchObject({ spec: { ingress: [{ ports: [{ port: '9090', protocol: 'TCP' }] }] } });
    const custom = Testing.synthScope((scope) => { new PrometheusKubernetes(scope, 'prometheus', { namespace: 'blog', apiServerPorts: [8443] }); });
    expect(resourceNamed(custom, 'kubernetes_network_policy_v1', 'prometheus-to-api-server')).toMatchObject({ spec: { egress: [{ ports: [{ port: '8443', protocol: 'TCP' }] }] } });
  });

  it('scrapes the namespace\'s metrics ports and the kubelet\'s cAdvisor through the API server', () => {
    const [pods, cadvisor, resource] = kubernetesScrapeJobs('blog') as Record<string, unknown>[];
    expect(JSON.stringify(resource)).toContain('/api/v1/nodes/$1/proxy/metrics/resource');
    expect(pods).toMatchObject({ kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: ['blog'] } }] });
    expect(JSON.stringify(cadvisor)).toContain('/api/v1/nodes/$1/proxy/metrics/cadvisor');
    expect(cadvisor.metric_relabel_configs).toEqual([{ source_labels: ['namespace'], regex: 'blog', action: 'keep' }]);
  });

  it('is exposed on the node port and starts after its permissions', () => {
    expect(resourceNamed(json, 'kubernetes_service_v1', 'prometheus')).toMatchObject({ spec: { type: 'NodePort', port: [{ port: 9090, node_port: 30290 }] } });
    expect((deploymentNamed(json, 'prometheus') as unknown as { depends_on: string[] }).depends_on).toHaveLength(3);
  });
});
