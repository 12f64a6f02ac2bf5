import { TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DEFAULT_APP_NAME } from '../constructs/app-model';
import { claimName } from '../constructs/names';
import { checkDnsLabel } from '../constructs/validation';
import { AppConfig, fromSettings } from './config';

/** The app name of a Docker or Swarm stack: the configured (or default) name plus the stack's suffix. */
export function dockerAppName(config: Pick<AppConfig, 'appName'>, suffix = ''): string {
  return `${config.appName ?? DEFAULT_APP_NAME}${suffix}`;
}

/**
 * What the Docker and Swarm stacks start with: the provider, the app name
 * (checked, plus the stack's suffix) and the app network everything joins.
 */
export function dockerApp(stack: TerraformStack, config: AppConfig, options: { suffix?: string; overlay?: boolean } = {}) {
  new DockerProvider(stack, 'docker');
  const suffix = options.suffix ?? '';
  const baseName = config.appName ?? DEFAULT_APP_NAME;
  // Docker names here are at most 40 characters, the suffix included.
  fromSettings(config, { appName: 'appName' }, () => checkDnsLabel(`${stack.constructor.name} ${stack.node.id}`, 'appName', baseName, 40 - suffix.length));
  const appName = dockerAppName(config, suffix);
  claimName(stack, 'Docker network', appName);
  const network = new Network(stack, 'network', options.overlay ? { name: appName, driver: 'overlay', attachable: false } : { name: appName });
  return { appName, network };
}
