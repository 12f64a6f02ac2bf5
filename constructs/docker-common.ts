import { ContainerCapabilities, ContainerHealthcheck, ContainerLabels } from '@cdktf/provider-docker/lib/container';
import { CAPABILITIES, Component, HEALTH } from './app-model';

/**
 * Formats seconds the way the Docker provider reads durations back from the
 * engine (Go's time.Duration), so a re-apply sees no change: 90 -> "1m30s".
 */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** A Docker healthcheck with the app model's timing, every field explicit. */
export function dockerHealthcheck(command: readonly string[]): ContainerHealthcheck {
  return {
    test: ['CMD', ...command],
    interval: goDuration(HEALTH.intervalSeconds),
    timeout: goDuration(HEALTH.timeoutSeconds),
    retries: HEALTH.failureThreshold,
    startPeriod: goDuration(HEALTH.startupSeconds),
  };
}

export function dockerLabels(labels: Record<string, string>): ContainerLabels[] {
  return Object.entries(labels).map(([label, value]) => ({ label, value }));
}

/** `KEY=VALUE` strings, as docker_container's `env` wants them. */
export function dockerEnv(env: Record<string, string>): string[] {
  return Object.entries(env).map(([key, value]) => `${key}=${value}`);
}

/**
 * `cap_drop ALL` plus the component's capabilities, spelled as the engine
 * reports them back (`CAP_CHOWN`), so a re-apply does not replace the container.
 */
export function dockerCapabilities(component: Component): ContainerCapabilities {
  return { drop: ['ALL'], add: CAPABILITIES[component].map((name) => `CAP_${name}`) };
}

/** Restart policies of `docker run --restart`. */
export const RESTART_POLICIES = ['no', 'on-failure', 'always', 'unless-stopped'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];
