import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'cdktf/lib/testing/adapters/jest';
import { App, TerraformStack, Testing } from 'cdktf';
import { AppConfig, loadConfig } from '../stacks/config';

// cdktf's matchers (toHaveResource...) for the files that synthesize; __tests__/setup.ts loads no cdktf.
Testing.setupJest();

// Testing.app() makes a new empty folder in the temp dir for every app, as its outdir (~850 per run
// of the suite, all removed at its end). Nothing here writes to an app's outdir (Testing.synth
// returns the JSON; Testing.fullSynth makes a folder of its own): one folder serves the apps of
// this file that name none.
const appOutdir = mkdtempSync(join(tmpdir(), 'cdktf.outdir.'));
const testingApp = Testing.app.bind(Testing);
Testing.app = (options = {}) => testingApp({ outdir: appOutdir, ...options });

/** A config independent of the machine running the tests (no home directory in snapshots). */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ WPCDK_KUBECONFIG: '/kube/config' }), ...overrides };
}

export interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  variable?: Record<string, Record<string, unknown>>;
  terraform: { required_providers: Record<string, { source: string; version: string }> };
  provider: Record<string, unknown[]>;
}

/** Synthesizes a stack with validations on and returns the JSON as text and object. */
export function synthStack(build: (app: App) => TerraformStack): { json: string; config: Synthesized } {
  const app = Testing.app();
  const stack = build(app);
  const json = Testing.synth(stack, true);
  return { json, config: JSON.parse(json) as Synthesized };
}

/** All resources of one type, without cdktf's metadata. */
export function resources(config: Synthesized, type: string): Record<string, unknown>[] {
  return Object.values(config.resource[type] ?? {}).map(({ '//': _metadata, ...rest }) => rest);
}

/** The one resource of a type whose `name` or `metadata.name` is `name` (cdktf metadata removed). */
export function resourceNamed(json: string, type: { tfResourceType: string } | string, name: string): Record<string, unknown> {
  const all = resources(JSON.parse(json) as Synthesized, typeof type === 'string' ? type : type.tfResourceType);
  const found = all.filter((r) => r.name === name || (r.metadata as { name?: string } | undefined)?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${typeof type === 'string' ? type : type.tfResourceType} named ${name}, found ${found.length}`);
  return found[0];
}

export interface DockerContainer {
  name: string;
  env: string[];
  ports?: unknown[];
  networks_advanced: { name: string; aliases?: string[] }[];
  volumes: { volume_name: string; container_path: string }[];
  labels: { label: string; value: string }[];
  [key: string]: unknown;
}

export const containerNamed = (json: string, name: string) => resourceNamed(json, 'docker_container', name) as DockerContainer;

/** The value of `KEY` in a Docker env list. */
export const envValue = (env: string[], key: string) => env.find((e) => e.startsWith(`${key}=`))?.slice(key.length + 1);

export interface PodContainer {
  name: string;
  image: string;
  env: { name: string; value?: string; value_from?: { secret_key_ref: { name: string; key: string } } }[];
  volume_mount: { name: string; mount_path: string }[];
  port: { name: string; container_port: number }[];
  [key: string]: unknown;
}
export interface Deployment {
  metadata: { name: string; namespace: string };
  spec: {
    replicas: string; strategy: { type: string }; selector: { match_labels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { container: PodContainer[]; security_context: unknown; volume: unknown[] } };
  };
}

export interface SwarmServiceJson {
  name: string;
  endpoint_spec: { mode: string; ports?: unknown[] };
  mode: { replicated: { replicas: number } };
  update_config: Record<string, unknown>;
  rollback_config: Record<string, unknown>;
  labels: { label: string; value: string }[];
  task_spec: {
    container_spec: {
      env?: Record<string, string>; secrets?: { file_name: string; secret_name: string }[]; configs?: { file_name: string }[];
      mounts?: { source: string; target: string }[]; cap_add?: string[]; cap_drop: string[];
    };
    resources: unknown; restart_policy: unknown; networks_advanced?: { name: string; aliases: string[] }[];
  };
}
export const swarmServiceNamed = (json: string, name: string) => resourceNamed(json, 'docker_service', name) as unknown as SwarmServiceJson;

export const deploymentNamed = (json: string, name: string) => resourceNamed(json, 'kubernetes_deployment_v1', name) as unknown as Deployment;

/** Where a pod member's secret files come from: `{ secret, key }` by file (env variable) name. */
export function secretFilesOf(deployment: Deployment, volumeName = 'secrets'): Record<string, { secret: string; key: string }> {
  type Projected = { name: string; projected?: { sources: { secret: { name: string; items: { key: string; path: string }[] }[] }[] }[] };
  const volume = (deployment.spec.template.spec.volume as Projected[]).find((v) => v.name === volumeName);
  return Object.fromEntries((volume?.projected?.[0].sources ?? []).flatMap((source) => source.secret.flatMap((secret) =>
    secret.items.map((item) => [item.path, { secret: secret.name, key: item.key }]))));
}

export { passwordValues } from './password-values';

