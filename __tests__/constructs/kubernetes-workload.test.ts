import { Testing } from 'cdktf';
import { KubernetesWorkload } from '../../constructs/kubernetes-workload';
import { SecretValue, ServiceDescription, env } from '../../constructs/service';
import { deploymentNamed, resourceNamed } from '../helpers';

const api: ServiceDescription = {
  name: 'api', appName: 'demo', image: 'demo/api:1', ports: [{ name: 'http', port: 8080 }], volumes: [],
  env: { MODE: env.value('prod'), TOKEN: env.secret(SecretValue.fromTerraform('token', '${var.token}')) },
  health: { command: ['/api', 'check'] }, capabilities: [], resources: { cpuRequest: '10m', cpuLimit: '500m', memoryRequest: '16Mi', memoryLimit: '32Mi' }, security: { user: { uid: 1000, gid: 1000 } },
};

describe('KubernetesWorkload', () => {
  const json = Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo' }); });
  const [container] = deploymentNamed(json, 'api').spec.template.spec.container;

  it('keeps secret env values that Terraform knows in its own Secret', () => {
    expect(resourceNamed(json, 'kubernetes_secret_v1', 'api-credentials')).toMatchObject({ data: { TOKEN: '${var.token}' } });
    expect(container.env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'TOKEN', value_from: { secret_key_ref: { name: expect.stringContaining('kubernetes_secret_v1.api_credentials'), key: 'TOKEN' } } },
    ]);
  });

  it('protects its PVCs from destroy and replacement by default (prevent_destroy)', () => {
    const withVolume = { ...api, volumes: [{ name: 'data', path: '/data', size: '1Gi' }] };
    const claim = (props: { protectData?: boolean }) => resourceNamed(Testing.synthScope((scope) => {
      new KubernetesWorkload(scope, 'api', { description: withVolume, namespace: 'demo', ...props });
    }), 'kubernetes_persistent_volume_claim_v1', 'api-data');
    expect(claim({})).toMatchObject({ lifecycle: { prevent_destroy: true } });
    expect(claim({ protectData: false })).toMatchObject({ lifecycle: { prevent_destroy: false } });
  });

  it('references an existing Secret instead of copying it', () => {
    const external = { ...api, env: { TOKEN: env.secret(SecretValue.fromKubernetesSecret('token', 'api-tokens', 'token')) } };
    const synth = Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: external, namespace: 'demo' }); });
    expect(JSON.parse(synth).resource.kubernetes_secret_v1).toBeUndefined();
    expect(deploymentNamed(synth, 'api').spec.template.spec.container[0].env).toEqual([{ name: 'TOKEN', value_from: { secret_key_ref: { name: 'api-tokens', key: 'token' } } }]);
  });

  it('probes readiness with the health command when there is no HTTP path', () => {
    expect(container.readiness_probe).toMatchObject({ exec: { command: ['/api', 'check'] } });
    expect(container.startup_probe).toMatchObject({ tcp_socket: [{ port: '8080' }] });
  });

  it('rolls pods without volumes, and sets requests, limits and a restricted security context', () => {
    expect(deploymentNamed(json, 'api').spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '0' } });
    expect(container.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '500m', memory: '32Mi' } });
    expect(container.security_context).toEqual({
      run_as_non_root: true, run_as_user: '1000', run_as_group: '1000', read_only_root_filesystem: true, allow_privilege_escalation: false,
      privileged: false, capabilities: { drop: ['ALL'] }, seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(deploymentNamed(json, 'api').spec.template.spec.security_context).toEqual({ run_as_non_root: true, fs_group: '1000', seccomp_profile: { type: 'RuntimeDefault' } });
  });

  it('adds no capability on Kubernetes even when the description lists some for a root entrypoint', () => {
    const synth = Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: { ...api, capabilities: ['CHOWN'] }, namespace: 'demo' }); });
    expect((deploymentNamed(synth, 'api').spec.template.spec.container[0].security_context as { capabilities: unknown }).capabilities).toEqual({ drop: ['ALL'] });
  });

  it('runs as its own ServiceAccount with no API token mounted, unless asked', () => {
    const spec = deploymentNamed(json, 'api').spec.template.spec as unknown as Record<string, unknown>;
    expect(resourceNamed(json, 'kubernetes_service_account_v1', 'api')).toMatchObject({ automount_service_account_token: false });
    expect(spec).toMatchObject({ service_account_name: expect.stringContaining('kubernetes_service_account_v1.api_service-account'), automount_service_account_token: false });
    const withToken = Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo', serviceAccountToken: true }); });
    expect(resourceNamed(withToken, 'kubernetes_service_account_v1', 'api')).toMatchObject({ automount_service_account_token: true });
    expect(deploymentNamed(withToken, 'api').spec.template.spec).toMatchObject({ automount_service_account_token: true });
  });

  it('mounts an emptyDir on each writable path, binds a port below 1024 through the safe sysctl', () => {
    const web = { ...api, ports: [{ name: 'http', port: 80 }], security: { user: { uid: 33, gid: 33 }, writablePaths: ['/var/www/html', '/tmp'] } };
    const synth = Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'web', { description: { ...web, name: 'web' }, namespace: 'demo' }); });
    const spec = deploymentNamed(synth, 'web').spec.template.spec as unknown as { container: { volume_mount: unknown[] }[]; volume: unknown[]; security_context: Record<string, unknown> };
    expect(spec.container[0].volume_mount).toEqual([{ name: 'writable-0', mount_path: '/var/www/html' }, { name: 'writable-1', mount_path: '/tmp' }]);
    expect(spec.volume).toEqual([{ name: 'writable-0', empty_dir: {} }, { name: 'writable-1', empty_dir: {} }]);
    expect(spec.security_context).toMatchObject({ fs_group: '33', sysctl: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] });
    expect(deploymentNamed(json, 'api').spec.template.spec.security_context).not.toHaveProperty('sysctl');
  });

  it('mounts secrets as files (VAR_FILE) for an image that reads them, from its Secret and from an existing one', () => {
    const files = { ...api, env: { ...api.env, DB: env.secret(SecretValue.fromKubernetesSecret('db', 'db-secret', 'password')) }, security: { ...api.security, secretsAsFiles: true } };
    const synth = Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: files, namespace: 'demo' }); });
    const spec = deploymentNamed(synth, 'api').spec.template.spec as unknown as { container: { env: unknown[]; volume_mount: unknown[] }[]; volume: unknown[] };
    expect(spec.container[0].env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'TOKEN_FILE', value: '/run/secrets/wpcdk/TOKEN' },
      { name: 'DB_FILE', value: '/run/secrets/wpcdk/DB' },
    ]);
    expect(JSON.stringify(spec.container[0].env)).not.toContain('secret_key_ref');
    expect(spec.container[0].volume_mount).toEqual([{ name: 'secrets', mount_path: '/run/secrets/wpcdk', read_only: true }]);
    expect(spec.volume).toEqual([{
      name: 'secrets',
      projected: [{
        default_mode: '0440',
        sources: [
          { secret: [{ name: expect.stringContaining('kubernetes_secret_v1.api_credentials'), items: [{ key: 'TOKEN', path: 'TOKEN' }] }] },
          { secret: [{ name: 'db-secret', items: [{ key: 'password', path: 'DB' }] }] },
        ],
      }],
    }]);
  });

  it('refuses a container without a user: every container runs non-root', () => {
    expect(() => Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: { ...api, security: {} }, namespace: 'demo' }); }))
      .toThrow(/invalid api security.user undefined: must be set on Kubernetes: every container runs as a non-root user/);
  });

  it('tells where a secret env value lives, and names the ones it has when asked for another', () => {
    let workload: KubernetesWorkload | undefined;
    Testing.synthScope((scope) => { workload = new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo' }); });
    expect(workload?.secretValueOf('TOKEN').kubernetesSecret?.key).toBe('TOKEN');
    expect(() => workload?.secretValueOf('MODE')).toThrow(/invalid secret env "MODE": must be one of TOKEN/);
  });

  it('allowFrom a workload opens the client\'s egress to exactly the server\'s pods and ports', () => {
    let connection: ReturnType<KubernetesWorkload['allowFrom']> | undefined;
    const synth = Testing.synthScope((scope) => {
      const server = new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo' });
      connection = server.allowFrom(new KubernetesWorkload(scope, 'web', { description: { ...api, name: 'web' }, namespace: 'demo' }));
    });
    expect(connection?.egress).toBeDefined();
    expect(resourceNamed(synth, 'kubernetes_network_policy_v1', 'web-to-api')).toMatchObject({
      metadata: { namespace: 'demo' },
      spec: {
        pod_selector: { match_labels: { 'app.kubernetes.io/name': 'web' } }, policy_types: ['Egress'],
        egress: [{ to: [{ pod_selector: { match_labels: { 'app.kubernetes.io/name': 'api' } } }], ports: [{ port: '8080', protocol: 'TCP' }] }],
      },
    });
  });

  it('opens ports to anyone, and egress to any address on named ports, checking them', () => {
    const synth = Testing.synthScope((scope) => {
      const workload = new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo' });
      workload.allowFromAnywhere();
      workload.allowToAnyAddress('ldap', [636]);
    });
    expect(resourceNamed(synth, 'kubernetes_network_policy_v1', 'api-from-anywhere')).toMatchObject({ spec: { policy_types: ['Ingress'], ingress: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] } });
    expect(resourceNamed(synth, 'kubernetes_network_policy_v1', 'api-from-anywhere')).not.toHaveProperty('spec.ingress.0.from');
    expect(resourceNamed(synth, 'kubernetes_network_policy_v1', 'api-to-ldap')).toMatchObject({ spec: { policy_types: ['Egress'], egress: [{ ports: [{ port: '636', protocol: 'TCP' }] }] } });
    const bad = (why: string, ports: number[]) => () => Testing.synthScope((scope) => {
      new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo' }).allowToAnyAddress(why, ports);
    });
    expect(bad('ldap', [])).toThrow(/invalid allowToAnyAddress ldap ports \[\]: must name at least one port/);
    expect(bad('ldap', [70000])).toThrow(/invalid allowToAnyAddress ldap ports\[0\] 70000/);
    expect(bad('LDAP server', [636])).toThrow(/invalid allowToAnyAddress why "LDAP server": must be a DNS-1123 label/);
  });

  it('opens the main port to anyone when exposed through a Service', () => {
    const synth = Testing.synthScope((scope) => {
      const exposure = new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo' }).exposeViaService({ serviceType: 'ClusterIP' });
      expect(exposure.ingress).toBeDefined();
    });
    expect(resourceNamed(synth, 'kubernetes_network_policy_v1', 'api-from-anywhere')).toMatchObject({ spec: { ingress: [{ ports: [{ port: '8080' }] }] } });
  });

  it('allowFrom returns a NetworkPolicy for any pod selector', () => {
    const synth = Testing.synthScope((scope) => {
      new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo' }).allowFrom({ podSelector: { role: 'frontend' } });
    });
    expect(resourceNamed(synth, 'kubernetes_network_policy_v1', 'api-from-clients')).toMatchObject({
      spec: { ingress: [{ from: [{ pod_selector: { match_labels: { role: 'frontend' } } }], ports: [{ port: '8080', protocol: 'TCP' }] }] },
    });
  });

  it('autoscales on CPU with an HPA that owns the replica count, and keeps pods through disruptions', () => {
    const shared = { ...api, volumes: [{ name: 'data', path: '/data', size: '1Gi' }] };
    const synth = Testing.synthScope((scope) => {
      new KubernetesWorkload(scope, 'api', { description: shared, namespace: 'demo', volumeAccessMode: 'ReadWriteMany', autoscaling: { maxReplicas: 4 } });
    });
    expect(resourceNamed(synth, 'kubernetes_horizontal_pod_autoscaler_v2', 'api')).toMatchObject({
      spec: {
        min_replicas: 1, max_replicas: 4,
        scale_target_ref: { api_version: 'apps/v1', kind: 'Deployment', name: expect.stringContaining('kubernetes_deployment_v1.api_deployment') },
        metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 60 } } }],
      },
    });
    expect(resourceNamed(synth, 'kubernetes_deployment_v1', 'api')).toMatchObject({ lifecycle: { ignore_changes: ['spec[0].replicas'] } });
    expect(resourceNamed(synth, 'kubernetes_pod_disruption_budget_v1', 'api')).toMatchObject({ spec: { min_available: '1', selector: { match_labels: { 'app.kubernetes.io/name': 'api' } } } });
    expect(deploymentNamed(synth, 'api').spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '0' } });
    expect(deploymentNamed(synth, 'api').spec.template.spec.container[0].lifecycle).toEqual({ pre_stop: [{ exec: { command: ['sleep', '5'] } }] });
  });

  it('has no HPA and no disruption budget for a single pod', () => {
    expect(JSON.parse(json).resource.kubernetes_horizontal_pod_autoscaler_v2).toBeUndefined();
    expect(JSON.parse(json).resource.kubernetes_pod_disruption_budget_v1).toBeUndefined();
  });

  it('refuses to autoscale pods that would share a ReadWriteOnce volume', () => {
    const withVolume = { ...api, volumes: [{ name: 'data', path: '/data', size: '1Gi' }] };
    expect(() => Testing.synthScope((scope) => {
      new KubernetesWorkload(scope, 'api', { description: withVolume, namespace: 'demo', autoscaling: { maxReplicas: 3 } });
    })).toThrow(/invalid autoscaling.maxReplicas 3: more than one api pod needs shared volumes/);
    expect(() => Testing.synthScope((scope) => {
      new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo', autoscaling: { maxReplicas: 3, minReplicas: 5 } });
    })).toThrow(/invalid autoscaling.minReplicas 5: must be an integer from 1 to 3/);
  });

  it.each([
    ['namespace', { namespace: 'Blog.Prod' }, /invalid namespace "Blog.Prod": must be a DNS-1123 label/],
    ['imagePullPolicy', { imagePullPolicy: 'Sometimes' as never }, /invalid imagePullPolicy "Sometimes"/],
    ['replicas', { replicas: 0 }, /invalid replicas 0: must be an integer from 1 to 100/],
    ['storageClass', { storageClass: 'Fast_SSD' }, /invalid storageClass "Fast_SSD": must be a DNS-1123 subdomain/],
  ])('rejects a bad %s', (_prop, props, message) => {
    expect(() => Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo', ...props }); })).toThrow(message);
  });

  it.each([
    [{ nodePort: 8080 }, /invalid nodePort 8080: must be an integer from 30000 to 32767/],
    [{ serviceType: 'ClusterIP' as const, nodePort: 30080 }, /invalid nodePort 30080: a ClusterIP service has no node port/],
    [{ serviceType: 'Ingress' as never }, /invalid serviceType "Ingress": must be one of 'NodePort', 'LoadBalancer', 'ClusterIP'/],
  ])('rejects exposing with %j', (options, message) => {
    expect(() => Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: api, namespace: 'demo' }).exposeViaService(options); })).toThrow(message);
  });
});

