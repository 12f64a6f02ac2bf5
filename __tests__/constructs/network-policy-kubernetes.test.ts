import { Testing } from 'cdktf';
import { NamespaceNetworkPolicies } from '../../constructs/network-policy-kubernetes';
import { resourceNamed } from '../helpers';

describe('NamespaceNetworkPolicies', () => {
  const json = Testing.synthScope((scope) => { new NamespaceNetworkPolicies(scope, 'policies', { namespace: 'blog' }); });

  it('denies every pod of the namespace all ingress and egress', () => {
    expect(resourceNamed(json, 'kubernetes_network_policy_v1', 'default-deny')).toEqual({
      metadata: { name: 'default-deny', namespace: 'blog' },
      spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] },
    });
  });

  it('lets every pod ask the cluster DNS on UDP and TCP 53, and nothing else', () => {
    expect(resourceNamed(json, 'kubernetes_network_policy_v1', 'allow-dns')).toEqual({
      metadata: { name: 'allow-dns', namespace: 'blog' },
      spec: {
        pod_selector: {}, policy_types: ['Egress'],
        egress: [{
          to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } }, pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }],
        }],
      },
    });
  });

  it('finds the DNS where it is told, and refuses an empty DNS selector or a bad namespace', () => {
    const custom = Testing.synthScope((scope) => { new NamespaceNetworkPolicies(scope, 'p', { namespace: 'blog', dns: { namespace: 'dns', podLabels: { app: 'resolver' } } }); });
    expect(resourceNamed(custom, 'kubernetes_network_policy_v1', 'allow-dns')).toMatchObject({
      spec: { egress: [{ to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'dns' } }, pod_selector: { match_labels: { app: 'resolver' } } }] }] },
    });
    expect(() => Testing.synthScope((scope) => { new NamespaceNetworkPolicies(scope, 'p', { namespace: 'blog', dns: { podLabels: {} } }); }))
      .toThrow(/invalid dns.podLabels \{\}: must name at least one label/);
    expect(() => Testing.synthScope((scope) => { new NamespaceNetworkPolicies(scope, 'p', { namespace: 'Blog' }); }))
      .toThrow(/invalid namespace "Blog": must be a DNS-1123 label/);
  });
});
