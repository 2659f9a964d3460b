import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ForwarderConfig } from '../config/configuration.js';
import { AnnounceEvent } from '../core/domain/types.js';
import { encodeBencode } from '../protocol/bencode/index.js';
import {
  ACTION_ANNOUNCE,
  ACTION_CONNECT,
  ANNOUNCE_REQUEST_SIZE,
  OFFSET_EVENT,
  OFFSET_INFO_HASH,
  OFFSET_IP_ADDRESS,
  OFFSET_NUM_WANT,
  OFFSET_PEER_ID,
  OFFSET_PORT,
} from '../protocol/bep15/index.js';
import { HttpForwarder } from './http-forwarder.js';
import { CONNECTION_ID_LIFETIME_MS, UdpClientSockets, UdpForwarder } from './udp-forwarder.js';
import type { UpstreamAnnounce, UpstreamResult } from './upstream.js';

const REQUEST: UpstreamAnnounce = {
  infoHash: Buffer.alloc(20, 0xab),
  peerId: Buffer.from('-TS0001-000000000001'),
  port: 6881,
  uploaded: 10,
  downloaded: 20,
  left: 30,
  event: AnnounceEvent.Started,
  numWant: 50,
};

function forwarder(uri: string, extra: Partial<ForwarderConfig> = {}): ForwarderConfig {
  const url = new URL(uri);
  return {
    name: 'test',
    uri,
    protocol: url.protocol.slice(0, -1) as ForwarderConfig['protocol'],
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port),
    ip: null,
    host: null,
    fromFile: false,
    ...extra,
  };
}

function withTimeout(ms: number): AbortSignal {
  return AbortSignal.timeout(ms);
}

