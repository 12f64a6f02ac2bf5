import { App, Testing } from 'cdktf';
import { addStacks } from '../../stacks/app';
import { ConfigError, loadConfig } from '../../stacks/config';
import { DockerStack } from '../../stacks/docker-stack';
import { KubernetesStack } from '../../stacks/kubernetes-stack';
import { SwarmStack } from '../../stacks/swarm-stack';
import { stackTls } from '../../stacks/tls';
import { HAPROXY_CONFIG_PATH, HAPROXY_TLS_PATH } from '../../constructs/load-balancer';
import { containerNamed, envValue, resourceNamed, resources, swarmServiceNamed, synthStack } from '../helpers';
import { makeTlsFixtures } from '../tls-fixtures';

const files = makeTlsFixtures();
const tlsEnv = { WPCDK_KUBECONFIG: '/kube/config', WPCDK_TLS_HOST: 'wordpress.localhost', WPCDK_TLS_CERT_FILE: files.cert, WPCDK_TLS_KEY_FILE: files.key };
const config = (env: Record<string, string> = {}) => loadConfig({ ...tlsEnv, ...env });

describe('stackTls: bad TLS input is a clear synth-time error naming the setting', () => {
  it('is off without any TLS setting', () => {
    expect(stackTls(loadConfig({ WPCDK_KUBECONFIG: '/k' }), 'docker')).toBeUndefined();
  });
  it('refuses a host name that is not a DNS name', () => {
    expect(() => stackTls(config({ WPCDK_TLS_HOST: 'https://wordpress.localhost' }), 'docker'))
      .toThrow(new ConfigError('WPCDK_TLS_HOST="https://wordpress.localhost" is invalid: must be a DNS host name such as \'wordpress.localhost\' or \'blog.example.com\' (lowercase labels of letters, digits and \'-\', joined by dots; no scheme, port or path) (TLS, prop host)'));
  });
  it('refuses a certificate without its key', () => {
    expect(() => stackTls(loadConfig({ ...tlsEnv, WPCDK_TLS_KEY_FILE: '' }), 'docker'))
      .toThrow(`WPCDK_TLS_CERT_FILE=${JSON.stringify(files.cert)} is given without its key: set WPCDK_TLS_KEY_FILE to the PEM private key of that certificate`);
  });
  it('refuses an expired certificate', () => {
    expect(() => stackTls(config(), 'kubernetes', files.afterExpiry)).toThrow(/^WPCDK_TLS_CERT_FILE=".*server\.crt" is invalid: must be a certificate valid now: it expired on /);
  });
  it('refuses a key that is not the certificate\'s, and a host the certificate does not name', () => {
    expect(() => stackTls(config({ WPCDK_TLS_KEY_FILE: files.otherKey }), 'docker')).toThrow(/^WPCDK_TLS_KEY_FILE=".*other\.key" is invalid: must be the private key of/);
    expect(() => stackTls(config({ WPCDK_TLS_HOST: 'blog.example.com' }), 'docker')).toThrow(/^WPCDK_TLS_CERT_FILE=.* is invalid: must be a certificate for blog\.example\.com/);
  });
  it('wants a host with the certificate, and a certificate with the host', () => {
    expect(() => stackTls(loadConfig({ ...tlsEnv, WPCDK_TLS_HOST: '' }), 'docker')).toThrow(/^WPCDK_TLS_HOST is not set: HTTPS needs the site's host name/);
    expect(() => stackTls(loadConfig({ WPCDK_TLS_HOST: 'wordpress.localhost' }), 'docker')).toThrow(/needs a certificate: set WPCDK_TLS_CERT_FILE and WPCDK_TLS_KEY_FILE$/);
    expect(() => stackTls(loadConfig({ WPCDK_TLS_HOST: 'wordpress.localhost' }), 'kubernetes')).toThrow(/\(or WPCDK_TLS_SECRET, an existing kubernetes.io\/tls Secret\)$/);
  });
  it('stops only the stacks reading the bad setting, before anything deploys', () => {
    const app = Testing.app();
    const errors = addStacks(app, { ...tlsEnv, WPCDK_TLS_SECRET: 'site-tls' });
    expect(errors).toEqual([expect.stringMatching(/^error: wordpress-k8s: WPCDK_TLS_SECRET="site-tls" and WPCDK_TLS_CERT_FILE are both set/)]);
  });
});

describe('Docker stack with HTTPS', () => {
  const { json, config: synthesized } = synthStack((app: App) => new DockerStack(app, 'd', config({ WPCDK_HTTPS_PORT: '18443' })));
  const lb = containerNamed(json, 'wordpress-lb');
  const wordpress = containerNamed(json, 'wordpress-wordpress');
  const upload = (path: string) => (resourceNamed(json, 'docker_container', 'wordpress-lb').upload as { file: string; content: string }[]).find((u) => u.file === path)?.content ?? '';

  it('puts HAProxy in front even of one replica: it alone is published, HTTP and HTTPS', () => {
    expect(resources(synthesized, 'docker_container').map((c) => c.name).sort()).toEqual(['wordpress-lb', 'wordpress-mysql', 'wordpress-wordpress']);
    expect(wordpress.ports ?? []).toEqual([]);
    expect(lb.ports).toEqual([
      expect.objectContaining({ internal: 8080, external: 8080, ip: '127.0.0.1' }),
      expect.objectContaining({ internal: 8443, external: 18443, ip: '127.0.0.1' }),
    ]);
    expect(synthesized.output?.url.value).toBe('https://wordpress.localhost:18443');
  });

  it('terminates TLS with the user\'s files, read by Terraform: no PEM in the configuration', () => {
    expect(upload(HAPROXY_TLS_PATH)).toBe(`\${join("\\n", [chomp(file("${files.cert}")), chomp(file("${files.key}")), ""])}`);
    expect(json).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY|EC PRIVATE KEY)/);
  });

  it('redirects HTTP to HTTPS and sets X-Forwarded-Proto itself, dropping the client\'s', () => {
    const cfg = upload(HAPROXY_CONFIG_PATH);
    expect(cfg).toMatch(/frontend http\n {2}bind :8080\n {2}monitor-uri \/lb-health\n {2}http-request redirect location https:\/\/wordpress\.localhost:18443%\[pathq\] code 301\n/);
    expect(cfg).toContain(`bind :8443 ssl crt ${HAPROXY_TLS_PATH}`);
    expect(cfg).toMatch(/http-request del-header X-Forwarded-Proto\n.*\n {2}http-request set-header X-Forwarded-Proto https/);
  });

  it('has WordPress believe X-Forwarded-Proto only from the balancer, after the user\'s PHP', () => {
    const extra = envValue(wordpress.env, 'WORDPRESS_CONFIG_EXTRA') ?? '';
    expect(extra).toContain("foreach (array('wordpress-lb') as $proxy)");
    const { json: withExtra } = synthStack((app: App) => new DockerStack(app, 'd', config({ WPCDK_WORDPRESS_CONFIG_EXTRA: "define('A', 1);" })));
    expect(envValue(containerNamed(withExtra, 'wordpress-wordpress').env, 'WORDPRESS_CONFIG_EXTRA')).toMatch(/^define\('A', 1\);\n\/\* wordpress-cdktf: X-Forwarded-Proto/);
  });

  it('leaves the stack as it was without TLS settings', () => {
    const { json: plain } = synthStack((app: App) => new DockerStack(app, 'd', loadConfig({ WPCDK_KUBECONFIG: '/kube/config' })));
    expect(plain).not.toContain('wordpress-lb');
    expect(plain).not.toContain('X-Forwarded-Proto');
  });
});

