/**
 * The deploy's preflight: before synth, init and plan, checks in well under a
 * second what `cdktf deploy <stack>` needs from the machine, and names the
 * first missing piece with the command that fixes it.
 *
 * The checks only read: a Docker API ping and image lookups, the Terraform CLI
 * config, the kubeconfig file, and a TCP connect to a registry or API server.
 * Every outside thing goes through {@link Probe}, so tests replace it.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { parse as ParseYaml } from 'yaml';
import { DEFAULT_IMAGES } from '../constructs/app-model';
import type { AppConfig, Target } from '../stacks/config';

/** yaml's parser, loaded when a kubeconfig is read: loading it takes ~35 ms of every Docker deploy's preflight here. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseYaml = (text: string): ReturnType<typeof ParseYaml> => (require('yaml') as { parse: typeof ParseYaml }).parse(text);

/** The first piece the deploy would miss, and how to get it. */
export interface Miss {
  /** What is missing, e.g. `Docker engine`, `image mysql:8.4.6`. */
  readonly piece: string;
  /** What was found instead. */
  readonly detail: string;
  /** The exact command (or setting) that fixes it. */
  readonly fix: string;
}

/** Answer of the Docker API. */
export interface DockerAnswer {
  readonly status: number;
  readonly body: string;
}

/** The outside world the checks look at. */
export interface Probe {
  /** GET `path` from the Docker engine of `host` (a DOCKER_HOST URL); rejects when it does not answer within `timeoutMs`. */
  docker(host: string, path: string, timeoutMs: number): Promise<DockerAnswer>;
  /** The text of a file, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
  /** Whether a path exists. */
  exists(path: string): boolean;
  /** Whether a TCP connection to host:port opens within `timeoutMs`. */
  connects(host: string, port: number, timeoutMs: number): Promise<boolean>;
}

/** A provider the stack pins: `registry.terraform.io/kreuzwerker/docker` at `3.6.2`. */
export interface ProviderPin {
  readonly source: string;
  readonly version: string;
}

export interface PreflightInput {
  readonly target: Target;
  readonly config: AppConfig;
  readonly env: NodeJS.ProcessEnv;
  /** The providers the stack pins. */
  readonly providers: readonly ProviderPin[];
}

/** Time budget of one probe: the whole preflight stays well under the 2 s it may take to fail. */
export const PROBE_TIMEOUT_MS = 800;
/** The public registry, where Terraform installs providers without a CLI config. */
export const DEFAULT_REGISTRY = 'registry.terraform.io:443';

const OFFLINE_FIX = 'sudo bash scripts/offline/setup.sh && . scripts/offline/env.sh';

