/**
 * The HTTP tracker's fast path (src/http-tracker/http-fast-path.ts) over real sockets: what it
 * answers itself, that its bytes are the Fastify routes' bytes, and that everything else (split
 * requests, other versions, methods and headers, a closing listener) reaches Node and Fastify.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpFastPath } from '../../src/http-tracker/http-fast-path.js';
import { HttpTrackerServers } from '../../src/http-tracker/http-tracker.module.js';
import type { BoundListener } from '../../src/listeners/bound-listeners.js';
import { announceQueryOf } from '../support/http-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface RawResponse {
  status: number;
  /** Header lines as sent, in order. */
  headers: string[];
  body: Buffer;
}

/** A keep-alive connection that parses the answers it receives (Content-Length or chunked). */
class RawConnection {
  private readonly socket: Socket;
  private pending = Buffer.alloc(0);
  readonly responses: RawResponse[] = [];
  closed = false;
  private waiter: (() => void) | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      this.parse();
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(l: BoundListener): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: l.host, port: l.port }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Resolves once `count` answers arrived in all (or the connection closed). */
  async waitFor(count: number, ms = 3000): Promise<RawResponse[]> {
    const deadline = Date.now() + ms;
    while (this.responses.length < count && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 50);
      });
    }
    assert.ok(this.responses.length >= count, `expected ${count} answers, got ${this.responses.length}`);
    return this.responses;
  }

  /** Resolves when the server closed the connection. */
  async waitClosed(ms = 8000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await sleep(20);
    assert.ok(this.closed, 'the server closed the connection');
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private parse(): void {
    for (;;) {
      const headEnd = this.pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const lines = this.pending.toString('latin1', 0, headEnd).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0])?.[1] ?? 0);
      const headers = lines.slice(1);
      const field = (name: string) =>
        headers
          .find((h) => h.toLowerCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim();
      let bodyStart = headEnd + 4;
      let body: Buffer;
      const length = field('content-length');
      if (length !== undefined) {
        if (this.pending.length < bodyStart + Number(length)) return;
        body = this.pending.subarray(bodyStart, bodyStart + Number(length));
        bodyStart += Number(length);
      } else if (field('transfer-encoding') === 'chunked') {
        const last = this.pending.indexOf('0\r\n\r\n', bodyStart);
        if (last < 0) return;
        body = Buffer.alloc(0);
        bodyStart = last + 5;
      } else body = Buffer.alloc(0);
      this.responses.push({ status, headers, body: Buffer.from(body) });
      this.pending = this.pending.subarray(bodyStart);
    }
  }
}

const INFO_HASH = Buffer.from('0123456789abcdef0123');
const announcePath = (n: number, extra = '') =>
  `/announce?${announceQueryOf({ infoHash: INFO_HASH, peerId: Buffer.from(`-qB0000-fastpath${String(n).padStart(4, '0')}`), port: 6000 + n, left: 1 })}${extra}`;
const scrapePath = `/scrape?info_hash=${encodeURIComponent(INFO_HASH.toString('latin1'))}`;
const get = (path: string, headers = 'Host: localhost\r\n') => `GET ${path} HTTP/1.1\r\n${headers}\r\n`;
/** The answer without its Date header (the only part that may differ a second later). */
const comparable = (r: RawResponse) => ({
  status: r.status,
  headers: r.headers.filter((h) => !h.startsWith('Date: ')),
  body: r.body.toString('latin1'),
});

