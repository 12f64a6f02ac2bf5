import { TerraformBackend, TerraformRemoteState, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { AppConfig } from './config';

/**
 * A Terraform backend block whose attributes are given as written (cdktf 0.21 has
 * no class for the `kubernetes` backend, and its `HttpBackend` insists on an
 * `address`, which GitLab's managed state passes as `TF_HTTP_ADDRESS`).
 */
export class StateBackend extends TerraformBackend {
  constructor(scope: Construct, type: string, private readonly attributes: Readonly<Record<string, string>>) {
    super(scope, 'backend', type);
  }

  protected synthesizeAttributes(): Record<string, string> {
    return { ...this.attributes };
  }

  getRemoteStateDataSource(_scope: Construct, _name: string, fromStack: string): TerraformRemoteState {
    throw new Error(`${fromStack}: reading the state of another stack is not supported with the ${this.name} backend`);
  }
}

/**
 * Where Terraform keeps a stack's state (`WPCDK_STATE_BACKEND`):
 * - `local` (default, no block): `terraform.<stack>.tfstate` in the project folder, for laptops;
 * - `kubernetes`: a Secret `tfstate-default-<stack>` in `WPCDK_STATE_NAMESPACE` (default
 *   `default`) of the kubeconfig's cluster, locked with a Lease, for CI runners that keep no files;
 * - `http`: an empty `http` block, configured by `TF_HTTP_ADDRESS`, `TF_HTTP_LOCK_ADDRESS`,
 *   `TF_HTTP_UNLOCK_ADDRESS`, `TF_HTTP_USERNAME` and `TF_HTTP_PASSWORD` (GitLab's managed
 *   Terraform state); nothing secret is synthesized.
 * Returns the backend, or undefined for `local`.
 */
export function stateBackend(stack: TerraformStack, config: AppConfig): StateBackend | undefined {
  switch (config.stateBackend ?? 'local') {
    case 'kubernetes':
      return new StateBackend(stack, 'kubernetes', { secret_suffix: stack.node.id, config_path: config.kubeconfig, namespace: config.stateNamespace ?? 'default' });
    case 'http':
      return new StateBackend(stack, 'http', {});
    default:
      return undefined;
  }
}
