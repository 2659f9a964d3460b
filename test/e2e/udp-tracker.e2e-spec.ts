import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { StoppedClock } from '../../src/core/domain/ports.js';
import {
  EVENT_COMPLETED,
  EVENT_NONE,
  EVENT_STOPPED,
  decodeResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
  encodeScrapeRequest,
  type Bep15Response,
} from '../../src/protocol/bep15/index.js';
import { TrackerCounters } from '../../src/stats/tracker-counters.js';
import { WhitelistService } from '../../src/whitelist/whitelist.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { UdpTestClient } from '../support/udp-client.js';

const HASH = Buffer.from('9c38422213e30bff212b30c360d26f9a02136422', 'hex');

function peerId(n: number): Buffer {
  return Buffer.from(`-qB0000-${String(n).padStart(12, '0')}`);
}

function hash(n: number): Buffer {
  const b = Buffer.alloc(20, 0x11);
  b.writeUInt32BE(n, 16);
  return b;
}

function assertError(res: Bep15Response, transactionId: number, startsWith: string): void {
  assert.equal(res.action, 3, `expected an error reply, got ${JSON.stringify(res)}`);
  if (res.action !== 3) return;
  assert.equal(res.transactionId, transactionId);
  assert.ok(res.message.startsWith(startsWith), `"${res.message}" should start with "${startsWith}"`);
}

