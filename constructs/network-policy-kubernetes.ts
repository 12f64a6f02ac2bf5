import { Construct } from 'constructs';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { checkDnsLabel, fail } from './validation';

/** Where the cluster's DNS runs, for the DNS egress every pod keeps. */
export interface ClusterDnsSelector {
  /** Namespace of the DNS pods. @default 'kube-system' */
  readonly namespace?: string;
  /** Labels of the DNS pods. @default { 'k8s-app': 'kube-dns' } (CoreDNS as kubeadm and most clusters label it) */
  readonly podLabels?: Record<string, string>;
}

/** Props for {@link NamespaceNetworkPolicies}. */
export interface NamespaceNetworkPoliciesProps {
  readonly namespace: string;
  /** @default - kube-dns in kube-system */
  readonly dns?: ClusterDnsSelector;
  /** Labels of the two policies. @default - none */
  readonly labels?: Record<string, string>;
}

/** Port 53 over UDP and TCP: what a resolver needs. */
export const DNS_PORTS = [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] as const;

/**
 * The namespace's baseline: a `default-deny` NetworkPolicy selecting every pod with no
 * ingress and no egress rule (nothing in, nothing out), and `allow-dns` letting every pod
 * ask the cluster DNS (UDP and TCP 53 to the DNS pods, nothing else). Each workload then
 * opens exactly what it needs: `allowFrom` (ingress on the server, egress on the client),
 * `exposeViaService` (its main port from anywhere), `allowToAnyAddress`.
 */
export class NamespaceNetworkPolicies extends Construct {
  public readonly defaultDeny: NetworkPolicyV1;
  public readonly allowDns: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: NamespaceNetworkPoliciesProps) {
    super(scope, id);
    const owner = `${new.target.name} ${this.node.path}`;
    checkDnsLabel(owner, 'namespace', props.namespace);
    const dnsNamespace = props.dns?.namespace ?? 'kube-system';
    checkDnsLabel(owner, 'dns.namespace', dnsNamespace);
    const dnsLabels = props.dns?.podLabels ?? { 'k8s-app': 'kube-dns' };
    if (Object.keys(dnsLabels).length === 0) fail(owner, 'dns.podLabels', dnsLabels, 'must name at least one label of the DNS pods (an empty selector would open port 53 of every pod)');
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: props.labels });
    this.defaultDeny = new NetworkPolicyV1(this, 'default-deny', {
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.allowDns = new NetworkPolicyV1(this, 'allow-dns', {
      metadata: metadata('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          // kubernetes.io/metadata.name is set by the API server on every namespace.
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dnsNamespace } }, podSelector: { matchLabels: dnsLabels } }],
          ports: DNS_PORTS.map((p) => ({ ...p })),
        }],
      },
    });
  }
}