describe('Swarm stack with HTTPS', () => {
  const { json, config: synthesized } = synthStack((app: App) => new SwarmStack(app, 's', config()));
  const lb = swarmServiceNamed(json, 'wordpress-swarm-lb');

  it('publishes HTTP and HTTPS on the balancer, the certificate as a Swarm secret named by its content', () => {
    expect(lb.endpoint_spec.ports).toEqual([
      expect.objectContaining({ target_port: 8080, published_port: 8081, publish_mode: 'host' }),
      expect.objectContaining({ target_port: 8443, published_port: 8444, publish_mode: 'host' }),
    ]);
    const secret = resources(synthesized, 'docker_secret').find((s) => String(s.name).startsWith('wordpress-swarm-lb-file1-'));
    expect(secret).toMatchObject({ name: expect.stringMatching(/^wordpress-swarm-lb-file1-[0-9a-f]{16}$/), data: expect.stringContaining(`file("${files.cert}")`) });
    expect(lb.task_spec.container_spec.secrets).toEqual([expect.objectContaining({ file_name: HAPROXY_TLS_PATH })]);
    expect(synthesized.output?.url.value).toBe('https://wordpress.localhost:8444');
  });

  it('has WordPress believe X-Forwarded-Proto only from the balancer\'s tasks', () => {
    const wordpress = swarmServiceNamed(json, 'wordpress-swarm-wordpress');
    expect(wordpress.task_spec.container_spec.env?.WORDPRESS_CONFIG_EXTRA).toContain("array('tasks.wordpress-swarm-lb')");
  });
});

