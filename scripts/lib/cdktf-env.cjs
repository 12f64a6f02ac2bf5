// The options and environment the project's cdktf commands (scripts/deploy.mjs, scripts/destroy.mjs) run
// with, in one place:
// - WPCDK_STACKS: the synth builds only the stack the command is for;
// - CHECKPOINT_DISABLE: no telemetry call (it hangs offline);
// - TF_DISABLE_PLUGIN_TLS: Terraform talks to its providers without the mutual TLS it otherwise
//   negotiates for every provider process it starts (a new P-521 key and certificate on each side
//   and a handshake: four starts of each provider per deploy, ~0.15 s of a first Docker deploy
//   here; README "Speed"). On Linux and macOS that channel is a unix socket under /tmp whose mode
//   comes from the umask (0755 with the usual 022: only its owner may connect), so TLS keeps out
//   nobody that a process of the same user could not reach anyway. On Windows the providers listen on TCP 127.0.0.1, where the TLS is what keeps
//   other local users out: there it stays on. A value the user set (even empty: TLS on) wins.
// CommonJS, so that the unit test loads it in-process.
/** The options of every deploy and destroy: no prompt; the lock file filled by `terraform init` from the
 *  provider source it finds (offline, `terraform providers lock` asks the registry: see the README,
 *  "Offline / air-gapped"). */
const CLI_OPTIONS = ['--auto-approve', '--skip-provider-lock'];

/** The variables to add to `env` for a cdktf command of `stack` on `platform`. */
function cdktfEnv(stack, env = process.env, platform = process.platform) {
  return {
    WPCDK_STACKS: stack,
    CHECKPOINT_DISABLE: env.CHECKPOINT_DISABLE || '1',
    ...(env.TF_DISABLE_PLUGIN_TLS === undefined && platform !== 'win32' ? { TF_DISABLE_PLUGIN_TLS: '1' } : {}),
  };
}

module.exports = { CLI_OPTIONS, cdktfEnv };
