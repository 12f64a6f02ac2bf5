import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AppConfig, ConfigError, SETTINGS, loadConfig } from '../stacks/config';
import { DockerStack } from '../stacks/docker-stack';
import { KubernetesStack } from '../stacks/kubernetes-stack';
import { DatabaseCredentials } from '../constructs/database-credentials';
import { MysqlKubernetes } from '../constructs/mysql-kubernetes';
import { WordpressKubernetes } from '../constructs/wordpress-kubernetes';
import { testConfig } from './helpers';

/** Builds a stack from a config and synthesizes it with validations on. */
function synthWith(Stack: typeof DockerStack | typeof KubernetesStack, overrides: Partial<AppConfig>): string {
  const app: App = Testing.app();
  const stack: TerraformStack = new Stack(app, 'under-test', testConfig(overrides));
  return Testing.synth(stack, true);
}

describe('bad props fail at synth time, naming the prop and the bad value', () => {
  const cases: [string, typeof DockerStack | typeof KubernetesStack, Partial<AppConfig>, RegExp][] = [
    ['app name with upper case', DockerStack, { appName: 'WordPress' }, /invalid appName "WordPress": must be a DNS-1123 label/],
    ['app name with underscore', KubernetesStack, { appName: 'my_blog' }, /invalid appName "my_blog"/],
    ['namespace not a DNS label', KubernetesStack, { namespace: 'Blog.Prod' }, /invalid namespace "Blog.Prod": must be a DNS-1123 label/],
    ['namespace too long', KubernetesStack, { namespace: 'n'.repeat(64) }, /invalid namespace "n{64}"/],
    ['host port 0', DockerStack, { hostPort: 0 }, /invalid hostPort 0: must be an integer from 1 to 65535/],
    ['host port above 65535', DockerStack, { hostPort: 70000 }, /invalid hostPort 70000/],
    ['bind address not an IP', DockerStack, { bindAddress: 'localhost' }, /invalid bindAddress "localhost": must be an IPv4 address/],
    ['empty WordPress image', DockerStack, { wordpressImage: '' }, /invalid image "": must be a non-empty image reference/],
    ['MySQL image with spaces', KubernetesStack, { mysqlImage: 'my sql:8' }, /invalid image "my sql:8"/],
    ['image with upper-case repository', DockerStack, { mysqlImage: 'MySQL:8.4' }, /invalid image "MySQL:8.4"/],
    ['zero replicas', KubernetesStack, { wordpressReplicas: 0 }, /invalid replicas 0: must be an integer from 1 to 100/],
    ['two replicas on a ReadWriteOnce volume', KubernetesStack, { wordpressReplicas: 2 }, /invalid replicas 2: more than one WordPress pod needs a shared content volume, but contentAccessMode is "ReadWriteOnce"/],
    ['node port outside the NodePort range', KubernetesStack, { nodePort: 8080 }, /invalid nodePort 8080: must be an integer from 30000 to 32767/],
    ['node port on a ClusterIP service', KubernetesStack, { serviceType: 'ClusterIP', nodePort: 30080 }, /invalid nodePort 30080: a ClusterIP service has no node port/],
    ['storage class with upper case', KubernetesStack, { storageClass: 'Fast_SSD' }, /invalid storageClass "Fast_SSD": must be a DNS-1123 subdomain/],
    ['unknown service type', KubernetesStack, { serviceType: 'Ingress' as never }, /invalid serviceType "Ingress": must be one of 'NodePort', 'LoadBalancer', 'ClusterIP'/],
    ['unknown pull policy', KubernetesStack, { imagePullPolicy: 'Sometimes' as never }, /invalid imagePullPolicy "Sometimes"/],
  ];

  it.each(cases)('%s', (_name, Stack, overrides, message) => {
    expect(() => synthWith(Stack, overrides)).toThrow(message);
  });

  it('rejects storage sizes that are not Kubernetes quantities', () => {
    for (const size of ['1GB', '-1Gi', 'ten', '', '0']) {
      expect(() => Testing.synthScope((scope) => {
        new MysqlKubernetes(scope, 'mysql', { namespace: 'blog', credentials: new DatabaseCredentials(scope, 'c'), storageSize: size });
      })).toThrow(new RegExp(`invalid storageSize ${JSON.stringify(size)}`));
    }
  });

  it('rejects an unknown content access mode', () => {
    expect(() => Testing.synthScope((scope) => {
      const database = new MysqlKubernetes(scope, 'mysql', { namespace: 'blog', credentials: new DatabaseCredentials(scope, 'c') });
      new WordpressKubernetes(scope, 'wordpress', { database, contentAccessMode: 'ReadWriteSometimes' as never });
    })).toThrow(/invalid contentAccessMode "ReadWriteSometimes": must be one of 'ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany'/);
  });

  it('rejects bad compute resources', () => {
    expect(() => Testing.synthScope((scope) => {
      new MysqlKubernetes(scope, 'mysql', {
        namespace: 'blog',
        credentials: new DatabaseCredentials(scope, 'c'),
        resources: { cpuRequest: '1 core', memoryRequest: '256Mi', memoryLimit: '1Gi' },
      });
    })).toThrow(/invalid resources.cpuRequest "1 core": must be a Kubernetes quantity/);
  });

  it('rejects database names and users the MySQL entrypoint cannot create', () => {
    expect(() => Testing.synthScope((scope) => { new DatabaseCredentials(scope, 'c', { databaseName: 'word-press' }); }))
      .toThrow(/invalid databaseName "word-press"/);
    expect(() => Testing.synthScope((scope) => { new DatabaseCredentials(scope, 'c', { username: 'u'.repeat(33) }); }))
      .toThrow(/invalid username "u{33}": must be 1 to 32 letters/);
    expect(() => Testing.synthScope((scope) => { new DatabaseCredentials(scope, 'c', { passwordLength: 8 }); }))
      .toThrow(/invalid passwordLength 8: must be an integer from 16 to 128/);
  });

  it('accepts the defaults and the largest valid values', () => {
    expect(() => synthWith(KubernetesStack, { nodePort: 32767, namespace: 'n'.repeat(63), storageClass: 'fast.ssd-1' })).not.toThrow();
    expect(() => synthWith(DockerStack, { hostPort: 65535, bindAddress: '0.0.0.0' })).not.toThrow();
  });
});