describe('Kubernetes stack with HTTPS', () => {
  const { json, config: synthesized } = synthStack((app: App) => new KubernetesStack(app, 'k', config({ WPCDK_INGRESS_HTTPS_PORT: '18681', WPCDK_INGRESS_CLASS: 'traefik' })));

  it('serves WordPress through an Ingress with TLS for the host, to a ClusterIP Service only', () => {
    const ingress = resourceNamed(json, 'kubernetes_ingress_v1', 'wordpress') as { spec: Record<string, unknown> };
    expect(ingress.spec).toEqual({
      ingress_class_name: 'traefik',
      tls: [{ hosts: ['wordpress.localhost'], secret_name: expect.stringMatching(/^\$\{kubernetes_secret_v1\.wordpress_tls-secret_/) }],
      rule: [{ host: 'wordpress.localhost', http: { path: [{ path: '/', path_type: 'Prefix', backend: { service: { name: expect.stringContaining('kubernetes_service_v1.wordpress_service'), port: { name: 'http' } } } }] } }],
    });
    expect((resourceNamed(json, 'kubernetes_service_v1', 'wordpress') as { spec: { type: string } }).spec.type).toBe('ClusterIP');
    expect(synthesized.output?.url.value).toBe('https://wordpress.localhost:18681');
    expect(synthesized.output?.node_port).toBeUndefined();
  });

  it('makes a kubernetes.io/tls Secret from the user\'s files, read by Terraform', () => {
    expect(resourceNamed(json, 'kubernetes_secret_v1', 'wordpress-tls')).toMatchObject({
      type: 'kubernetes.io/tls', data: { 'tls.crt': `\${file("${files.cert}")}`, 'tls.key': `\${file("${files.key}")}` },
    });
    expect(json).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY)/);
  });

  it('uses an existing TLS Secret instead, creating none', () => {
    const { json: withSecret } = synthStack((app: App) => new KubernetesStack(app, 'k', loadConfig({ WPCDK_KUBECONFIG: '/k', WPCDK_TLS_HOST: 'blog.example.com', WPCDK_TLS_SECRET: 'blog-tls' })));
    expect((resourceNamed(withSecret, 'kubernetes_ingress_v1', 'wordpress') as { spec: { tls: unknown } }).spec.tls).toEqual([{ hosts: ['blog.example.com'], secret_name: 'blog-tls' }]);
    expect(withSecret).not.toContain('kubernetes.io/tls');
  });

  it('has WordPress believe X-Forwarded-Proto only from the controller\'s addresses', () => {
    const env = (resourceNamed(json, 'kubernetes_deployment_v1', 'wordpress') as { spec: { template: { spec: { container: { env: { name: string; value?: string }[] }[] } } } })
      .spec.template.spec.container[0].env;
    expect(env.find((e) => e.name === 'WORDPRESS_CONFIG_EXTRA')?.value).toContain("array('10.244.0.1/32', '10.201.0.1/32')");
    const { json: custom } = synthStack((app: App) => new KubernetesStack(app, 'k', config({ WPCDK_INGRESS_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.5' })));
    expect(custom).toContain("array('10.0.0.0/8', '192.168.1.5')");
    expect(() => new KubernetesStack(Testing.app(), 'k', config({ WPCDK_INGRESS_TRUSTED_PROXIES: 'anyone!' })))
      .toThrow(/^WPCDK_INGRESS_TRUSTED_PROXIES="anyone!" is invalid: must be an IPv4 address/);
  });

  it('refuses a NodePort or LoadBalancer Service with HTTPS: it would reach WordPress around the Ingress', () => {
    expect(() => new KubernetesStack(Testing.app(), 'k', config({ WPCDK_SERVICE_TYPE: 'NodePort' })))
      .toThrow(/^WPCDK_SERVICE_TYPE="NodePort" is invalid with HTTPS \(WPCDK_TLS_HOST\): the Ingress is the way in/);
  });
});
