/**
 * The stacks' names and targets, in a module without provider bindings: the
 * preflight and the lifecycle commands read them without loading any construct.
 */
import type { Target } from './config';

/** Name of the stack: `cdktf deploy wordpress-docker`. */
export const DOCKER_STACK = 'wordpress-docker';
/** Name of the stack: `cdktf deploy wordpress-swarm`. */
export const SWARM_STACK = 'wordpress-swarm';
/** Name of the stack: `cdktf deploy wordpress-k8s`. */
export const KUBERNETES_STACK = 'wordpress-k8s';

/** Each stack's target. */
export const STACK_TARGETS: Readonly<Record<string, Target>> = {
  [DOCKER_STACK]: 'docker',
  [SWARM_STACK]: 'swarm',
  [KUBERNETES_STACK]: 'kubernetes',
};
