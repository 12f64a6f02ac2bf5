import { UsageError, backup, migrate, restore } from '../../lifecycle/commands';

const print = () => undefined;

test.each([
  ['backup', () => backup([], {}, print), 'usage: npm run backup -- <stack> [--out <file>]'],
  ['backup with a stray argument', () => backup(['wordpress-docker', 'x'], {}, print), 'usage: npm run backup'],
  ['restore without an archive', () => restore(['wordpress-docker'], {}, print), 'usage: npm run restore -- <stack> <archive>'],
  ['migrate to itself', () => migrate(['wordpress-docker', 'wordpress-docker'], {}, print), 'from and to are both wordpress-docker'],
])('%s is a usage error', async (_what, run, message) => {
  await expect(run()).rejects.toThrow(UsageError);
  await expect(run()).rejects.toThrow(message);
});

test('migrate checks both stacks before writing anything', async () => {
  await expect(migrate(['wordpress-docker', 'nope'], { WPCDK_APP_NAME: 'never-deployed' }, print)).rejects.toThrow(/not deployed|unknown stack "nope"/);
});
