import { Construct } from 'constructs';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { claimName } from './names';
import { HEALTH, ServiceDescription, labelsOf } from './service';

/** What the Docker and Swarm renderers share: names, image, volumes, healthcheck, labels. */

/** `<appName>-<name>`: container, service and own-network name; prefix of its volumes. */
export function dockerName(service: ServiceDescription): string {
  return `${service.appName}-${service.name}`;
}

/** The image, kept locally on destroy (the next deploy starts at once, offline too). */
export function dockerImage(scope: Construct, service: ServiceDescription): Image {
  return new Image(scope, 'image', { name: service.image, keepLocally: true });
}

/** A named volume per volume of the service, `<appName>-<name>-<volume>`, by volume name. */
export function dockerVolumes(scope: Construct, service: ServiceDescription): Record<string, Volume> {
  const volumes: Record<string, Volume> = {};
  for (const volume of service.volumes) {
    const name = `${dockerName(service)}-${volume.name}`;
    claimName(scope, 'Docker volume', name);
    // The construct id is the volume name: a stable Terraform address keeps the data.
    volumes[volume.name] = new Volume(scope, volume.name, { name });
  }
  return volumes;
}

/** The healthcheck with the shared timing, every field explicit (no diff on re-apply). */
export function dockerHealthcheck(service: ServiceDescription) {
  return {
    test: ['CMD', ...service.health.command],
    interval: goDuration(HEALTH.intervalSeconds),
    timeout: goDuration(HEALTH.timeoutSeconds),
    retries: HEALTH.failureThreshold,
    startPeriod: goDuration(HEALTH.startupSeconds),
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
