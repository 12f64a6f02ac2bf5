import { DockerAnswer, Probe, ProviderPin, hostPort, missLine, neededImages, preflight, providerInstallation } from '../../preflight/checks';
import { Target } from '../../stacks/config';
import { testConfig } from '../helpers';

const PINS: ProviderPin[] = [
  { source: 'registry.terraform.io/kreuzwerker/docker', version: '3.6.2' },
  { source: 'registry.terraform.io/hashicorp/random', version: '3.7.2' },
];
const MIRROR_RC = 'provider_installation {\n  filesystem_mirror {\n    path    = "/mirror"\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n';
const KUBECONFIG = `apiVersion: v1
current-context: dev
contexts:
- name: dev
  context: { cluster: local, user: me }
clusters:
- name: local
  cluster: { server: 'https://127.0.0.1:6443' }
`;

/** A machine with everything a deploy needs; `change` removes a piece. */
function machine(change: Partial<{ docker: (path: string) => DockerAnswer | undefined; files: Record<string, string>; dirs: string[]; open: string[] }> = {}): Probe & { asked: string[] } {
  const files: Record<string, string> = { '/rc': MIRROR_RC, '/kube': KUBECONFIG, ...change.files };
  const dirs = change.dirs ?? ['/mirror/registry.terraform.io/kreuzwerker/docker/3.6.2', '/mirror/registry.terraform.io/hashicorp/random/3.7.2', '/mirror/registry.terraform.io/hashicorp/kubernetes/2.38.0'];
  const open = change.open ?? ['127.0.0.1:6443'];
  const asked: string[] = [];
  const answer = change.docker ?? ((path: string) => (path === '/info' ? { status: 200, body: '{"Swarm":{"LocalNodeState":"active","ControlAvailable":true}}' } : { status: 200, body: 'OK' }));
  return {
    asked,
    async docker(_host, path) {
      asked.push(path);
      const result = answer(path);
      if (!result) throw new Error('ENOENT');
      return result;
    },
    readText: (path) => files[path],
    exists: (path) => path in files || dirs.includes(path),
    async connects(host, port) {
      asked.push(`${host}:${port}`);
      return open.includes(`${host}:${port}`);
    },
  };
}

function run(target: Target, probe: Probe, env: NodeJS.ProcessEnv = {}, config = testConfig({ kubeconfig: '/kube' })) {
  const providers = target === 'kubernetes' ? [{ source: 'registry.terraform.io/hashicorp/kubernetes', version: '2.38.0' }, PINS[1]] : PINS;
  return preflight({ target, config, env: { TF_CLI_CONFIG_FILE: '/rc', ...env }, providers }, probe);
}