describe('UDP tracker (BEP 15)', () => {
  describe('in public mode, on IPv4 and IPv6', () => {
    let app: TestApp;
    const clients: UdpTestClient[] = [];
    const v4 = () => app.udp.find((l) => !l.host.includes(':'))!;
    const v6 = () => app.udp.find((l) => l.host.includes(':'))!;
    const client = async (target: { host: string; port: number }, local?: string) => {
      const c = await UdpTestClient.open(target, local);
      clients.push(c);
      return c;
    };

    before(async () => {
      app = await createTestApp({ udp: ['127.0.0.1:0', '[::1]:0'] });
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    });
    after(() => app.close());

    it('binds ephemeral ports and reports them', () => {
      assert.equal(app.udp.length, 2);
      assert.ok(v4().port > 0 && v6().port > 0);
      assert.match(v4().url, /^udp:\/\/127\.0\.0\.1:\d+$/);
      assert.match(v6().url, /^udp:\/\/\[::1\]:\d+$/);
    });

    for (const family of ['IPv4', 'IPv6'] as const) {
      it(`connects, announces and scrapes over ${family}`, async () => {
        const c = await client(family === 'IPv4' ? v4() : v6());
        const connect = await c.decoded(encodeConnectRequest(0x1234));
        assert.equal(connect.action, 0);
        assert.equal(connect.transactionId, 0x1234);
        const info = hash(family === 'IPv4' ? 100 : 101);
        const res = await c.announce({ infoHash: info, peerId: peerId(1), transactionId: -5 });
        assert.equal(res.action, 1);
        if (res.action !== 1) return;
        assert.equal(res.transactionId, -5);
        assert.equal(res.interval, 120);
        assert.deepEqual([res.seeders, res.leechers, res.peers.length], [0, 1, 0]);
        const scrape = await c.scrape([info]);
        assert.equal(scrape.action, 2);
        if (scrape.action === 2) assert.deepEqual(scrape.torrentStats, [{ seeders: 0, completed: 0, leechers: 1 }]);
      });
    }

    it('lets two peers see each other, in their own address family', async () => {
      const a = await client(v4());
      const b = await client(v4());
      const info = hash(200);
      await a.announce({ infoHash: info, peerId: peerId(1) });
      const res = await b.announce({ infoHash: info, peerId: peerId(2), left: 0 });
      assert.equal(res.action, 1);
      if (res.action !== 1) return;
      assert.deepEqual([res.seeders, res.leechers], [1, 1]);
      assert.deepEqual(
        res.peers.map((p) => `${p.ip}:${p.port}`),
        [`127.0.0.1:${a.localPort}`],
      );

      const c6 = await client(v6());
      const res6 = await c6.announce({ infoHash: info, peerId: peerId(3) });
      assert.equal(res6.action, 1);
      if (res6.action !== 1) return;
      assert.equal(res6.peers.length, 0, 'an IPv6 client gets no IPv4 peers');
      assert.equal(res6.seeders + res6.leechers, 3);
      const d6 = await client(v6());
      const res6b = await d6.announce({ infoHash: info, peerId: peerId(4) });
      assert.ok(res6b.action === 1 && res6b.peerSize === 18);
      if (res6b.action === 1)
        assert.deepEqual(
          res6b.peers.map((p) => p.ip),
          ['::1'],
        );
    });

    it('removes a stopped peer and counts a completed download', async () => {
      const a = await client(v4());
      const b = await client(v4());
      const info = hash(300);
      await a.announce({ infoHash: info, peerId: peerId(1) });
      await b.announce({ infoHash: info, peerId: peerId(2) });
      await a.announce({ infoHash: info, peerId: peerId(1), event: EVENT_COMPLETED, left: 0 });
      await b.announce({ infoHash: info, peerId: peerId(2), event: EVENT_STOPPED });
      const scrape = await a.scrape([info]);
      assert.ok(scrape.action === 2);
      if (scrape.action === 2) assert.deepEqual(scrape.torrentStats, [{ seeders: 1, completed: 1, leechers: 0 }]);
    });

    it('answers at most num_want peers, and 74 at most', async () => {
      const info = hash(400);
      const c = await client(v4());
      const id = await c.connect();
      for (let p = 1; p <= 80; p++) {
        await c.decoded(
          encodeAnnounceRequest({
            connectionId: id,
            transactionId: p,
            infoHash: info,
            peerId: peerId(p),
            port: 1000 + p,
            left: 5,
          }),
        );
      }
      const ask = async (numWant: number) => {
        const res = await c.decoded(
          encodeAnnounceRequest({
            connectionId: id,
            transactionId: 1,
            infoHash: info,
            peerId: peerId(999),
            port: 999,
            numWant,
            event: EVENT_NONE,
          }),
        );
        return res.action === 1 ? res.peers.length : -1;
      };
      assert.equal(await ask(3), 3);
      assert.equal(await ask(-1), 74);
      assert.equal(await ask(0), 74);
      assert.equal(await ask(500), 74);
    });

    it('answers a scrape in request order, repeats duplicates and stops at 74 hashes', async () => {
      const c = await client(v4());
      const id = await c.connect();
      const a = hash(500);
      await c.announce({ infoHash: a, peerId: peerId(1), connectionId: id });
      const hashes = [hash(501), a, hash(502), a, ...Array.from({ length: 80 }, (_, i) => hash(600 + i))];
      const res = await c.decoded(encodeScrapeRequest(id, 77, hashes));
      assert.equal(res.action, 2);
      if (res.action !== 2) return;
      assert.equal(res.torrentStats.length, 74);
      assert.deepEqual(
        res.torrentStats.slice(0, 4).map((s) => s.leechers),
        [0, 1, 0, 1],
      );
    });

    it('answers an IPv4-mapped client of a dual-stack socket in the IPv4 form', { skip: false }, async () => {
      const dual = await createTestApp({ udp: ['[::]:0'], http: [], api: false });
      try {
        const port = dual.udp[0].port;
        const a = await UdpTestClient.open({ host: '127.0.0.1', port });
        const b = await UdpTestClient.open({ host: '127.0.0.1', port });
        await a.announce({ infoHash: hash(700), peerId: peerId(1) });
        const res = await b.announce({ infoHash: hash(700), peerId: peerId(2) });
        assert.ok(res.action === 1 && res.peerSize === 6);
        if (res.action === 1)
          assert.deepEqual(
            res.peers.map((p) => p.ip),
            ['127.0.0.1'],
          );
        await Promise.all([a.close(), b.close()]);
      } finally {
        await dual.close();
      }
    });

    describe('malformed datagrams get the exact error', () => {
      const announceWith = (over: Partial<Parameters<typeof encodeAnnounceRequest>[0]>) =>
        encodeAnnounceRequest({
          connectionId: Buffer.alloc(8),
          transactionId: 42,
          infoHash: HASH,
          peerId: peerId(1),
          port: 6881,
          ...over,
        });

      it('fewer than 12 bytes', async () => {
        const c = await client(v4());
        assertError(await c.decoded(Buffer.from([1, 2, 3])), 0, "error parsing request: Couldn't parse action");
        assertError(await c.decoded(Buffer.alloc(0)), 0, "error parsing request: Couldn't parse action");
      });

      it('a connect without the protocol magic', async () => {
        const c = await client(v4());
        const bad = encodeConnectRequest(42);
        bad[0] = 9;
        assertError(await c.decoded(bad), 0, 'error parsing request: Protocol identifier missing');
      });

      it('a short announce', async () => {
        const c = await client(v4());
        assertError(await c.decoded(announceWith({}).subarray(0, 97)), 0, 'error parsing request: invalid data');
      });

      it('an announce with port 0 (transaction id echoed)', async () => {
        const c = await client(v4());
        assertError(await c.decoded(announceWith({ port: 0 })), 42, "error parsing request: Port can't be 0");
      });

      it('an announce with an unknown event (transaction id echoed)', async () => {
        const c = await client(v4());
        assertError(await c.decoded(announceWith({ event: 7 })), 42, 'error parsing request: Invalid announce event');
      });

      it('a scrape without hashes, and one with a partial hash', async () => {
        const c = await client(v4());
        assertError(
          await c.decoded(encodeScrapeRequest(Buffer.alloc(8), 43, [])),
          43,
          'error parsing request: Full scrapes are not allowed',
        );
        const partial = Buffer.concat([encodeScrapeRequest(Buffer.alloc(8), 44, [HASH]), Buffer.from([1, 2, 3])]);
        assertError(await c.decoded(partial), 44, 'error parsing request: Invalid info hash list');
      });

      it('an unknown action, including 3', async () => {
        const c = await client(v4());
        const bad = encodeConnectRequest(42);
        bad.writeInt32BE(3, 8);
        assertError(await c.decoded(bad), 0, 'error parsing request: Invalid action');
        bad.writeInt32BE(77, 8);
        assertError(await c.decoded(bad), 0, 'error parsing request: Invalid action');
      });

      it('an all-zero 1496-byte datagram (Torrust’s contract test)', async () => {
        const c = await client(v4());
        const res = await c.decoded(Buffer.alloc(1496));
        assert.equal(res.action, 3);
      });
    });

    describe('connection ids', () => {
      it('refuses a made-up connection id on announce and on scrape', async () => {
        const c = await client(v4(), '127.0.0.5');
        const fake = Buffer.from('0000041727101980', 'hex');
        assertError(
          await c.decoded(
            encodeAnnounceRequest({ connectionId: fake, transactionId: 5, infoHash: HASH, peerId: peerId(1), port: 1 }),
          ),
          5,
          'tracker announce error: Connection cookie error: cookie value is not normal',
        );
        assertError(
          await c.decoded(encodeScrapeRequest(fake, 6, [HASH])),
          6,
          'tracker scrape error: Connection cookie error: cookie value is not normal',
        );
      });

      it('binds the id to the client’s IP and port', async () => {
        const a = await client(v4(), '127.0.0.1');
        const otherPort = await client(v4(), '127.0.0.1');
        const otherIp = await client(v4(), '127.0.0.2');
        const id = await a.connect();
        assert.equal((await a.scrape([HASH], id)).action, 2);
        assertError(await otherPort.scrape([HASH], id), 9, 'tracker scrape error: Connection cookie error');
        assertError(await otherIp.scrape([HASH], id), 9, 'tracker scrape error: Connection cookie error');
      });
    });
  });

  describe('connection id lifetime (injected clock)', () => {
    it('accepts an id for 120 s (+1 s slack) and then reports it expired', async () => {
      const clock = new StoppedClock(Date.UTC(2026, 5, 1, 12, 0, 0));
      const app = await createTestApp({ clock, http: [], api: false });
      const c = await UdpTestClient.open(app.udp[0]);
      try {
        const id = await c.connect();
        clock.advanceSeconds(121);
        assert.equal((await c.scrape([HASH], id)).action, 2);
        clock.advanceSeconds(1.5);
        assertError(
          await c.scrape([HASH], id),
          9,
          'tracker scrape error: Connection cookie error: cookie value is expired',
        );
        clock.advanceSeconds(-200);
        assertError(
          await c.scrape([HASH], id),
          9,
          'tracker scrape error: Connection cookie error: cookie value is from future',
        );
      } finally {
        await c.close();
        await app.close();
      }
    });

    it('expires peers after max_peer_timeout, before any cleanup runs', async () => {
      const clock = new StoppedClock(Date.UTC(2026, 5, 1, 12, 0, 0));
      const app = await createTestApp({ clock, http: [], api: false, trackerPolicy: ['max_peer_timeout = 60'] });
      const a = await UdpTestClient.open(app.udp[0]);
      const b = await UdpTestClient.open(app.udp[0]);
      try {
        await a.announce({ infoHash: hash(1), peerId: peerId(1) });
        clock.advanceSeconds(60);
        const res = await b.announce({ infoHash: hash(1), peerId: peerId(2) });
        assert.ok(res.action === 1);
        if (res.action === 1) assert.deepEqual([res.leechers, res.peers.length], [1, 0]);
      } finally {
        await Promise.all([a.close(), b.close()]);
        await app.close();
      }
    });
  });

  describe('bans', () => {
    it('stops answering an IP after more than 10 bad connection ids, and only that IP', async () => {
      const app = await createTestApp({ http: [], api: false });
      const bad = await UdpTestClient.open(app.udp[0], '127.0.0.3');
      const good = await UdpTestClient.open(app.udp[0], '127.0.0.4');
      try {
        const fake = Buffer.alloc(8, 7);
        for (let i = 1; i <= 11; i++) {
          assertError(await bad.decoded(encodeScrapeRequest(fake, i, [HASH])), i, 'tracker scrape error');
        }
        assert.equal(await bad.request(encodeConnectRequest(1), 300), null, 'the 12th datagram gets no reply');
        assert.equal((await good.decoded(encodeConnectRequest(1))).action, 0);
        const counters = app.tracker.app.get(TrackerCounters);
        assert.equal(counters.udp_requests_banned, 1);
        assert.ok(counters.udp4_errors_handled >= 11);
      } finally {
        await Promise.all([bad.close(), good.close()]);
        await app.close();
      }
    });
  });

  describe('in listed mode', () => {
    it('refuses an announce for a torrent that is not whitelisted, and accepts it once listed', async () => {
      const app = await createTestApp({ listed: true, http: [], api: false });
      const c = await UdpTestClient.open(app.udp[0]);
      try {
        assertError(
          await c.announce({ infoHash: HASH, peerId: peerId(1) }),
          7,
          'tracker announce error: Tracker core whitelist error: The torrent: 9c38422213e30bff212b30c360d26f9a02136422, is not whitelisted',
        );
        const scrape = await c.scrape([HASH]);
        assert.ok(scrape.action === 2);
        await app.tracker.app.get(WhitelistService).add(HASH.toString('hex'));
        assert.equal((await c.announce({ infoHash: HASH, peerId: peerId(1) })).action, 1);
      } finally {
        await c.close();
        await app.close();
      }
    });
  });

  describe('in private mode', () => {
    it('does not start any UDP listener', async () => {
      const app = await createTestApp({ private: true, http: [], api: false });
      try {
        assert.equal(app.udp.length, 0);
      } finally {
        await app.close();
      }
    });
  });

  describe('statistics', () => {
    it('counts connections, announces, scrapes, requests and responses by family', async () => {
      const app = await createTestApp({ udp: ['127.0.0.1:0', '[::1]:0'], http: [], api: false });
      try {
        for (const l of app.udp) {
          const c = await UdpTestClient.open(l);
          const id = await c.connect();
          await c.announce({ infoHash: HASH, peerId: peerId(1), connectionId: id });
          await c.scrape([HASH], id);
          await c.close();
        }
        const s = app.tracker.app.get(TrackerCounters);
        for (const f of ['udp4', 'udp6'] as const) {
          assert.equal(s[`${f}_connections_handled`], 1);
          assert.equal(s[`${f}_announces_handled`], 1);
          assert.equal(s[`${f}_scrapes_handled`], 1);
          assert.equal(s[`${f}_requests`], 3);
          assert.equal(s[`${f}_responses`], 3);
        }
      } finally {
        await app.close();
      }
    });

    it('keeps every counter at 0 when tracker_usage_statistics is false', async () => {
      const app = await createTestApp({ http: [], api: false, core: ['tracker_usage_statistics = false'] });
      try {
        const c = await UdpTestClient.open(app.udp[0]);
        await c.announce({ infoHash: HASH, peerId: peerId(1) });
        await c.close();
        const s = app.tracker.app.get(TrackerCounters);
        assert.equal(s.udp4_requests + s.udp4_connections_handled + s.udp4_announces_handled, 0);
      } finally {
        await app.close();
      }
    });
  });
});

