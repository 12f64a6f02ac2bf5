import { parseAllDocuments } from 'yaml';
import { KUBERNETES_STACK, KubernetesStack } from '../../stacks/kubernetes-stack';
import { AppConfig } from '../../stacks/config';
import { KubeObject, TerraformJson, deploymentsOf, manifestYaml, manifestsFromSynth, redactSecrets } from '../../e2e/k8s-manifests';
import { Deployment, resources, synthStack, testConfig } from '../helpers';
import { makeTlsFixtures } from '../tls-fixtures';

const BASELINE = 'blog-kubectl';
const synth = (overrides: Partial<AppConfig> = {}) =>
  synthStack((app) => new KubernetesStack(app, KUBERNETES_STACK, testConfig({ namespace: 'blog', protectData: false, imagePullPolicy: 'Never', ...overrides })));
const plain = synth();
const objects = manifestsFromSynth(plain.config as unknown as TerraformJson, { namespace: BASELINE });
const yaml = manifestYaml(objects);
const named = (kind: string, name: string) => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0] as KubeObject & Record<string, never>;
};
// Every kind the stack can synthesize: metrics, an HPA and a disruption budget, HTTPS (one synth for the tests that need them).
const tls = makeTlsFixtures('blog.test');
const full = synth({
  metrics: true, wordpressReplicas: 2, wordpressMaxReplicas: 4, contentAccessMode: 'ReadWriteMany', tlsHost: 'blog.test', tlsCertFile: tls.cert, tlsKeyFile: tls.key,
});
const kindsAndNames = (list: readonly KubeObject[]) => list.map((o) => `${o.kind}/${o.metadata.name}`);

interface ApiContainer {
  name: string; image: string; imagePullPolicy: string; env: { name: string; value?: string }[]; ports: { containerPort: number; name: string }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[]; securityContext: Record<string, unknown>;
  startupProbe: Record<string, unknown>; readinessProbe: Record<string, unknown>; livenessProbe: Record<string, unknown>; resources: unknown;
}
interface ApiDeployment {
  metadata: { name: string; namespace: string };
  spec: { replicas: number; template: { spec: { containers: ApiContainer[]; securityContext: Record<string, unknown>; volumes: Record<string, unknown>[]; serviceAccountName: string } } };
}

