/**
 * The closed sets of choices the constructs accept, in a module without
 * provider bindings: the config reads them without loading any construct.
 */

// Kubernetes
export const ACCESS_MODES = ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export type ImagePullPolicy = (typeof IMAGE_PULL_POLICIES)[number];

export const SERVICE_TYPES = ['NodePort', 'LoadBalancer', 'ClusterIP'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

// Docker Swarm
export const ENDPOINT_MODES = ['dnsrr', 'vip'] as const;
export type EndpointMode = (typeof ENDPOINT_MODES)[number];

export const UPDATE_ORDERS = ['start-first', 'stop-first'] as const;
export type UpdateOrder = (typeof UPDATE_ORDERS)[number];

export const NETWORK_KEYS = ['name', 'id'] as const;
export type NetworkKey = (typeof NETWORK_KEYS)[number];

export const PUBLISH_MODES = ['host', 'ingress'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

// Terraform state
export const STATE_BACKENDS = ['local', 'kubernetes', 'http'] as const;
export type StateBackend = (typeof STATE_BACKENDS)[number];
