import { DEFAULT_APP_NAME, LABEL, MYSQL } from '../constructs/app-model';
import { dockerName } from '../constructs/docker-common';
import { mysqlService } from '../constructs/mysql';
import { SecretValue, ServiceDescription, selectorOf } from '../constructs/service';
import { wordpressService } from '../constructs/wordpress';
import { dockerAppName } from '../stacks/docker-app';
import { SWARM_DEFAULTS } from '../stacks/swarm-stack';
import { RunIo, runCommand } from './exec';
import { DeployedStack, StackError } from './stack';

/** A running container to run commands in, through the engine's or the cluster's CLI. */
export interface Shell {
  /** For people: `container wordpress-mysql`, `pod wordpress/mysql-5f7c-x2`. */
  readonly describe: string;
  exec(argv: readonly string[], io?: RunIo): Promise<Buffer>;
}

export interface SiteContainers {
  readonly database: Shell;
  readonly wordpress: Shell;
}

/** The stack's MySQL and WordPress, as the constructs describe them (only names and labels are read). */
export function serviceDescriptions(appName: string): { mysql: ServiceDescription; wordpress: ServiceDescription } {
  const unused = SecretValue.fromEnvironment('unused');
  const credentials = { databaseName: 'unused', username: 'unused', rootPassword: unused, userPassword: unused };
  return {
    mysql: mysqlService({ credentials, appName }),
    wordpress: wordpressService({ database: { host: MYSQL.host, port: MYSQL.port, databaseName: 'unused', username: 'unused', password: unused }, appName }),
  };
}

/** Docker: `docker exec -i` into a container by id or name. */
export function dockerShell(container: string, describe: string): Shell {
  return {
    describe,
    exec: (argv, io) => runCommand(`${describe}: ${argv[0]}`, 'docker', ['exec', '-i', container, ...argv], io),
  };
}

/** Kubernetes: `kubectl exec -i` into a container of a pod. */
export function kubernetesShell(kubectl: readonly string[], pod: string, container: string, describe: string): Shell {
  return {
    describe,
    exec: (argv, io) => runCommand(`${describe}: ${argv[0]}`, 'kubectl', [...kubectl, 'exec', '-i', pod, '-c', container, '--', ...argv], io),
  };
}

/** `kubectl` options for the stack's kubeconfig, context and namespace. */
export function kubectlOptions(stack: DeployedStack): string[] {
  const { config } = stack;
  return ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : []), '--namespace', config.namespace];
}

/** Finds the running database and WordPress containers of a deployed stack. */
export async function siteContainers(stack: DeployedStack): Promise<SiteContainers> {
  switch (stack.target) {
    case 'docker': {
      const { mysql, wordpress } = serviceDescriptions(dockerAppName(stack.config));
      return { database: await dockerContainer(stack, dockerName(mysql)), wordpress: await dockerContainer(stack, dockerName(wordpress)) };
    }
    case 'swarm': {
      const { mysql, wordpress } = serviceDescriptions(dockerAppName(stack.config, SWARM_DEFAULTS.nameSuffix));
      return { database: await swarmTask(stack, dockerName(mysql)), wordpress: await swarmTask(stack, dockerName(wordpress)) };
    }
    case 'kubernetes': {
      const { mysql, wordpress } = serviceDescriptions(stack.config.appName ?? DEFAULT_APP_NAME);
      return { database: await readyPod(stack, mysql), wordpress: await readyPod(stack, wordpress) };
    }
  }
}

const appHint = (stack: DeployedStack) => `is ${stack.id} deployed and running with the same settings (WPCDK_APP_NAME=${stack.config.appName ?? DEFAULT_APP_NAME})?`;

async function dockerContainer(stack: DeployedStack, name: string): Promise<Shell> {
  const state = await runCommand(`docker inspect ${name}`, 'docker', ['inspect', '--format', '{{.State.Running}}', name])
    .then((out) => out.toString().trim(), () => 'missing');
  if (state !== 'true') throw new StackError(`${stack.id}: container ${name} is ${state === 'missing' ? 'not there' : 'not running'}: ${appHint(stack)}`);
  return dockerShell(name, `container ${name}`);
}

async function swarmTask(stack: DeployedStack, service: string): Promise<Shell> {
  const out = await runCommand(`docker ps (service ${service})`, 'docker', [
    'ps', '--filter', `label=com.docker.swarm.service.name=${service}`, '--filter', 'status=running', '--format', '{{.ID}} {{.Names}}',
  ]);
  const [id, name] = out.toString().trim().split('\n')[0].split(' ');
  if (!id) throw new StackError(`${stack.id}: no running task of Swarm service ${service} on this engine: ${appHint(stack)}`);
  return dockerShell(id, `container ${name} (service ${service})`);
}

interface PodList {
  items: { metadata: { name: string; deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

async function readyPod(stack: DeployedStack, service: ServiceDescription): Promise<Shell> {
  const kubectl = kubectlOptions(stack);
  const selector = Object.entries(selectorOf(service)).map(([k, v]) => `${k}=${v}`).join(',');
  const out = await runCommand(`kubectl get pods -l ${selector}`, 'kubectl', [...kubectl, 'get', 'pods', '-l', selector, '-o', 'json']);
  const pods = (JSON.parse(out.toString()) as PodList).items;
  const ready = pods.find((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (!ready) {
    throw new StackError(`${stack.id}: no Ready pod with ${LABEL.component}=${service.name} in namespace ${stack.config.namespace} `
      + `(${pods.length} found): is ${stack.id} deployed and running with the same settings (WPCDK_NAMESPACE, WPCDK_KUBE_CONTEXT, WPCDK_APP_NAME)?`);
  }
  return kubernetesShell(kubectl, ready.metadata.name, service.name, `pod ${stack.config.namespace}/${ready.metadata.name}`);
}
