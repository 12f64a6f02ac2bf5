import { TerraformOutput, Testing } from 'cdktf';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { WordpressKubernetes } from '../../constructs/wordpress-kubernetes';
import { deploymentNamed, resourceNamed, secretFilesOf } from '../helpers';
import { kubernetesApp } from '../apps/kubernetes';
import { TlsCertificate } from '../../constructs/tls';
import { makeTlsFixtures } from '../tls-fixtures';

const json = Testing.synthScope((scope) => { kubernetesApp(scope).site.exposeViaService(); });
const wordpress = deploymentNamed(json, 'wordpress');
const [container] = wordpress.spec.template.spec.container;

describe('WordpressKubernetes', () => {
  it('reads the database password from the database Secret and finds MySQL by Service name', () => {
    const byName = Object.fromEntries(container.env.map((e) => [e.name, e]));
    expect(byName.WORDPRESS_DB_HOST.value).toBe('mysql:3306');
    expect(byName.WORDPRESS_DB_PASSWORD).toBeUndefined();
    expect(byName.WORDPRESS_DB_PASSWORD_FILE.value).toBe('/run/secrets/wpcdk/WORDPRESS_DB_PASSWORD');
    expect(secretFilesOf(wordpress).WORDPRESS_DB_PASSWORD).toEqual({ secret: expect.stringContaining('kubernetes_secret_v1.mysql_credentials'), key: 'MYSQL_PASSWORD' });
  });

  it('runs as www-data (33), binds port 80 through the safe sysctl, writes core, /tmp and Apache\'s run and lock dirs to emptyDirs', () => {
    expect(container.security_context).toMatchObject({ run_as_user: '33', run_as_group: '33', read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } });
    expect(wordpress.spec.template.spec.security_context).toMatchObject({ fs_group: '33', sysctl: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] });
    expect(container.volume_mount.map((m) => m.mount_path)).toEqual(['/var/www/html/wp-content', '/var/www/html', '/tmp', '/var/run/apache2', '/var/lock/apache2', '/run/secrets/wpcdk']);
  });

  it('is probed over HTTP for readiness and over TCP for liveness', () => {
    expect(container.readiness_probe).toMatchObject({ http_get: { path: '/wp-login.php', port: '80' } });
    expect(container.liveness_probe).toMatchObject({ tcp_socket: [{ port: '80' }] });
  });

  it('is a NodePort Service by default and outputs a URL through the node port', () => {
    const synth = Testing.synthScope((scope) => {
      new TerraformOutput(scope, 'url', { value: kubernetesApp(scope).site.exposeViaService().url });
    });
    expect(resourceNamed(synth, ServiceV1, 'wordpress')).toMatchObject({ spec: { type: 'NodePort' }, wait_for_load_balancer: false });
    expect(JSON.parse(synth).output.url.value).toMatch(/^http:\/\/127\.0\.0\.1:\$\{kubernetes_service_v1\.wordpress_service_.+\.spec\[0\]\.port\[0\]\.node_port\}$/);
  });

  it('can be a LoadBalancer that is not waited for, with a fixed node port', () => {
    const synth = Testing.synthScope((scope) => { kubernetesApp(scope).site.exposeViaService({ serviceType: 'LoadBalancer', nodePort: 30080 }); });
    expect(resourceNamed(synth, ServiceV1, 'wordpress')).toMatchObject({ spec: { type: 'LoadBalancer', port: [{ node_port: 30080 }] }, wait_for_load_balancer: false });
  });

  it('can be a ClusterIP Service with an in-cluster URL', () => {
    let site: WordpressKubernetes | undefined;
    Testing.synthScope((scope) => { site = kubernetesApp(scope).site; site.exposeViaService({ serviceType: 'ClusterIP' }); });
    expect(site?.nodePort).toBeUndefined();
    expect(site?.url).toBe('http://wordpress.blog.svc.cluster.local');
  });

  it('has no Service and no URL until exposeViaService() is called', () => {
    let site: WordpressKubernetes | undefined;
    const synth = Testing.synthScope((scope) => { site = kubernetesApp(scope).site; });
    expect(() => resourceNamed(synth, ServiceV1, 'wordpress')).toThrow(/found 0/);
    expect(() => site?.url).toThrow(/not exposed: call exposeViaService\(\) first/);
  });

  it('scales out on a ReadWriteMany content volume with rolling updates', () => {
    const synth = Testing.synthScope((scope) => { kubernetesApp(scope, { replicas: 3, contentAccessMode: 'ReadWriteMany', storageClass: 'nfs-client' }); });
    expect(deploymentNamed(synth, 'wordpress').spec).toMatchObject({ replicas: '3', strategy: { type: 'RollingUpdate' } });
    expect(resourceNamed(synth, PersistentVolumeClaimV1, 'wordpress-content')).toMatchObject({ spec: { access_modes: ['ReadWriteMany'], storage_class_name: 'nfs-client' } });
  });

  it('uses the Recreate strategy with one replica on a ReadWriteOnce volume', () => {
    expect(wordpress.spec).toMatchObject({ replicas: '1', strategy: { type: 'Recreate' } });
  });

  it('refuses more than one replica on a ReadWriteOnce content volume', () => {
    expect(() => Testing.synthScope((scope) => { kubernetesApp(scope, { replicas: 2 }); }))
      .toThrow(/invalid replicas 2: more than one wordpress pod needs shared volumes \(content\), but their access mode is "ReadWriteOnce"/);
  });

  it('rejects an unknown content access mode', () => {
    expect(() => Testing.synthScope((scope) => { kubernetesApp(scope, { contentAccessMode: 'ReadWriteSometimes' as never }); }))
      .toThrow(/invalid volumeAccessMode "ReadWriteSometimes": must be one of 'ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany'/);
  });

  describe('exposeViaIngress', () => {
    const files = makeTlsFixtures('blog.example.com');
    const certificate = TlsCertificate.fromFiles('T', 'blog.example.com', { certFile: files.cert, keyFile: files.key });

    it('returns an Ingress with TLS for the host, to the Service, and the URL becomes https', () => {
      let returned: unknown;
      const synth = Testing.synthScope((scope) => {
        const { site } = kubernetesApp(scope);
        site.exposeViaService({ serviceType: 'ClusterIP' });
        returned = site.exposeViaIngress({ host: 'blog.example.com', tls: { certificate } });
        expect(returned).toBe(site.ingress);
        new TerraformOutput(scope, 'url', { value: site.url });
      });
      expect(resourceNamed(synth, 'kubernetes_ingress_v1', 'wordpress')).toMatchObject({
        spec: { tls: [{ hosts: ['blog.example.com'] }], rule: [{ host: 'blog.example.com' }] }, wait_for_load_balancer: false,
      });
      expect(resourceNamed(synth, 'kubernetes_secret_v1', 'wordpress-tls')).toMatchObject({ type: 'kubernetes.io/tls' });
      expect(JSON.parse(synth).output.url.value).toBe('https://blog.example.com');
    });

    it('needs the Service first, a DNS host name, and the host the certificate is for', () => {
      expect(() => Testing.synthScope((scope) => { kubernetesApp(scope).site.exposeViaIngress({ host: 'blog.example.com', tls: { secretName: 's' } }); }))
        .toThrow(/not exposed: call exposeViaService\(\) first/);
      const attempt = (host: string) => () => Testing.synthScope((scope) => {
        const { site } = kubernetesApp(scope);
        site.exposeViaService({ serviceType: 'ClusterIP' });
        site.exposeViaIngress({ host, tls: { certificate } });
      });
      expect(attempt('blog_example')).toThrow(/invalid host "blog_example": must be a DNS host name/);
      expect(attempt('www.example.com')).toThrow(/invalid host "www.example.com": must be the host name the certificate was checked for \(blog.example.com\)/);
    });
  });
});