describe('config from env variables and cdktf.json context', () => {
  it('reads typed values from the environment', () => {
    const config = loadConfig({ WPCDK_HOST_PORT: '9000', WPCDK_WORDPRESS_REPLICAS: '1', WPCDK_SERVICE_TYPE: 'ClusterIP', WPCDK_MYSQL_IMAGE: 'local/mysql:1' });
    expect(config).toMatchObject({ hostPort: 9000, wordpressReplicas: 1, serviceType: 'ClusterIP', mysqlImage: 'local/mysql:1', namespace: 'wordpress' });
  });

  it('lets an env variable win over a context key, and a context key over the default', () => {
    const context = (key: string) => ({ hostPort: 8181, namespace: 'from-context' } as Record<string, unknown>)[key];
    expect(loadConfig({ WPCDK_HOST_PORT: '9000' }, context)).toMatchObject({ hostPort: 9000, namespace: 'from-context' });
  });

  it('takes the kubeconfig from $KUBECONFIG unless WPCDK_KUBECONFIG is set', () => {
    expect(loadConfig({ KUBECONFIG: '/a:/b' }).kubeconfig).toBe('/a');
    expect(loadConfig({ KUBECONFIG: '/a', WPCDK_KUBECONFIG: '/c' }).kubeconfig).toBe('/c');
  });

  it.each([
    ['WPCDK_HOST_PORT', 'eighty', /WPCDK_HOST_PORT must be a whole number, got "eighty"/],
    ['WPCDK_WORDPRESS_REPLICAS', '1.5', /WPCDK_WORDPRESS_REPLICAS must be a whole number, got "1.5"/],
    ['WPCDK_SERVICE_TYPE', 'nodeport', /WPCDK_SERVICE_TYPE must be one of NodePort, LoadBalancer, ClusterIP, got "nodeport"/],
  ])('rejects %s=%s with a ConfigError', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('names the context key when a cdktf.json value is bad', () => {
    expect(() => loadConfig({}, (key) => (key === 'nodePort' ? 'high' : undefined))).toThrow(/cdktf.json context "nodePort" must be a whole number/);
  });
});

describe('the README configuration reference', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  it.each(Object.entries(SETTINGS))('documents %s', (key, setting) => {
    expect(readme).toMatch(new RegExp(`\\| \`${setting.env}\` \\| \`${key}\` \\|`));
  });
});
