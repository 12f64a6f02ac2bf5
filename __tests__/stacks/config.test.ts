import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, SETTINGS, fromSettings, loadConfig } from '../../stacks/config';
import { checkPort } from '../../constructs/validation';
import { testConfig } from '../helpers';

describe('config from env variables and cdktf.json context', () => {
  it('reads typed values from the environment and records where they came from', () => {
    const config = loadConfig({ WPCDK_HOST_PORT: '9000', WPCDK_WORDPRESS_REPLICAS: '1', WPCDK_SERVICE_TYPE: 'ClusterIP', WPCDK_MYSQL_IMAGE: 'local/mysql:1' });
    expect(config).toMatchObject({ hostPort: 9000, wordpressReplicas: 1, serviceType: 'ClusterIP', mysqlImage: 'local/mysql:1', namespace: 'wordpress' });
    expect(config.sources).toEqual({ hostPort: 'WPCDK_HOST_PORT', wordpressReplicas: 'WPCDK_WORDPRESS_REPLICAS', serviceType: 'WPCDK_SERVICE_TYPE', mysqlImage: 'WPCDK_MYSQL_IMAGE' });
  });

  it('lets an env variable win over a context key, and a context key over the default', () => {
    const context = (key: string) => ({ hostPort: 8181, namespace: 'from-context' } as Record<string, unknown>)[key];
    const config = loadConfig({ WPCDK_HOST_PORT: '9000' }, context);
    expect(config).toMatchObject({ hostPort: 9000, namespace: 'from-context' });
    expect(config.sources.namespace).toBe('cdktf.json context "namespace"');
  });

  it('takes the kubeconfig from $KUBECONFIG unless WPCDK_KUBECONFIG is set', () => {
    expect(loadConfig({ KUBECONFIG: '/a:/b' }).kubeconfig).toBe('/a');
    expect(loadConfig({ KUBECONFIG: '/a', WPCDK_KUBECONFIG: '/c' }).kubeconfig).toBe('/c');
  });

  it('reads only the settings of one target, so a bad Docker-only value does not stop the Kubernetes stack', () => {
    const env = { WPCDK_HOST_PORT: 'eighty', WPCDK_NODE_PORT: 'high' };
    expect(() => loadConfig(env, undefined, 'kubernetes')).toThrow(/WPCDK_NODE_PORT/);
    expect(() => loadConfig(env, undefined, 'docker')).toThrow(/WPCDK_HOST_PORT/);
    expect(loadConfig({ WPCDK_HOST_PORT: 'eighty' }, undefined, 'kubernetes').hostPort).toBeUndefined();
  });

  it.each([
    ['WPCDK_HOST_PORT', 'eighty', /WPCDK_HOST_PORT must be a whole number, got "eighty"/],
    ['WPCDK_WORDPRESS_REPLICAS', '1.5', /WPCDK_WORDPRESS_REPLICAS must be a whole number, got "1.5"/],
    ['WPCDK_SERVICE_TYPE', 'nodeport', /WPCDK_SERVICE_TYPE must be one of NodePort, LoadBalancer, ClusterIP, got "nodeport"/],
  ])('rejects %s=%s with a ConfigError', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it.each([
    ['nodePort', 'high', /cdktf.json context "nodePort" must be a whole number, got "high"/],
    ['hostPort', { port: 80 }, /cdktf.json context "hostPort" must be a whole number, got \{"port":80\}/],
    ['namespace', ['blog'], /cdktf.json context "namespace" must be a string, got \["blog"\]/],
    ['appName', { name: 'x' }, /cdktf.json context "appName" must be a string, got \{"name":"x"\}/],
    ['wordpressReplicas', true, /cdktf.json context "wordpressReplicas" must be a whole number, got true/],
  ])('names the context key when the cdktf.json value of %s has the wrong type', (key, value, message) => {
    expect(() => loadConfig({}, (k) => (k === key ? value : undefined))).toThrow(message);
  });

  it('reads data protection as true or false, and names the variable of any other value', () => {
    expect(loadConfig({ WPCDK_PROTECT_DATA: 'false' }).protectData).toBe(false);
    expect(loadConfig({}, (key) => (key === 'protectData' ? true : undefined)).protectData).toBe(true);
    expect(() => loadConfig({ WPCDK_PROTECT_DATA: 'no' })).toThrow('WPCDK_PROTECT_DATA must be true or false, got "no"');
  });

  it('accepts numbers for number settings in cdktf.json', () => {
    expect(loadConfig({}, (k) => (k === 'nodePort' ? 30080 : undefined)).nodePort).toBe(30080);
  });
});

describe('fromSettings', () => {
  it('reports a bad prop by the setting that fed it', () => {
    const config = testConfig({ hostPort: 0, sources: { hostPort: 'WPCDK_HOST_PORT' } });
    expect(() => fromSettings(config, { hostPort: 'hostPort' }, () => checkPort('C', 'hostPort', 0)))
      .toThrow('WPCDK_HOST_PORT=0 is invalid: must be an integer from 1 to 65535 (C, prop hostPort)');
  });

  it('leaves errors of props the user did not set as they are', () => {
    expect(() => fromSettings(testConfig(), { hostPort: 'hostPort' }, () => checkPort('C', 'hostPort', 0))).toThrow(/^C: invalid hostPort 0/);
  });
});

describe('the README configuration reference', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  it.each(Object.entries(SETTINGS))('documents %s', (key, setting) => {
    expect(readme).toMatch(new RegExp(`\\| \`${setting.env}\` \\| \`${key}\` \\|`));
  });
});