describe('HttpForwarder', () => {
  let server: Server;
  let base: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  const seen: IncomingMessage[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  async function announce(
    reply: (req: IncomingMessage, res: ServerResponse) => void,
    extra: Partial<ForwarderConfig> = {},
    timeoutMs = 2000,
  ): Promise<UpstreamResult> {
    handler = reply;
    const f = new HttpForwarder(forwarder(`${base}/announce`, extra), 2);
    try {
      return await f.announce(REQUEST, withTimeout(timeoutMs));
    } finally {
      f.close();
    }
  }

  it('sends the announce with compact=1 and the Host header, and reads the peers', async () => {
    const result = await announce(
      (_req, res) => res.end(encodeBencode({ interval: 900, peers: Buffer.from([1, 2, 3, 4, 0, 80]) })),
      { host: 'retracker.local', ip: '192.168.1.15' },
    );
    const req = seen.at(-1);
    assert.equal(req?.headers.host, 'retracker.local');
    assert.match(req?.url ?? '', /^\/announce\?info_hash=%AB%AB/);
    assert.match(req?.url ?? '', /&compact=1&numwant=50&ip=192\.168\.1\.15$/);
    assert.deepEqual(result, {
      ok: true,
      intervalSecs: 900,
      peers4: Buffer.from([1, 2, 3, 4, 0, 80]),
      peers6: Buffer.alloc(0),
    });
  });

  it('reports 429 with Retry-After as rate_limited', async () => {
    const result = await announce((_req, res) => {
      res.writeHead(429, { 'retry-after': '7' });
      res.end('slow down');
    });
    assert.deepEqual(result, {
      ok: false,
      reason: 'rate_limited',
      message: 'HTTP 429',
      retryable: false,
      retryAfterMs: 7000,
    });
  });

  it('reports other statuses as http_status, retryable for 5xx only', async () => {
    const five = await announce((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    assert.deepEqual(five, { ok: false, reason: 'http_status', message: 'HTTP 503', retryable: true });
    const four = await announce((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    assert.equal(!four.ok && four.retryable, false);
  });

  it('reports garbage and oversized bodies as invalid_response', async () => {
    const garbage = await announce((_req, res) => res.end('<html>hello</html>'));
    assert.equal(!garbage.ok && garbage.reason, 'invalid_response');
    const huge = await announce((_req, res) => res.end(Buffer.alloc(200_000, 0x61)));
    assert.equal(!huge.ok && huge.reason, 'invalid_response');
  });

  it('ends as a timeout when aborted while the upstream hangs', async () => {
    const started = Date.now();
    const result = await announce(() => undefined, {}, 200);
    assert.equal(!result.ok && result.reason, 'timeout');
    assert.ok(Date.now() - started < 1500);
  });

  it('reports a refused connection as network', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const f = new HttpForwarder(forwarder(`http://127.0.0.1:${port}/announce`), 1);
    const result = await f.announce(REQUEST, withTimeout(2000));
    f.close();
    assert.deepEqual(result, { ok: false, reason: 'network', message: 'ECONNREFUSED', retryable: true });
  });
});

describe('UdpForwarder', () => {
  let tracker: Socket;
  let port: number;
  const packets: Buffer[] = [];
  let reply: (msg: Buffer, from: RemoteInfo) => Buffer | null = () => null;
  let sockets: UdpClientSockets;
  before(async () => {
    tracker = createSocket('udp4');
    tracker.on('message', (msg, from) => {
      packets.push(msg);
      const out = reply(msg, from);
      if (out !== null) tracker.send(out, from.port, from.address);
    });
    await new Promise<void>((resolve) => tracker.bind(0, '127.0.0.1', resolve));
    port = tracker.address().port;
    sockets = new UdpClientSockets();
  });
  after(() => {
    tracker.close();
    sockets.close();
  });

  const CONNECTION_ID = Buffer.from('0102030405060708', 'hex');

  /** A minimal BEP 15 tracker: connect → CONNECTION_ID; announce → interval 600 and one peer. */
  function bep15(msg: Buffer): Buffer | null {
    const action = msg.readInt32BE(8);
    const tx = msg.readInt32BE(12);
    if (action === ACTION_CONNECT) {
      const out = Buffer.alloc(16);
      out.writeInt32BE(ACTION_CONNECT, 0);
      out.writeInt32BE(tx, 4);
      CONNECTION_ID.copy(out, 8);
      return out;
    }
    if (action === ACTION_ANNOUNCE && msg.subarray(0, 8).equals(CONNECTION_ID)) {
      const out = Buffer.alloc(26);
      out.writeInt32BE(ACTION_ANNOUNCE, 0);
      out.writeInt32BE(tx, 4);
      out.writeInt32BE(600, 8);
      out.writeInt32BE(1, 12);
      out.writeInt32BE(2, 16);
      out.set([9, 8, 7, 6, 0x1a, 0xe1], 20);
      return out;
    }
    const out = Buffer.alloc(8 + 5);
    out.writeInt32BE(3, 0);
    out.writeInt32BE(tx, 4);
    out.write('nope!', 8);
    return out;
  }

  it('connects once, reuses the connection id within 60 s and sends a correct BEP 15 announce', async () => {
    reply = bep15;
    packets.length = 0;
    let now = 1_000_000;
    const f = new UdpForwarder(
      forwarder(`udp://127.0.0.1:${port}/announce`, { ip: '192.168.1.15' }),
      sockets,
      2000,
      () => now,
    );
    const first = await f.announce(REQUEST, withTimeout(2000));
    assert.deepEqual(first, {
      ok: true,
      intervalSecs: 600,
      peers4: Buffer.from([9, 8, 7, 6, 0x1a, 0xe1]),
      peers6: Buffer.alloc(0),
    });
    const announce = packets[1] as Buffer;
    assert.equal(announce.length, ANNOUNCE_REQUEST_SIZE);
    assert.deepEqual(announce.subarray(OFFSET_INFO_HASH, OFFSET_INFO_HASH + 20), REQUEST.infoHash);
    assert.deepEqual(announce.subarray(OFFSET_PEER_ID, OFFSET_PEER_ID + 20), REQUEST.peerId);
    assert.equal(announce.readInt32BE(OFFSET_EVENT), 2, 'started = 2');
    assert.deepEqual([...announce.subarray(OFFSET_IP_ADDRESS, OFFSET_IP_ADDRESS + 4)], [192, 168, 1, 15]);
    assert.equal(announce.readInt32BE(OFFSET_NUM_WANT), 50);
    assert.equal(announce.readUInt16BE(OFFSET_PORT), 6881);

    await Promise.all([f.announce(REQUEST, withTimeout(2000)), f.announce(REQUEST, withTimeout(2000))]);
    assert.deepEqual(
      packets.map((p) => p.readInt32BE(8)),
      [0, 1, 1, 1],
      'one connect for three announces',
    );
    now += CONNECTION_ID_LIFETIME_MS;
    await f.announce(REQUEST, withTimeout(2000));
    assert.deepEqual(
      packets.slice(4).map((p) => p.readInt32BE(8)),
      [0, 1],
      'a new connect after 60 s',
    );
  });

  it('shares one connect between concurrent announces', async () => {
    reply = bep15;
    packets.length = 0;
    const f = new UdpForwarder(forwarder(`udp://127.0.0.1:${port}`), sockets, 2000);
    await Promise.all([1, 2, 3].map(() => f.announce(REQUEST, withTimeout(2000))));
    assert.equal(packets.filter((p) => p.readInt32BE(8) === 0).length, 1);
  });

  it('reports an error packet as tracker_failure and connects again next time', async () => {
    packets.length = 0;
    let refuse = true;
    reply = (msg) => {
      if (refuse && msg.readInt32BE(8) === ACTION_ANNOUNCE) {
        const out = Buffer.alloc(8 + 16);
        out.writeInt32BE(3, 0);
        out.writeInt32BE(msg.readInt32BE(12), 4);
        out.write('bad connection!!', 8);
        return out;
      }
      return bep15(msg);
    };
    const f = new UdpForwarder(forwarder(`udp://127.0.0.1:${port}`), sockets, 2000);
    const result = await f.announce(REQUEST, withTimeout(2000));
    assert.deepEqual(result, { ok: false, reason: 'tracker_failure', message: 'bad connection!!', retryable: false });
    refuse = false;
    assert.ok((await f.announce(REQUEST, withTimeout(2000))).ok);
    assert.equal(packets.filter((p) => p.readInt32BE(8) === 0).length, 2);
  });

  it('ends as a timeout when the tracker never answers, and as invalid_response for garbage', async () => {
    reply = () => null;
    const f = new UdpForwarder(forwarder(`udp://127.0.0.1:${port}`), sockets, 200);
    const silent = await f.announce(REQUEST, withTimeout(1000));
    assert.equal(!silent.ok && silent.reason, 'timeout');
    assert.equal(sockets.pendingCount, 0, 'nothing left waiting');
    reply = (msg) => Buffer.concat([Buffer.from([0, 0, 0, 0]), msg.subarray(12, 16), Buffer.from([1, 2])]);
    const garbage = await f.announce(REQUEST, withTimeout(1000));
    assert.equal(!garbage.ok && garbage.reason, 'invalid_response');
  });

  it('ignores an answer from another address than the tracker', async () => {
    packets.length = 0;
    const intruder = createSocket('udp4');
    await new Promise<void>((resolve) => intruder.bind(0, '127.0.0.1', resolve));
    reply = (msg, from) => {
      // the right answer, from the wrong socket: must be dropped
      const out = bep15(msg);
      if (out !== null) intruder.send(out, from.port, from.address);
      return null;
    };
    const f = new UdpForwarder(forwarder(`udp://127.0.0.1:${port}`), sockets, 300);
    const result = await f.announce(REQUEST, withTimeout(1000));
    intruder.close();
    assert.equal(!result.ok && result.reason, 'timeout');
  });
});