describe('KubernetesWorkload sidecars, args, ServiceAccount and narrowed allowFrom', () => {
  const exporter: ServiceDescription = {
    ...api, name: 'exporter', image: 'demo/exporter:1', ports: [{ name: 'metrics', port: 9100 }], args: ['--listen=:9100'],
    env: { TOKEN: env.secret(SecretValue.fromTerraform('token', '${var.token}')), EXPORTER_KEY: env.secret(SecretValue.fromTerraform('key', '${var.key}')) },
    files: [{ path: '/etc/exporter.yml', content: 'a: 1' }], health: { command: ['true'], httpPath: '/metrics' },
  };
  const json = Testing.synthScope((scope) => {
    const workload = new KubernetesWorkload(scope, 'api', { description: { ...api, sidecars: [exporter] }, namespace: 'demo', serviceAccountToken: true });
    workload.allowFrom({ podSelector: { app: 'monitor' }, description: { ...api, name: 'monitor' } }, exporter.ports);
  });
  const spec = deploymentNamed(json, 'api').spec.template.spec as unknown as { service_account_name: string; container: (Record<string, unknown> & { name: string })[] };

  it('puts the sidecars in the pod after the service, with their args, probes and files', () => {
    expect(spec.container.map((c) => c.name)).toEqual(['api', 'exporter']);
    expect(spec.container[1]).toMatchObject({
      image: 'demo/exporter:1', args: ['--listen=:9100'], port: [{ name: 'metrics', container_port: 9100 }],
      readiness_probe: { http_get: { path: '/metrics', port: '9100' } },
      volume_mount: [{ name: 'files', mount_path: '/etc/exporter.yml', sub_path: 'exporter-file-0', read_only: true }],
    });
    expect(resourceNamed(json, 'kubernetes_config_map_v1', 'api-files')).toMatchObject({ data: { 'exporter-file-0': 'a: 1' } });
    expect(spec.service_account_name).toContain('kubernetes_service_account_v1.api_service-account');
  });

  it('keeps every container\'s secrets in the one Secret, a shared key once', () => {
    expect(resourceNamed(json, 'kubernetes_secret_v1', 'api-credentials')).toMatchObject({ data: { TOKEN: '${var.token}', EXPORTER_KEY: '${var.key}' } });
    const clash = { ...exporter, env: { TOKEN: env.secret(SecretValue.fromTerraform('other', '${var.other}')) } };
    expect(() => Testing.synthScope((scope) => { new KubernetesWorkload(scope, 'api', { description: { ...api, sidecars: [clash] }, namespace: 'demo' }); }))
      .toThrow(/invalid exporter env "TOKEN": names another secret value in the same pod/);
  });

  it('narrows a NetworkPolicy to the given ports', () => {
    expect(resourceNamed(json, 'kubernetes_network_policy_v1', 'api-from-monitor')).toMatchObject({
      spec: { ingress: [{ ports: [{ port: '9100', protocol: 'TCP' }] }] },
    });
  });
});