describe('preflight', () => {
  it.each<Target>(['docker', 'swarm', 'kubernetes'])('passes the %s stack when the machine has everything', async (target) => {
    await expect(run(target, machine())).resolves.toBeUndefined();
  });

  it('names a Docker engine that does not answer, and the fix', async () => {
    const miss = await run('docker', machine({ docker: () => undefined }), { DOCKER_HOST: 'unix:///gone.sock' });
    expect(miss).toMatchObject({ piece: 'Docker engine', detail: 'no answer at unix:///gone.sock (ENOENT)' });
    expect(miss!.fix).toContain('unset DOCKER_HOST');
    expect(miss!.fix).toContain('scripts/offline/setup.sh');
  });

  it('asks for a swarm manager on the Swarm stack only', async () => {
    const notInSwarm = machine({ docker: (path) => ({ status: 200, body: path === '/info' ? '{"Swarm":{"LocalNodeState":"inactive"}}' : 'OK' }) });
    await expect(run('docker', notInSwarm)).resolves.toBeUndefined();
    expect(await run('swarm', notInSwarm)).toMatchObject({ piece: 'Docker Swarm manager', fix: expect.stringContaining('docker swarm init') });
  });

  it('accepts an image that is missing locally but pullable, and names one that is neither', async () => {
    const pullable = machine({ docker: (path) => ({ status: path.startsWith('/images/mysql') ? 404 : 200, body: '{}' }) });
    await expect(run('docker', pullable)).resolves.toBeUndefined();
    expect(pullable.asked).toContain('/distribution/mysql%3A8.4.6/json');
    const neither = machine({ docker: (path) => ({ status: /^\/(images|distribution)\/mysql/.test(path) ? 404 : 200, body: '{}' }) });
    const miss = await run('docker', neither);
    expect(miss).toMatchObject({ piece: 'image mysql:8.4.6' });
    expect(miss!.fix).toMatch(/^docker pull mysql:8.4.6, .*air-gapped: sudo bash scripts\/offline\/setup.sh/);
  });

  it('checks the images the settings name, the load balancer with replicas, and none on Kubernetes', () => {
    expect(neededImages('docker', testConfig({ wordpressImage: 'w:1', mysqlImage: 'm:1' }))).toEqual(['m:1', 'w:1']);
    expect(neededImages('docker', testConfig({ wordpressReplicas: 3 }))).toEqual(['mysql:8.4.6', 'wordpress:6.8.3-apache', 'haproxy:3.0.11']);
    expect(neededImages('swarm', testConfig({ databaseHost: 'db.example' }))).toEqual(['wordpress:6.8.3-apache', 'haproxy:3.0.11']);
    expect(neededImages('kubernetes', testConfig())).toEqual([]);
  });

  it('names the providers when no mirror holds them and the registry does not answer', async () => {
    const miss = await run('docker', machine({ files: { '/rc': '' } }), {}, testConfig({ providerRegistry: '127.0.0.1:18799' }));
    expect(miss).toMatchObject({
      piece: 'Terraform provider source for kreuzwerker/docker 3.6.2, hashicorp/random 3.7.2',
      detail: 'none of registry 127.0.0.1:18799 serves them (CLI config: /rc)',
    });
    expect(miss!.fix).toContain('. scripts/offline/env.sh');
  });

  it('passes when the registry answers, and when a CLI config that does not exist leaves the registry', async () => {
    await expect(run('docker', machine({ files: { '/rc': '' }, open: ['registry.terraform.io:443'] }))).resolves.toBeUndefined();
    const missingRc = machine({ open: [] });
    const miss = await run('docker', missingRc, { TF_CLI_CONFIG_FILE: '/nowhere.tfrc' });
    expect(miss!.detail).toBe('none of registry registry.terraform.io:443 serves them (CLI config: /nowhere.tfrc, missing)');
  });

  it('names a mirror that lacks one of the providers', async () => {
    const miss = await run('docker', machine({ dirs: ['/mirror/registry.terraform.io/kreuzwerker/docker/3.6.2'], open: [] }));
    expect(miss).toMatchObject({ piece: 'Terraform provider source for hashicorp/random 3.7.2', detail: 'none of mirror /mirror serves them (CLI config: /rc)' });
  });

  it('names a missing kubeconfig, a missing context and an API server that does not answer', async () => {
    const noFile = await run('kubernetes', machine(), {}, testConfig({ kubeconfig: '/gone' }));
    expect(noFile).toMatchObject({ piece: 'kubeconfig', detail: '/gone does not exist or cannot be read', fix: expect.stringContaining('scripts/cluster/up.sh') });
    const noContext = await run('kubernetes', machine(), {}, testConfig({ kubeconfig: '/kube', kubeContext: 'prod' }));
    expect(noContext).toMatchObject({ piece: 'kubeconfig context', detail: 'context "prod" is not in /kube (contexts: dev)', fix: 'export WPCDK_KUBE_CONTEXT=dev (one of: dev)' });
    const down = await run('kubernetes', machine({ open: [] }));
    expect(down).toMatchObject({ piece: 'Kubernetes API server', detail: 'https://127.0.0.1:6443 (context "dev" of /kube) does not answer' });
  });

  it('prints one line naming the stack, the piece and the fix', () => {
    const line = missLine('wordpress-docker', { piece: 'Docker engine', detail: 'no answer', fix: 'start it' });
    expect(line).toBe('error: wordpress-docker cannot deploy: Docker engine missing: no answer. Fix: start it');
    expect(line).not.toContain('\n');
  });
});

describe('providerInstallation', () => {
  it('reads mirrors and direct from the provider_installation block, ignoring comments', () => {
    expect(providerInstallation(MIRROR_RC)).toEqual({ filesystemMirrors: ['/mirror'], networkMirrors: [], direct: false });
    expect(providerInstallation('# provider_installation { filesystem_mirror { path = "/x" } }\nplugin_cache_dir = "/c"')).toEqual({ filesystemMirrors: [], networkMirrors: [], direct: true });
    expect(providerInstallation('provider_installation {\n network_mirror { url = "https://m.example/" }\n direct { exclude = ["x/*"] }\n}'))
      .toEqual({ filesystemMirrors: [], networkMirrors: ['https://m.example/'], direct: true });
    expect(providerInstallation(undefined).direct).toBe(true);
  });

  it('splits addresses into host and port', () => {
    expect(hostPort('registry.terraform.io:443')).toEqual({ host: 'registry.terraform.io', port: 443 });
    expect(hostPort('https://m.example/')).toEqual({ host: 'm.example', port: 443 });
    expect(hostPort('http://[::1]:8080')).toEqual({ host: '::1', port: 8080 });
  });
});
