import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { TrackerRequestError } from '../cli-error.js';
import { httpGet, isSuccess, statusText } from './http-get.js';

describe('httpGet', () => {
  let server: Server;
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hop') return void res.writeHead(302, { location: '/final?x=1' }).end();
      if (req.url === '/loop') return void res.writeHead(307, { location: '/loop' }).end();
      if (req.url === '/final?x=1') return void res.end('landed');
      if (req.url === '/silent') return; // never answers
      if (req.url === '/big') return void res.end(Buffer.alloc(2048));
      res.writeHead(404, 'Gone Fishing').end('nope');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('returns any status with its body', async () => {
    const res = await httpGet(`${base}/missing`, { timeoutMs: 1000 });
    assert.deepEqual([res.status, res.body.toString()], [404, 'nope']);
  });

  it('follows redirects and reports the final URL', async () => {
    const res = await httpGet(`${base}/hop`, { timeoutMs: 1000 });
    assert.deepEqual([res.status, res.url, res.body.toString()], [200, `${base}/final?x=1`, 'landed']);
  });

  it('stops after too many redirects', async () => {
    await assert.rejects(httpGet(`${base}/loop`, { timeoutMs: 1000, maxRedirects: 3 }), /too many redirects/);
  });

  it('gives up after the time limit with a timeout error', async () => {
    const error = await httpGet(`${base}/silent`, { timeoutMs: 100 }).catch((e: unknown) => e);
    assert.ok(error instanceof TrackerRequestError && error.timeout, String(error));
  });

  it('refuses bodies over the size limit', async () => {
    await assert.rejects(httpGet(`${base}/big`, { timeoutMs: 1000, maxBodyBytes: 1024 }), /exceeds 1024 bytes/);
  });

  it('prints statuses as Rust`s StatusCode does (canonical reason)', () => {
    assert.equal(statusText(200), '200 OK');
    assert.equal(statusText(404), '404 Not Found');
    assert.equal(statusText(599), '599 <unknown status code>');
    assert.deepEqual([199, 200, 299, 300].map(isSuccess), [false, true, true, false]);
  });
});