describe('KubernetesWorkload secret files', () => {
  const json = Testing.synthScope((scope) => {
    new KubernetesWorkload(scope, 'api', { description: { ...api, files: [{ path: '/etc/plain', content: 'a' }, { path: '/etc/secret.sql', content: 'CREATE USER x', secret: true }] }, namespace: 'demo' });
  });
  const spec = deploymentNamed(json, 'api').spec.template.spec as unknown as { container: { volume_mount: unknown[] }[]; volume: Record<string, unknown>[] };

  it('keeps a secret file in the Secret and mounts it from there, the others from the ConfigMap', () => {
    expect(resourceNamed(json, 'kubernetes_secret_v1', 'api-credentials')).toMatchObject({ data: { TOKEN: '${var.token}', 'file-1': 'CREATE USER x' } });
    expect(resourceNamed(json, 'kubernetes_config_map_v1', 'api-files')).toMatchObject({ data: { 'file-0': 'a' } });
    expect(JSON.stringify(resourceNamed(json, 'kubernetes_config_map_v1', 'api-files'))).not.toContain('CREATE USER');
    expect(spec.container[0].volume_mount).toEqual([
      { name: 'files', mount_path: '/etc/plain', sub_path: 'file-0', read_only: true },
      { name: 'secret-files', mount_path: '/etc/secret.sql', sub_path: 'file-1', read_only: true },
    ]);
    expect(spec.volume).toContainEqual({ name: 'secret-files', secret: { secret_name: expect.stringContaining('kubernetes_secret_v1.api_credentials') } });
  });
});