describe('the kubectl baseline: manifests converted from the synthesized Kubernetes stack', () => {
  it('has one object per Kubernetes resource of the stack, Namespace first, as the API names them', () => {
    const count = Object.entries(plain.config.resource).filter(([type]) => type.startsWith('kubernetes_')).reduce((n, [, r]) => n + Object.keys(r).length, 0);
    expect(objects).toHaveLength(count);
    expect(kindsAndNames(objects)).toEqual([
      `Namespace/${BASELINE}`, 'ServiceAccount/default', 'ServiceAccount/mysql', 'ServiceAccount/wordpress',
      'Secret/mysql-credentials', 'Secret/wordpress-credentials', 'PersistentVolumeClaim/mysql-data', 'PersistentVolumeClaim/wordpress-content',
      'NetworkPolicy/mysql-from-wordpress', 'NetworkPolicy/allow-dns', 'NetworkPolicy/default-deny', 'NetworkPolicy/wordpress-from-anywhere',
      'NetworkPolicy/wordpress-to-mysql', 'Service/mysql', 'Service/wordpress', 'Deployment/mysql', 'Deployment/wordpress',
    ]);
    expect(objects.map((o) => o.apiVersion)).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'networking.k8s.io/v1']));
    expect(deploymentsOf(objects)).toEqual(['mysql', 'wordpress']);
  });

  it('puts every object in the baseline namespace, with the stack\'s labels, and resolves every reference', () => {
    expect(named('Namespace', BASELINE).metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(objects.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace)).toEqual(Array(objects.length - 1).fill(BASELINE));
    expect(yaml).not.toContain('${');
    expect(yaml).not.toMatch(/\bblog\b(?!-kubectl)/);
    expect(named('ServiceAccount', 'default').automountServiceAccountToken).toBe(false);
  });

  it('drops what only Terraform reads', () => {
    for (const key of ['lifecycle:', 'prevent_destroy', 'wait_until_bound', 'wait_for_load_balancer', 'wait_for_rollout', 'depends_on', '"//"', 'cdktf/']) {
      expect(yaml).not.toContain(key);
    }
    expect(yaml).not.toMatch(/^\s*[a-z]+_[a-z_]+:/m); // no snake_case field is left
  });

  it('keeps every Deployment\'s containers, probes, security contexts and volumes, in the API\'s fields', () => {
    const provider = resources(plain.config, 'kubernetes_deployment_v1') as unknown as Deployment[];
    expect(provider).toHaveLength(2);
    for (const source of provider) {
      const deployment = named('Deployment', source.metadata.name) as unknown as ApiDeployment;
      const pod = deployment.spec.template.spec;
      const sourcePod = source.spec.template.spec as unknown as { container: Record<string, unknown>[]; volume: { name: string }[]; security_context: Record<string, unknown> };
      expect(deployment.spec.replicas).toBe(Number(source.spec.replicas));
      expect(pod.containers.map((c) => [c.name, c.image, c.imagePullPolicy])).toEqual(sourcePod.container.map((c) => [c.name, c.image, 'Never']));
      expect(pod.volumes.map((v) => v.name)).toEqual(sourcePod.volume.map((v) => v.name));
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, fsGroup: Number(sourcePod.security_context.fs_group) });
      pod.containers.forEach((container, i) => {
        const c = sourcePod.container[i] as { env: unknown[]; volume_mount: { mount_path: string }[]; security_context: { run_as_user: string } };
        expect(container.env).toEqual(c.env);
        expect(container.volumeMounts.map((m) => m.mountPath)).toEqual(c.volume_mount.map((m) => m.mount_path));
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
          runAsGroup: Number(c.security_context.run_as_user), runAsNonRoot: true, runAsUser: Number(c.security_context.run_as_user),
          seccompProfile: { type: 'RuntimeDefault' },
        });
        for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
          expect(probe).toMatchObject({ periodSeconds: expect.any(Number), failureThreshold: expect.any(Number), timeoutSeconds: expect.any(Number) });
          expect(Object.keys(probe).filter((k) => ['tcpSocket', 'httpGet', 'exec'].includes(k))).toHaveLength(1);
        }
      });
      expect(pod.serviceAccountName).toBe(source.metadata.name);
    }
    const mysql = (named('Deployment', 'mysql') as unknown as ApiDeployment).spec.template.spec;
    expect(mysql.containers[0].startupProbe.tcpSocket).toEqual({ port: 3306 });
    expect(mysql.containers[0].readinessProbe.exec).toEqual({ command: ['mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'] });
    expect(mysql.containers[0].ports).toEqual([{ containerPort: 3306, name: 'mysql' }]);
    expect(mysql.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'mysql-data' } });
    expect(mysql.volumes).toContainEqual({ name: 'writable-0', emptyDir: {} });
    const secrets = mysql.volumes.find((v) => v.name === 'secrets') as { projected: { defaultMode: number; sources: { secret: { name: string; items: unknown[] } }[] } };
    expect(secrets.projected.defaultMode).toBe(0o440);
    expect(secrets.projected.sources).toEqual([
      { secret: { name: 'mysql-credentials', items: [{ key: 'MYSQL_ROOT_PASSWORD', path: 'MYSQL_ROOT_PASSWORD' }] } },
      { secret: { name: 'mysql-credentials', items: [{ key: 'MYSQL_PASSWORD', path: 'MYSQL_PASSWORD' }] } },
    ]);
    const wordpress = (named('Deployment', 'wordpress') as unknown as ApiDeployment).spec.template.spec;
    expect(wordpress.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    expect(wordpress.containers[0].readinessProbe.httpGet).toEqual({ path: '/wp-login.php', port: 80 });
  });

  it('turns the provider\'s strings into the API\'s integers: Service and NetworkPolicy ports', () => {
    expect(named('Service', 'mysql').spec).toMatchObject({ clusterIP: 'None', ports: [{ name: 'mysql', port: 3306, targetPort: 3306 }] });
    expect(named('Service', 'wordpress').spec).toMatchObject({ type: 'NodePort', ports: [{ port: 80, targetPort: 80 }] });
    expect(named('NetworkPolicy', 'mysql-from-wordpress').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/part-of': 'wordpress' } }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'wordpress', 'app.kubernetes.io/part-of': 'wordpress' } } }], ports: [{ port: 3306, protocol: 'TCP' }] }],
    });
  });

  it('fills the Secrets with fresh random values of the configured length, never literals of the stack file', () => {
    const secret = named('Secret', 'mysql-credentials');
    expect(secret.data).toBeUndefined();
    const values = Object.values(secret.stringData as Record<string, string>);
    expect(Object.keys(secret.stringData)).toEqual(['MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD']);
    expect(values.map((v) => v.length)).toEqual([32, 32]);
    for (const value of [...values, ...Object.values(named('Secret', 'wordpress-credentials').stringData as Record<string, string>)]) {
      expect(value).toMatch(/^[A-Za-z0-9]+$/);
      expect(plain.json).not.toContain(value);
    }
    const again = manifestsFromSynth(plain.config as unknown as TerraformJson, { namespace: BASELINE });
    const againSecret = again.find((o) => o.metadata.name === 'mysql-credentials') as unknown as { stringData: Record<string, string> };
    expect(Object.values(againSecret.stringData)).not.toEqual(values);
    const redacted = manifestYaml(redactSecrets(objects));
    for (const value of values) expect(redacted).not.toContain(value);
    expect(redacted).toContain('MYSQL_ROOT_PASSWORD: <redacted>');
  });

  it('gives the same random_password the same value wherever it is used', () => {
    let generated = 0;
    const converted = manifestsFromSynth(full.config as unknown as TerraformJson, { randomValue: ({ length }) => `v${length}-${++generated}` });
    const data = converted.find((o) => o.kind === 'Secret' && o.metadata.name === 'mysql-credentials')!.stringData as Record<string, string>;
    expect(data.MYSQLD_EXPORTER_PASSWORD).toMatch(/^v32-\d+$/);
    expect(data['file-0']).toContain(`IDENTIFIED BY '${data.MYSQLD_EXPORTER_PASSWORD}'`);
    expect(data['file-0'].split(data.MYSQLD_EXPORTER_PASSWORD)).toHaveLength(5);
  });

  it("makes each random_bytes' hex a fresh value of its length (the WordPress keys)", () => {
    const keysOf = () => (manifestsFromSynth(plain.config as unknown as TerraformJson, { namespace: BASELINE })
      .flatMap((o) => Object.entries((o.stringData ?? {}) as Record<string, string>)).filter(([k]) => /^WORDPRESS_\w+_(KEY|SALT)$/.test(k)));
    const keys = keysOf();
    expect(keys).toHaveLength(8);
    for (const [, value] of keys) expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys.map(([, v]) => v)).size).toBe(8);
    expect(keysOf().map(([, v]) => v)).not.toEqual(keys.map(([, v]) => v));
  });

  it('is valid YAML that reads back as the same objects', () => {
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as unknown);
    expect(docs).toEqual(JSON.parse(JSON.stringify(objects)));
  });

  it('converts every other kind the stack can synthesize: metrics, an HPA, a disruption budget, HTTPS', () => {
    const converted = manifestsFromSynth(full.config as unknown as TerraformJson, { namespace: BASELINE });
    const kinds = new Set(converted.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Namespace',
      'NetworkPolicy', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Secret', 'Service', 'ServiceAccount']);
    const find = (kind: string) => converted.find((o) => o.kind === kind) as KubeObject & Record<string, never>;
    expect(find('ClusterRole').metadata.name).toBe(`${BASELINE}-prometheus`);
    expect(find('ClusterRole').rules).toContainEqual({ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] });
    expect(find('ClusterRoleBinding')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${BASELINE}-prometheus` },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: BASELINE }],
    });
    expect(find('HorizontalPodAutoscaler').spec).toEqual({
      minReplicas: 2, maxReplicas: 4, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'wordpress' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } }],
    });
    expect(find('PodDisruptionBudget').spec).toMatchObject({ minAvailable: 1 });
    expect(find('Ingress').spec).toMatchObject({
      rules: [{ host: 'blog.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'wordpress', port: { name: 'http' } } } }] } }],
      tls: [{ hosts: ['blog.test'], secretName: 'wordpress-tls' }],
    });
    const tlsSecret = converted.find((o) => o.kind === 'Secret' && o.type === 'kubernetes.io/tls') as unknown as { stringData: Record<string, string> };
    expect(tlsSecret.stringData['tls.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const wordpress = converted.find((o) => o.kind === 'Deployment' && o.metadata.name === 'wordpress') as unknown as ApiDeployment & {
      spec: { strategy: unknown; template: { spec: { containers: (ApiContainer & { lifecycle: unknown })[] } } };
    };
    expect(wordpress.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(wordpress.spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(wordpress.spec.template.spec.volumes).toContainEqual({ name: 'files', configMap: { name: 'wordpress-files' } });
    expect(manifestYaml(converted)).not.toContain('${');
  });

  it('throws on a resource type, reference or expression it does not know', () => {
    const withType = { ...plain.config, resource: { ...plain.config.resource, kubernetes_stateful_set_v1: { db: { metadata: { name: 'db' } } } } };
    expect(() => manifestsFromSynth(withType as unknown as TerraformJson)).toThrow(/unknown resource type\(s\) kubernetes_stateful_set_v1/);
    const withOther = { ...plain.config, resource: { ...plain.config.resource, null_resource: { x: {} } } };
    expect(() => manifestsFromSynth(withOther as unknown as TerraformJson)).toThrow(/unknown resource type\(s\) null_resource/);
    const map = { resource: { kubernetes_config_map_v1: { c: { metadata: { name: 'c', namespace: 'n' }, data: { a: '${upper("x")}' } } } } };
    expect(() => manifestsFromSynth(map)).toThrow(/cannot resolve the Terraform expression \$\{upper\("x"\)\}/);
    const dangling = { resource: { kubernetes_config_map_v1: { c: { metadata: { name: '${kubernetes_secret_v1.gone.metadata[0].name}', namespace: 'n' } } } } };
    expect(() => manifestsFromSynth(dangling)).toThrow(/kubernetes_secret_v1\.gone, which the stack does not have/);
  });

  it('unescapes Terraform\'s literal ${ and %{, and keeps the keys of data maps as written', () => {
    const map = { resource: { kubernetes_config_map_v1: { c: { metadata: { name: 'c', namespace: 'n', labels: { 'a_b/c_d': 'x' } }, data: { some_file: '$${HOME} %%{x} $1' } } } } };
    expect(manifestsFromSynth(map)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels: { 'a_b/c_d': 'x' } }, data: { some_file: '${HOME} %{x} $1' } }]);
  });
});