describe('HTTP tracker fast path', () => {
  let app: TestApp;
  let listener: BoundListener;
  const fastConnections = () => app.tracker.app.get(HttpTrackerServers).servers[0].fastConnections;

  before(async () => {
    app = await createTestApp({ http: ['127.0.0.1:0'] });
    listener = app.http[0];
  });
  after(() => app.close());

  it('answers a complete tracker GET itself and keeps the connection', async () => {
    const c = await RawConnection.open(listener);
    c.send(get(announcePath(1)));
    const [r] = await c.waitFor(1);
    assert.equal(r.status, 200);
    assert.ok(r.headers.includes('content-type: application/octet-stream'), r.headers.join('|'));
    assert.ok(r.headers.includes('Connection: keep-alive'));
    assert.ok(r.headers.includes('Keep-Alive: timeout=30'));
    assert.match(r.body.toString('latin1'), /^d8:completei0e10:incompletei1e8:intervali\d+e/);
    assert.equal(fastConnections(), 1, 'held by the fast path');
    c.destroy();
  });

  it('sends byte for byte what the Fastify routes send', async () => {
    const requests = [
      get(announcePath(2)), // a success
      get(announcePath(2, '&compact=1')), // the same peer again, compact
      get(scrapePath),
      get('/announce?info_hash=x'), // a failure (text/plain)
      get(`/announce/YZSl4lMZupRuOpSRC3krIKR5BPB14nrJ?${announcePath(2).split('?')[1]}`), // a key route
    ];
    for (const request of requests) {
      // Whole: the fast path answers. Split over two writes: handed off to Node and Fastify.
      const whole = await RawConnection.open(listener);
      whole.send(request);
      const [fast] = await whole.waitFor(1);
      assert.equal(fastConnections(), 1, request);
      whole.destroy();

      const split = await RawConnection.open(listener);
      split.send(request.slice(0, 20));
      await sleep(30);
      split.send(request.slice(20));
      const [routed] = await split.waitFor(1);
      split.destroy();
      await sleep(10);
      assert.equal(fastConnections(), 0, `the split request went to Fastify: ${request}`);
      assert.deepEqual(comparable(fast), comparable(routed), request);
    }
  });

  it('answers pipelined requests in order and hands off a trailing partial one', async () => {
    const c = await RawConnection.open(listener);
    const third = get(announcePath(3, '&numwant=0'));
    c.send(get(announcePath(3)) + get(scrapePath) + third.slice(0, 30));
    await c.waitFor(2);
    assert.equal(fastConnections(), 0, 'handed off at the partial request');
    c.send(third.slice(30));
    const answers = await c.waitFor(3);
    assert.deepEqual(
      answers.map((r) => [r.status, r.body.toString('latin1').slice(0, 8)]),
      [
        [200, 'd8:compl'],
        [200, 'd5:files'],
        [200, 'd8:compl'],
      ],
    );
    // Node serves the rest of the connection.
    c.send(get(scrapePath));
    assert.equal((await c.waitFor(4))[3].status, 200);
    c.destroy();
  });

  it('answers Connection: close and closes, as Node does', async () => {
    const c = await RawConnection.open(listener);
    c.send(get(scrapePath, 'host: localhost\r\nconnection: Close\r\n'));
    const [r] = await c.waitFor(1);
    await c.waitClosed();
    assert.equal(r.status, 200);
    assert.ok(r.headers.includes('Connection: close'));
    assert.ok(!r.headers.some((h) => h.startsWith('Keep-Alive')));
  });

  it('leaves other versions, methods and unusual headers to Node and Fastify', async () => {
    const cases: [string, number][] = [
      [`GET ${announcePath(4)} HTTP/1.0\r\n\r\n`, 200], // HTTP/1.0
      [`GET ${announcePath(4)} HTTP/1.1\r\n\r\n`, 400], // no Host
      [get(announcePath(4), 'Host: a\r\nHost: b\r\n'), 200], // two Hosts (Node keeps the first)
      [`POST ${announcePath(4)} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`, 405],
      [`OPTIONS ${scrapePath} HTTP/1.1\r\nHost: x\r\n\r\n`, 405],
      [get(announcePath(4), 'Host: x\r\nContent-Length: 2\r\n') + 'ab', 200], // a body
      [get(announcePath(4), 'Host: x\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2\r\n'), 200],
      [get(announcePath(4), 'Host: x\r\nBad Header: 1\r\n'), 400],
      [get('/announce/'), 404],
      [get('/announcex?info_hash=x'), 404],
      [get('/ann%6Funce?info_hash=x'), 200], // the router decodes the path
    ];
    for (const [request, status] of cases) {
      const c = await RawConnection.open(listener);
      c.send(request);
      const [r] = await c.waitFor(1);
      assert.equal(r.status, status, JSON.stringify(request));
      assert.equal(fastConnections(), 0, JSON.stringify(request));
      c.destroy();
      await sleep(5);
    }
  });

  it('reads header names in any case', async () => {
    const c = await RawConnection.open(listener);
    c.send(get(announcePath(5), 'HOST: x\r\nCONNECTION: keep-alive\r\nUser-Agent: \xe9t\xe9\r\n'));
    const [r] = await c.waitFor(1);
    assert.equal(r.status, 200);
    assert.equal(fastConnections(), 1);
    c.destroy();
  });

  it('keeps answering a client that sends many requests before reading any answer', async () => {
    const c = await RawConnection.open(listener);
    const n = 3000; // ~500 KiB of answers: reading pauses while they wait to be sent
    c.send(get(scrapePath).repeat(n));
    const answers = await c.waitFor(n, 20_000);
    assert.equal(answers.length, n);
    assert.ok(answers.every((r) => r.status === 200 && r.body.toString('latin1').startsWith('d5:files')));
    c.destroy();
  });

  it("answers a connection that sends nothing with Node's 408 after the headers timeout", async () => {
    const c = await RawConnection.open(listener);
    const [r] = await c.waitFor(1, 10_000);
    await c.waitClosed();
    assert.equal(r.status, 408);
  });
});

describe('HTTP tracker fast path at shutdown', () => {
  it('ends its idle keep-alive connections so the listener closes', async () => {
    const app = await createTestApp({ http: ['127.0.0.1:0'] });
    const c = await RawConnection.open(app.http[0]);
    c.send(get(scrapePath));
    await c.waitFor(1);
    assert.equal(c.closed, false);
    await app.close();
    await c.waitClosed();
  });
});

describe('HTTP tracker fast path around a failing handler', () => {
  it('answers 400, closes that connection and keeps serving others', async () => {
    const server = createServer((_req, res) => res.end('routed'));
    let calls = 0;
    const routes = {
      announce: () => {
        calls++;
        throw new Error('a defect');
      },
      scrape: () => ({ body: Buffer.from('d5:filesdee'), failure: false }),
    };
    new HttpFastPath(
      server,
      routes,
      { maxHeaderBytes: 16384, headersTimeoutMs: 5000, keepAliveTimeoutMs: 30000 },
      { success: 'application/octet-stream', failure: 'text/plain; charset=utf-8' },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    const l = { host: '127.0.0.1', port: address.port } as BoundListener;
    try {
      const failing = await RawConnection.open(l);
      failing.send(get(announcePath(1)));
      const [r] = await failing.waitFor(1);
      await failing.waitClosed();
      assert.equal(r.status, 400);
      assert.equal(calls, 1);
      const next = await RawConnection.open(l);
      next.send(get(scrapePath) + get('/other'));
      const answers = await next.waitFor(2);
      assert.deepEqual(
        answers.map((a) => a.body.toString()),
        ['d5:filesdee', 'routed'],
      );
      next.destroy();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