/** The Docker host the provider talks to (DOCKER_HOST, else the local socket). */
export function dockerHost(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/** Images the stack's containers need on the local engine. */
export function neededImages(target: Target, config: AppConfig): string[] {
  if (target === 'kubernetes') return []; // pulled by the cluster's nodes, not by this machine
  const images = [config.mysqlImage ?? DEFAULT_IMAGES.mysql, config.wordpressImage ?? DEFAULT_IMAGES.wordpress];
  if (target === 'swarm' || (config.wordpressReplicas ?? 1) > 1) images.push(config.loadBalancerImage ?? DEFAULT_IMAGES.haproxy);
  if (config.databaseHost) images.shift();
  return images;
}

/** How Terraform gets providers, from its CLI config text (the blocks of `provider_installation`). */
export interface ProviderInstallation {
  readonly filesystemMirrors: readonly string[];
  readonly networkMirrors: readonly string[];
  /** True when Terraform may ask the registry (no `provider_installation`, or a `direct` block). */
  readonly direct: boolean;
}

/**
 * Reads the `provider_installation` block of a Terraform CLI config. (A small
 * reader for this one block: the HCL parser the cdktf CLI ships needs ~1 s to
 * load its WebAssembly, the whole budget of the preflight.)
 */
export function providerInstallation(text: string | undefined): ProviderInstallation {
  // Comments out, strings kept (a URL's `//` is no comment).
  const body = (text ?? '').replace(/"(?:[^"\\\n]|\\.)*"|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) => (m.startsWith('"') ? m : ''));
  const start = body.search(/\bprovider_installation\s*\{/);
  if (start < 0) return { filesystemMirrors: [], networkMirrors: [], direct: true };
  const block = body.slice(start);
  const paths = (kind: string, key: string) =>
    [...block.matchAll(new RegExp(`\\b${kind}\\s*\\{[^}]*?\\b${key}\\s*=\\s*"([^"]*)"`, 'g'))].map((m) => m[1]);
  return { filesystemMirrors: paths('filesystem_mirror', 'path'), networkMirrors: paths('network_mirror', 'url'), direct: /\bdirect\s*\{/.test(block) };
}

/** Whether a filesystem mirror holds the provider (unpacked or packed layout). */
export function mirrorHolds(probe: Probe, mirror: string, pin: ProviderPin): boolean {
  const dir = join(mirror, pin.source);
  const type = pin.source.split('/').pop()!;
  return probe.exists(join(dir, pin.version)) || probe.exists(join(dir, `terraform-provider-${type}_${pin.version}_linux_amd64.zip`));
}

/** host and port of a `host:port` or URL string (port from the scheme when missing). */
export function hostPort(address: string): { host: string; port: number } {
  const url = new URL(/^[a-z]+:\/\//.test(address) ? address : `https://${address}`);
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

async function checkDocker(input: PreflightInput, probe: Probe): Promise<Miss | undefined> {
  const host = dockerHost(input.env);
  const fixEngine = input.env.DOCKER_HOST
    ? `start the engine DOCKER_HOST names, or unset DOCKER_HOST for the local one (no Docker on an air-gapped machine: ${OFFLINE_FIX})`
    : `sudo systemctl start docker (no Docker on an air-gapped machine: ${OFFLINE_FIX})`;
  try {
    const ping = await probe.docker(host, '/_ping', PROBE_TIMEOUT_MS);
    if (ping.status !== 200) return { piece: 'Docker engine', detail: `${host} answered ${ping.status} to /_ping`, fix: fixEngine };
  } catch (error) {
    return { piece: 'Docker engine', detail: `no answer at ${host} (${(error as Error).message})`, fix: fixEngine };
  }
  if (input.target === 'swarm') {
    const info = JSON.parse((await probe.docker(host, '/info', PROBE_TIMEOUT_MS)).body) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
      return { piece: 'Docker Swarm manager', detail: `the engine at ${host} is not a swarm manager (state: ${info.Swarm?.LocalNodeState ?? 'unknown'})`, fix: 'docker swarm init --advertise-addr 127.0.0.1 (or: bash scripts/swarm/up.sh)' };
    }
  }
  for (const image of neededImages(input.target, input.config)) {
    const local = await probe.docker(host, `/images/${encodeURIComponent(image)}/json`, PROBE_TIMEOUT_MS);
    if (local.status === 200) continue;
    // Not local: the engine asks the image's registry for its manifest (what a pull would do first).
    const remote = await probe.docker(host, `/distribution/${encodeURIComponent(image)}/json`, PROBE_TIMEOUT_MS).catch(() => undefined);
    if (remote?.status === 200) continue;
    return {
      piece: `image ${image}`,
      detail: `not on the engine at ${host}, and its registry does not serve it${remote ? ` (${remote.status})` : ' (no answer)'}`,
      fix: `docker pull ${image}, or name an image the engine has (WPCDK_*_IMAGE); air-gapped: ${OFFLINE_FIX}`,
    };
  }
  return undefined;
}

async function checkProviders(input: PreflightInput, probe: Probe): Promise<Miss | undefined> {
  const configFile = input.env.TF_CLI_CONFIG_FILE || join(homedir(), '.terraformrc');
  const installation = providerInstallation(probe.readText(configFile));
  const missing = input.providers.filter((pin) => !installation.filesystemMirrors.some((mirror) => mirrorHolds(probe, mirror, pin)));
  if (missing.length === 0) return undefined;
  for (const url of installation.networkMirrors) {
    const { host, port } = hostPort(url);
    if (await probe.connects(host, port, PROBE_TIMEOUT_MS)) return undefined;
  }
  if (installation.direct) {
    const registry = input.config.providerRegistry ?? DEFAULT_REGISTRY;
    const { host, port } = hostPort(registry);
    if (await probe.connects(host, port, PROBE_TIMEOUT_MS)) return undefined;
  }
  const names = missing.map((pin) => `${pin.source.replace(/^registry\.terraform\.io\//, '')} ${pin.version}`).join(', ');
  const sources = [
    ...installation.filesystemMirrors.map((m) => `mirror ${m}`),
    ...installation.networkMirrors.map((m) => `network mirror ${m}`),
    ...(installation.direct ? [`registry ${input.config.providerRegistry ?? DEFAULT_REGISTRY}`] : []),
  ];
  return {
    piece: `Terraform provider source for ${names}`,
    detail: `${sources.length ? `none of ${sources.join(', ')} serves them` : 'the CLI config allows no source'} (CLI config: ${configFile}${probe.exists(configFile) ? '' : ', missing'})`,
    fix: `air-gapped: ${OFFLINE_FIX} (a provider mirror in TF_CLI_CONFIG_FILE); else open access to registry.terraform.io`,
  };
}

/** The kubeconfig file the stack reads: WPCDK_KUBECONFIG, else the first of $KUBECONFIG, else ~/.kube/config. */
async function checkKubernetes(input: PreflightInput, probe: Probe): Promise<Miss | undefined> {
  const file = input.config.kubeconfig;
  const fixFile = `export WPCDK_KUBECONFIG=<your kubeconfig> (the project's local cluster: sudo bash scripts/cluster/up.sh && . scripts/cluster/env.sh)`;
  const text = probe.readText(file);
  if (text === undefined) return { piece: 'kubeconfig', detail: `${file} does not exist or cannot be read`, fix: fixFile };
  let kubeconfig: { 'current-context'?: string; contexts?: { name: string; context: { cluster: string } }[]; clusters?: { name: string; cluster: { server: string } }[] };
  try {
    kubeconfig = parseYaml(text) ?? {};
  } catch (error) {
    return { piece: 'kubeconfig', detail: `${file} is not YAML (${(error as Error).message.split('\n')[0]})`, fix: fixFile };
  }
  const names = (kubeconfig.contexts ?? []).map((c) => c.name);
  const wanted = input.config.kubeContext ?? kubeconfig['current-context'];
  const context = kubeconfig.contexts?.find((c) => c.name === wanted);
  if (!context) {
    return {
      piece: 'kubeconfig context',
      detail: `${wanted ? `context "${wanted}" is not` : 'no current-context is set and none is named'} in ${file} (contexts: ${names.join(', ') || 'none'})`,
      fix: names.length ? `export WPCDK_KUBE_CONTEXT=${names[0]} (one of: ${names.join(', ')})` : fixFile,
    };
  }
  const server = kubeconfig.clusters?.find((c) => c.name === context.context.cluster)?.cluster.server;
  if (!server) return { piece: 'kubeconfig cluster', detail: `context "${context.name}" names cluster "${context.context.cluster}", which has no server in ${file}`, fix: fixFile };
  const { host, port } = hostPort(server);
  if (!(await probe.connects(host, port, PROBE_TIMEOUT_MS))) {
    return { piece: 'Kubernetes API server', detail: `${server} (context "${context.name}" of ${file}) does not answer`, fix: `start the cluster (the project's local cluster: sudo bash scripts/cluster/up.sh && . scripts/cluster/env.sh)` };
  }
  return undefined;
}

/** Runs the checks of a target in order; returns the first miss, or undefined when the deploy has what it needs. */
export async function preflight(input: PreflightInput, probe: Probe): Promise<Miss | undefined> {
  if (input.target !== 'kubernetes') {
    const miss = await checkDocker(input, probe);
    if (miss) return miss;
  } else {
    const miss = await checkKubernetes(input, probe);
    if (miss) return miss;
  }
  return checkProviders(input, probe);
}

/** The one line printed for a miss. */
export function missLine(stack: string, miss: Miss): string {
  return `error: ${stack} cannot deploy: ${miss.piece} missing: ${miss.detail}. Fix: ${miss.fix}`;
}