describe('UDP tracker: external_ip', () => {
  it('answers a loopback client with peers of its socket family only, when external_ip is of the other', async () => {
    const app = await createTestApp({ udp: ['127.0.0.1:0'], extraToml: '[core.net]\nexternal_ip = "2001:db8::9"' });
    const clients: UdpTestClient[] = [];
    try {
      const info = hash(900);
      for (let p = 1; p <= 3; p++) {
        const c = await UdpTestClient.open(app.udp[0]);
        clients.push(c);
        const res = await c.announce({ infoHash: info, peerId: peerId(p), port: 7000 + p });
        assert.equal(res.action, 1);
        // Stored as IPv6 (the external address): an IPv4 answer has no entry for them.
        if (res.action === 1) assert.deepEqual([res.leechers, res.peers.length], [p, 0]);
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await app.close();
    }
  });
});

describe('answers of popular swarms (the answer cache)', () => {
  async function swarmOf(n: number, clock: StoppedClock, policy: string[] = []) {
    const app = await createTestApp({ clock, http: [], api: false, trackerPolicy: policy });
    const c = await UdpTestClient.open(app.udp[0]);
    const id = await c.connect();
    const announce = async (peer: number, extra: Partial<Parameters<typeof encodeAnnounceRequest>[0]> = {}) => {
      const res = await c.decoded(
        encodeAnnounceRequest({
          connectionId: id,
          transactionId: peer,
          infoHash: HASH,
          peerId: peerId(peer),
          port: 1000 + peer,
          left: 5,
          ...extra,
        }),
      );
      assert.equal(res.action, 1);
      return res.action === 1 ? res : (undefined as never);
    };
    for (let p = 1; p <= n; p++) await announce(p);
    return {
      app,
      c,
      announce,
      ports: async (peer: number) => (await announce(peer)).peers.map((x) => x.port - 1000).sort((a, b) => a - b),
    };
  }

  it('never returns a peer that stopped, even right after the answer was cached', async () => {
    const clock = new StoppedClock(Date.UTC(2026, 5, 1));
    const { app, c, announce, ports } = await swarmOf(40, clock);
    try {
      assert.ok((await ports(1)).includes(2));
      await announce(2, { event: EVENT_STOPPED });
      const after = await ports(1);
      assert.ok(!after.includes(2), `peer 2 stopped: ${after}`);
      assert.ok(!after.includes(1), 'never the requester');
      assert.equal(after.length, 38);
    } finally {
      await c.close();
      await app.close();
    }
  });

  it('never returns an expired peer, and shows new peers within a second', async () => {
    const clock = new StoppedClock(Date.UTC(2026, 5, 1));
    const { app, c, announce, ports } = await swarmOf(40, clock, ['max_peer_timeout = 60']);
    try {
      assert.equal((await ports(1)).length, 39);
      clock.advanceSeconds(30);
      for (let p = 1; p <= 20; p++) await announce(p); // peers 21..40 stay at t0
      await announce(41);
      clock.advanceSeconds(30); // peers 21..40 expire now
      const after = await ports(1);
      assert.deepEqual(after, [...Array.from({ length: 19 }, (_, i) => i + 2), 41]);
    } finally {
      await c.close();
      await app.close();
    }
  });

  it('answers every requester without itself, and at most num_want', async () => {
    const clock = new StoppedClock(Date.UTC(2026, 5, 1));
    const { app, c, announce, ports } = await swarmOf(40, clock);
    try {
      for (const p of [3, 7, 40]) {
        const got = await ports(p);
        assert.ok(!got.includes(p));
        assert.equal(got.length, 39);
      }
      assert.equal((await announce(5, { numWant: 4 })).peers.length, 4);
    } finally {
      await c.close();
      await app.close();
    }
  });
});

describe('UDP tracker: answers sent in bursts', () => {
  it('answers a burst of datagrams sent at once: one answer each, intact, in request order', async () => {
    const app = await createTestApp();
    const c = await UdpTestClient.open(app.udp[0]);
    try {
      const connectionId = await c.connect();
      const info = hash(900);
      // 400 announces of distinct peers into one swarm: answers grow to 74 peers (452 bytes),
      // more than one slab of answer memory in all (src/udp-tracker/response-buffers.ts).
      const n = 400;
      const packets = Array.from({ length: n }, (_, i) =>
        encodeAnnounceRequest({
          connectionId,
          transactionId: 5000 + i,
          infoHash: info,
          peerId: peerId(i),
          port: 20000 + i,
          left: i % 2,
          numWant: 74,
          event: EVENT_NONE,
        }),
      );
      const replies = await c.burst(packets);
      assert.equal(replies.length, n);
      assert.ok(replies.reduce((sum, r) => sum + r.length, 0) > 64 * 1024, 'more answer bytes than one slab holds');
      replies.forEach((reply, i) => {
        const decoded = decodeResponse(reply, 6);
        assert.ok(decoded.ok, `reply ${i} decodes`);
        if (!decoded.ok || decoded.response.action !== 1) throw new Error(`reply ${i}: not an announce answer`);
        const r = decoded.response;
        assert.equal(r.transactionId, 5000 + i, 'in request order');
        assert.equal(r.seeders + r.leechers, i + 1, `swarm size seen by request ${i}`);
        // Every other peer while they fit; then a sample (from the answer cache, 32+ peers).
        if (i < 32) assert.equal(r.peers.length, i, `peers in answer ${i}`);
        else assert.ok(r.peers.length > 0 && r.peers.length <= 74, `peers in answer ${i}`);
        assert.ok(!r.peers.some((p) => p.port === 20000 + i), 'never the requester itself');
      });
    } finally {
      await c.close();
      await app.close();
    }
  });
});
