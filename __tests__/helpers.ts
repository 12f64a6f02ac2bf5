import 'cdktf/lib/testing/adapters/jest';
import { App, TerraformStack, Testing } from 'cdktf';
import { AppConfig, loadConfig } from '../stacks/config';

/** A config independent of the machine running the tests (no home directory in snapshots). */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ WPCDK_KUBECONFIG: '/kube/config' }), ...overrides };
}

export interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
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
  return Object.values(config.resource[type] ?? {});
}

/** The one resource of a type whose `name` or `metadata.name` is `name` (cdktf metadata removed). */
export function resourceNamed(json: string, type: { tfResourceType: string }, name: string): Record<string, unknown> {
  const all = Object.values((JSON.parse(json) as Synthesized).resource[type.tfResourceType] ?? {});
  const found = all.filter((r) => r.name === name || (r.metadata as { name?: string } | undefined)?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type.tfResourceType} named ${name}, found ${found.length}`);
  const { '//': _metadata, ...rest } = found[0];
  return rest;
}
