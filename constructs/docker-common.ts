import { Construct } from 'constructs';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { claimName } from './names';
import { DataProtectionOptions, HEALTH, ServiceDescription, dataLifecycle, labelsOf } from './service';

/** What the Docker and Swarm renderers share: names, image, volumes, healthcheck, labels. */

/** Docker's json-file log driver, rotated: at most 3 files of 10 MB per container (or task). */
export const DOCKER_LOG = { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } } as const;

/** `<appName>-<name>`: container, service and own-network name; prefix of its volumes. */
export function dockerName(service: Pick<ServiceDescription, 'appName' | 'name'>): string {
  return `${service.appName}-${service.name}`;
}

/** Where a container or a Swarm service is reachable. */
export interface DockerNetworkOptions {
  /** Networks it joins, reachable there by its service name. @default - none */
  readonly networks?: Network[];
  /** A network of its own, `<appName>-<name>`, that `allowFrom` lets clients join. @default false */
  readonly ownNetwork?: boolean;
}

/** The network of its own a service gets with `ownNetwork` (overlay for Swarm services). */
export function ownNetwork(scope: Construct, service: ServiceDescription, driver?: 'overlay'): Network {
  const name = dockerName(service);
  claimName(scope, 'Docker network', name);
  return new Network(scope, 'network', driver ? { name, driver, attachable: false } : { name });
}

/** The image, kept locally on destroy (the next deploy starts at once, offline too). */
export function dockerImage(scope: Construct, service: ServiceDescription): Image {
  return new Image(scope, 'image', { name: service.image, keepLocally: true });
}

/** A named volume per volume of the service, `<appName>-<name>-<volume>`, by volume name. */
export function dockerVolumes(scope: Construct, service: ServiceDescription, protection: DataProtectionOptions): Record<string, Volume> {
  const volumes: Record<string, Volume> = {};
  for (const volume of service.volumes) {
    const name = `${dockerName(service)}-${volume.name}`;
    claimName(scope, 'Docker volume', name);
    // The construct id is the volume name: a stable Terraform address keeps the data.
    volumes[volume.name] = new Volume(scope, volume.name, { name, lifecycle: dataLifecycle(protection) });
  }
  return volumes;
}

/**
 * The healthcheck with the shared timing, every field explicit, durations
 * spelled as the provider reads them back (no diff on re-apply): containers
 * as Go prints them, Swarm services shortened (see {@link swarmDuration}).
 */
export function dockerHealthcheck(service: ServiceDescription, duration: (seconds: number) => string = goDuration) {
  return {
    test: ['CMD', ...service.health.command],
    interval: duration(HEALTH.intervalSeconds),
    timeout: duration(HEALTH.timeoutSeconds),
    retries: HEALTH.failureThreshold,
    startPeriod: duration(HEALTH.startupSeconds),
  };
}

export function dockerLabels(service: ServiceDescription): { label: string; value: string }[] {
  return Object.entries(labelsOf(service)).map(([label, value]) => ({ label, value }));
}

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

/** Durations of Swarm services, as the provider reads them back: "5m", "1h", "1m30s". */
export function swarmDuration(seconds: number): string {
  return goDuration(seconds).replace(/m0s$/, 'm').replace(/h0m$/, 'h');
}
