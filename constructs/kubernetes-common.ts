import { Construct } from 'constructs';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { CAPABILITIES, Component, ComputeResources, HEALTH } from './app-model';
import { checkDnsSubdomain, checkQuantity, checkStorageSize } from './validation';

export const ACCESS_MODES = ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export type ImagePullPolicy = (typeof IMAGE_PULL_POLICIES)[number];

/** Probe timing from the app model; the same numbers drive the Docker healthchecks. */
export const PROBE_TIMING = {
  periodSeconds: HEALTH.intervalSeconds,
  timeoutSeconds: HEALTH.timeoutSeconds,
  failureThreshold: HEALTH.failureThreshold,
} as const;

/** A startup probe's timing: liveness waits until the first start (DB init) is done. */
export const STARTUP_PROBE_TIMING = {
  periodSeconds: HEALTH.intervalSeconds,
  timeoutSeconds: HEALTH.timeoutSeconds,
  failureThreshold: Math.ceil(HEALTH.startupSeconds / HEALTH.intervalSeconds),
} as const;

/** Liveness is checked less often than readiness: a restart is a bigger hammer. */
export const LIVENESS_TIMING = { ...PROBE_TIMING, periodSeconds: 10 } as const;

export const POD_SECURITY_CONTEXT = { seccompProfile: { type: 'RuntimeDefault' } } as const;

/** No privilege escalation and only the capabilities the image's entrypoint needs. */
export function containerSecurityContext(component: Component) {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'], add: [...CAPABILITIES[component]] },
  };
}

export function containerResources(resources: ComputeResources) {
  return {
    requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
    limits: { memory: resources.memoryLimit },
  };
}

export function checkResources(owner: string, prop: string, resources: ComputeResources): void {
  checkQuantity(owner, `${prop}.cpuRequest`, resources.cpuRequest);
  checkQuantity(owner, `${prop}.memoryRequest`, resources.memoryRequest);
  checkQuantity(owner, `${prop}.memoryLimit`, resources.memoryLimit);
}

export interface VolumeClaimOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly size: string;
  readonly accessMode: AccessMode;
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
}

/** Checks the `storageSize` and `storageClass` props shared by both components. */
export function checkStorage(owner: string, size: string, storageClass: string | undefined): void {
  checkStorageSize(owner, 'storageSize', size);
  if (storageClass !== undefined) checkDnsSubdomain(owner, 'storageClass', storageClass);
}

/**
 * A PVC that does not block the apply: with a WaitForFirstConsumer class it
 * binds only once the pod using it is scheduled, which happens after the claim.
 */
export function volumeClaim(scope: Construct, id: string, options: VolumeClaimOptions): PersistentVolumeClaimV1 {
  return new PersistentVolumeClaimV1(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      accessModes: [options.accessMode],
      storageClassName: options.storageClass,
      resources: { requests: { storage: options.size } },
    },
    waitUntilBound: false,
  });
}
