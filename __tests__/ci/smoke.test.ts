import { spawn } from 'node:child_process';
import { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'ci', 'smoke.mjs');

function smoke(url: string, timeout: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [SCRIPT, url], { env: { ...process.env, SMOKE_TIMEOUT_SECONDS: String(timeout), SMOKE_INTERVAL_MS: '20' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('scripts/ci/smoke.mjs', () => {
  it('waits through errors for the first 200, and fails when it never comes', async () => {
    let calls = 0;
    const server = createServer((_req, res) => { calls += 1; res.writeHead(calls < 3 ? 500 : 200).end(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wp-admin/install.php`;
    try {
      const ok = await smoke(url, 10);
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/-> 500 after .*\n.*-> 200 after/);
      server.removeAllListeners('request');
      server.on('request', (_req, res) => res.writeHead(503).end());
      const failed = await smoke(url, 0.05);
      expect(failed.code).toBe(1);
      expect(failed.out).toContain('did not answer 200 within 0.05 s (last: 503)');
    } finally {
      server.close();
    }
  });
});
