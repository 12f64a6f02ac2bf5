import { removeDockerLeftovers } from '../../../e2e/lib/leftovers';
import { run } from '../../../e2e/lib/run';

jest.mock('../../../e2e/lib/run', () => ({ run: jest.fn(), log: jest.fn() }));
const docker = run as jest.MockedFunction<typeof run>;

/** The engine as `docker ps/network ls/volume ls` would list it; every other command succeeds. */
function engine(listed: { ps?: string[]; network?: string[]; volume?: string[] }) {
  docker.mockImplementation(async (_log, _command, args) => {
    const kind = args[0] === 'ps' ? 'ps' : args[1] === 'ls' ? args[0] as 'network' | 'volume' : undefined;
    return { code: 0, stdout: kind ? `${(listed[kind] ?? []).join('\n')}\n` : '', stderr: '' };
  });
}

describe('removing what an e2e run left on the Docker engine', () => {
  beforeEach(() => docker.mockReset());

  it('refuses a name that is not an e2e name before asking the engine anything: it removes volumes', async () => {
    engine({ volume: ['wordpress-mysql-data'] });
    await expect(removeDockerLeftovers('t', 'wordpress')).rejects.toThrow(/"wordpress" is not an e2e name \(wpcdk-\*\)/);
    expect(docker).not.toHaveBeenCalled();
  });

  it('lists by the part-of label and name prefixes, then removes containers before their networks and volumes', async () => {
    engine({ ps: ['wpcdk-lc-wordpress', 'wpcdk-lc-mysql'], network: ['wpcdk-lc', 'wpcdk-lc-mysql'], volume: ['wpcdk-lc-mysql-data'] });
    const removed = await removeDockerLeftovers('t', 'wpcdk-lc');
    expect(removed).toEqual(['container wpcdk-lc-wordpress', 'container wpcdk-lc-mysql', 'network wpcdk-lc', 'network wpcdk-lc-mysql', 'volume wpcdk-lc-mysql-data']);
    const calls = docker.mock.calls.map(([, , args]) => args.join(' '));
    expect(calls.slice(0, 3)).toEqual([
      'ps -a --filter label=app.kubernetes.io/part-of=wpcdk-lc --format {{.Names}}',
      'network ls --filter name=^wpcdk-lc(-|$) --format {{.Name}}',
      'volume ls --filter name=^wpcdk-lc- --format {{.Name}}',
    ]);
    expect(calls.slice(3)).toEqual([
      'rm -f -v wpcdk-lc-wordpress wpcdk-lc-mysql',
      'network rm wpcdk-lc wpcdk-lc-mysql',
      'volume rm -f wpcdk-lc-mysql-data',
    ]);
  });

  it('removes nothing when nothing is left', async () => {
    engine({});
    expect(await removeDockerLeftovers('t', 'wpcdk-e2e')).toEqual([]);
    expect(docker).toHaveBeenCalledTimes(3);
  });
});
