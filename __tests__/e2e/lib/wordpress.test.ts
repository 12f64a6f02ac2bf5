import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { findPublishedPost, postServedSteadily } from '../../../e2e/lib/wordpress';

/** A stand-in WordPress whose REST search answers from `answers` in turn (the last one repeats). */
async function fakeWordPress(answers: readonly { status: number; body: string }[]) {
  const queries: string[] = [];
  const server: Server = createServer((req, res) => {
    queries.push(req.url ?? '');
    const answer = answers[Math.min(queries.length, answers.length) - 1];
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, queries, close: () => new Promise((resolve) => server.close(resolve)) };
}

const post = (id: number, title: string) => ({ id, link: `http://site/?p=${id}`, title: { rendered: title } });

describe('findPublishedPost', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => { stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined); });
  afterEach(() => stderr.mockRestore());

  it('searches the REST API for the title and returns the post whose title is exactly it', async () => {
    const title = 'Hello from cdktf on Docker 1a2b3c';
    const site = await fakeWordPress([{ status: 200, body: JSON.stringify([post(7, `${title} (copy)`), post(9, title)]) }]);
    try {
      expect(await findPublishedPost(site.url, title, { intervalMs: 1 })).toEqual(post(9, title));
      expect(site.queries).toEqual([`/?rest_route=/wp/v2/posts&search=${encodeURIComponent(title)}`]);
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      await site.close();
    }
  });

  it('asks again after an error answer or a list without the post, and logs what each answer was', async () => {
    const site = await fakeWordPress([
      { status: 502, body: 'Bad Gateway' },
      { status: 200, body: '[]' },
      { status: 200, body: JSON.stringify([post(4, 'T')]) },
    ]);
    try {
      expect(await findPublishedPost(site.url, 'T', { intervalMs: 1 })).toEqual(post(4, 'T'));
      expect(site.queries).toHaveLength(3);
      expect(stderr.mock.calls.map(([line]) => String(line))).toEqual([
        expect.stringMatching(/\(1\/5\) did not list the post: status 502, 11 bytes: Bad Gateway$/),
        expect.stringMatching(/\(2\/5\) did not list the post: status 200, 2 bytes: \[\]$/),
      ]);
    } finally {
      await site.close();
    }
  });

  it('gives up after the attempts it was given, also on a body that is not JSON', async () => {
    const site = await fakeWordPress([{ status: 200, body: '<html>Error establishing a database connection</html>' }]);
    try {
      expect(await findPublishedPost(site.url, 'T', { attempts: 3, intervalMs: 1 })).toBeUndefined();
      expect(site.queries).toHaveLength(3);
      expect(stderr).toHaveBeenCalledTimes(3);
    } finally {
      await site.close();
    }
  });
});

describe('postServedSteadily', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => { stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined); });
  afterEach(() => stderr.mockRestore());
  const page = (title: string) => ({ status: 200, body: `<html><h1>${title}</h1></html>` });

  it('needs the post served that many times in a row: an error in between starts the count again, and is logged', async () => {
    const site = await fakeWordPress([page('T'), { status: 500, body: 'Error establishing a database connection' }, page('T'), page('T'), page('T')]);
    try {
      expect(await postServedSteadily(site.url, 4, 'T', { intervalMs: 1 })).toBe(true);
      expect(site.queries).toEqual(Array(5).fill('/?p=4'));
      expect(stderr.mock.calls.map(([line]) => String(line))).toEqual([
        expect.stringMatching(/\/\?p=4 did not serve the post: status 500, 40 bytes: Error establishing a database connection$/),
      ]);
    } finally {
      await site.close();
    }
  });

  it('is false when the post is not served steadily within the time given (a page without the title is not the post)', async () => {
    const site = await fakeWordPress([page('T'), page('T'), page('Another post')]);
    try {
      expect(await postServedSteadily(site.url, 4, 'T', { intervalMs: 5, timeoutMs: 200 })).toBe(false);
      expect(stderr).toHaveBeenCalled();
    } finally {
      await site.close();
    }
  });
});
