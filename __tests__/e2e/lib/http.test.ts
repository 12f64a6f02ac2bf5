import { createServer as createHttpServer, Server } from 'node:http';
import { createServer as createTcpServer, Server as TcpServer } from 'node:net';
import { AddressInfo } from 'node:net';
import { get, waitFor } from '../../../e2e/lib/http';

const listen = async <T extends Server | TcpServer>(server: T): Promise<{ server: T; url: string }> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};
const close = (server: Server | TcpServer) => new Promise((resolve) => server.close(resolve));

describe('get, one connection per request', () => {
  it('fails at once on a connection the server closes without answering (as docker-proxy does before its container listens)', async () => {
    const { server, url } = await listen(createTcpServer((socket) => socket.destroy()));
    try {
      // A 60 s request timeout: only an immediate failure ends within the test's own 5 s.
      await expect(get(`${url}/wp-admin/install.php`, 60_000)).resolves.toEqual({ status: 0, body: '' });
      await expect(get(`${url}/`, 60_000)).resolves.toEqual({ status: 0, body: '' });
    } finally {
      await close(server);
    }
  });

  it('returns status and body, does not follow redirects, and opens a connection per request', async () => {
    const peers = new Set<number>();
    const { server, url } = await listen(createHttpServer((req, res) => {
      peers.add(req.socket.remotePort ?? 0);
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<form id="setup">é</form>');
    }));
    try {
      expect(await get(`${url}/`)).toEqual({ status: 200, body: '<form id="setup">é</form>' });
      expect((await get(`${url}/old`)).status).toBe(302);
      expect(peers.size).toBe(2);
    } finally {
      await close(server);
    }
  });

  it('lets waitFor poll past error answers to the first accepted one', async () => {
    let answered = 0;
    const { server, url } = await listen(createHttpServer((_req, res) => {
      answered += 1;
      if (answered < 3) res.writeHead(500).end('Error establishing a database connection');
      else res.writeHead(200).end('<form id="setup"></form>');
    }));
    try {
      await waitFor(url, (r) => r.status === 200, 4000, 10);
      expect(answered).toBe(3);
    } finally {
      await close(server);
    }
  });
});
