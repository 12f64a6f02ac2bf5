import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError, lastLines, runCommand } from '../../lifecycle/exec';

describe('runCommand', () => {
  test('feeds stdin and returns stdout', async () => {
    expect((await runCommand('cat', 'cat', [], { stdin: Buffer.from('abc') })).toString()).toBe('abc');
  });

  test('writes stdout to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exec-test-'));
    try {
      await runCommand('echo', 'sh', ['-c', 'printf hello'], { stdoutFile: join(dir, 'out') });
      expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('hello');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('a failure names the command, its exit code and the end of its stderr, not its arguments', async () => {
    const failing = runCommand('the dump', 'sh', ['-c', 'echo secret-script >/dev/null; echo first >&2; echo "last words" >&2; exit 3']);
    await expect(failing).rejects.toThrow(CommandError);
    await expect(runCommand('the dump', 'sh', ['-c', 'echo "last words" >&2; exit 3'])).rejects.toThrow('the dump failed (exit 3): last words');
  });

  test('a command that exits before reading its input reports its own failure', async () => {
    await expect(runCommand('x', 'sh', ['-c', 'exit 4'], { stdin: Buffer.alloc(1 << 20) })).rejects.toThrow('x failed (exit 4)');
  });

  test('a missing program is named', async () => {
    await expect(runCommand('kubectl get', 'no-such-program-xyz', [])).rejects.toThrow('no-such-program-xyz is not installed');
  });
});

describe('lastLines', () => {
  test('keeps the last non-empty lines, each cut short', () => {
    expect(lastLines(`a\n\nb\nc\n${'x'.repeat(300)}\n`, 2, 10)).toBe('c | xxxxxxxxxx…');
  });
});
