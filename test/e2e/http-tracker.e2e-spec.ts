import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { AuthKeysService } from '../../src/auth-keys/auth-keys.service.js';
import { checkEnvironment } from '../../src/config/environment-checks.js';
import { loadConfiguration } from '../../src/config/loader.js';
import { StoppedClock } from '../../src/core/domain/ports.js';
import type { BoundListener } from '../../src/listeners/bound-listeners.js';
import { percentEncode } from '../../src/protocol/http/percent.js';
import { TrackerCounters } from '../../src/stats/tracker-counters.js';
import { WhitelistService } from '../../src/whitelist/whitelist.service.js';
import {
  ZEROS,
  announceQueryOf,
  announceUrl,
  assertAnnounceCompact,
  assertAnnounceDictionary,
  assertFailure,
  assertScrape,
  assertScrapeFile,
  get,
  nodeGet,
  rawTcp,
  scrapeUrl,
  statusOfRaw,
  type AnnounceQuery,
  type TrackerResponse,
} from '../support/http-client.js';
import { selfSignedCertificate } from '../support/tls.js';
import { createTestApp, testConfigToml, type TestApp } from '../support/test-app.js';

const PFX_A = 'Bad request. Cannot parse query params for announce request: ';
const PFX_S = 'Bad request. Cannot parse query params for scrape request: ';
const INVALID_PARAM = 'Bad request. Cannot parse query params: invalid param ';
const MISSING_KEY = 'Tracker core error: Tracker core authentication error: Missing authentication key';
const INVALID_KEY_FORMAT = 'Tracker authentication error: Invalid format for authentication key param';
const UNKNOWN_KEY = 'Tracker core error: Tracker core authentication error: Failed to read key: ';
const EXPIRED_KEY = 'Tracker core error: Tracker core authentication error: Key has expired';
const NOT_WHITELISTED = 'Tracker core error: Tracker core whitelist error: The torrent: ';
const CLIENT_IP =
  'Error resolving peer IP: missing or invalid the right most X-Forwarded-For IP (mandatory on reverse proxy tracker configuration)';

/** A well-formed key nobody issued. */
const UNKNOWN_KEY_VALUE = 'YZSl4lMZupRuOpSRC3krIKR5BPB14nrJ';

/** Bytes that all need percent-encoding, including the query's own `&`, `=`, `%`, `+` and `?`. */
const AWKWARD = Buffer.from([0x00, 0x26, 0x3d, 0x25, 0x2b, 0x3f, 0x23, 0x20, 0xff, 0x80]);

function peerId(n: number): Buffer {
  return Buffer.from(`-qB0000-${String(n).padStart(12, '0')}`);
}

/** Info hash number `n` of a test; half of its bytes need percent-encoding. */
function hash(n: number): Buffer {
  const b = Buffer.alloc(20);
  AWKWARD.copy(b);
  b.fill(0x11, 10);
  b.writeUInt32BE(n, 16);
  return b;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ipv4 = (app: TestApp) => app.http.find((l) => !l.host.includes(':')) as BoundListener;
const ipv6 = (app: TestApp) => app.http.find((l) => l.host.includes(':')) as BoundListener;

function announce(base: string, q: Partial<AnnounceQuery> & { infoHash: Uint8Array }, key?: string) {
  return get(announceUrl(base, { peerId: peerId(1), port: 6881, left: 100, ...q }, key));
}

function scrape(base: string, hashes: Uint8Array[], key?: string) {
  return get(scrapeUrl(base, hashes, key));
}

function assertOk(res: TrackerResponse): void {
  assertAnnounceDictionary(res);
}

function counterSnapshot(app: TestApp): Record<string, number> {
  const c = app.tracker.app.get(TrackerCounters);
  return {
    tcp4_connections_handled: c.tcp4_connections_handled,
    tcp4_announces_handled: c.tcp4_announces_handled,
    tcp4_scrapes_handled: c.tcp4_scrapes_handled,
    tcp6_connections_handled: c.tcp6_connections_handled,
    tcp6_announces_handled: c.tcp6_announces_handled,
    tcp6_scrapes_handled: c.tcp6_scrapes_handled,
  };
}

function counterDelta(before: Record<string, number>, app: TestApp): Record<string, number> {
  const now = counterSnapshot(app);
  const out: Record<string, number> = {};
  for (const k of Object.keys(now)) out[k] = now[k] - before[k];
  return out;
}

describe('HTTP tracker (BEP 3, 7, 23, 27, 48)', () => {
  describe('in public mode, on IPv4 and IPv6', () => {
    let app: TestApp;
    const v4 = () => ipv4(app).url;
    const v6 = () => ipv6(app).url;

    before(async () => {
      app = await createTestApp({
        http: ['127.0.0.1:0', '[::1]:0'],
        overrides: { CORE__ANNOUNCE_POLICY__INTERVAL: '300' },
        extraToml: '[core.announce_policy]\ninterval_min = 60',
      });
    });
    after(() => app.close());

    it('binds both listeners on ephemeral ports and reports them', () => {
      assert.equal(app.http.length, 2);
      assert.match(v4(), /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(v6(), /^http:\/\/\[::1\]:\d+$/);
      assert.ok(ipv4(app).port > 0 && ipv6(app).port > 0);
    });

    it('answers the health check', async () => {
      for (const base of [v4(), v6()]) {
        const res = await get(`${base}/health_check`);
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'application/json');
        assert.equal(res.body.toString(), '{"status":"Ok"}');
      }
    });

    for (const family of ['IPv4', 'IPv6'] as const) {
      it(`announces and scrapes over ${family}, in the dictionary form by default`, async () => {
        const base = family === 'IPv4' ? v4() : v6();
        const info = hash(family === 'IPv4' ? 100 : 101);
        const res = assertAnnounceDictionary(await announce(base, { infoHash: info }));
        assert.deepEqual(res, { complete: 0, incomplete: 1, interval: 300, minInterval: 60, peers: [] });
        assertScrapeFile(await scrape(base, [info]), info, { complete: 0, downloaded: 0, incomplete: 1 });
      });
    }

    it('offers peers of both families in the dictionary form, never the announcer', async () => {
      const info = hash(200);
      assertOk(await announce(v4(), { infoHash: info, peerId: peerId(1), port: 6001 }));
      assertOk(await announce(v6(), { infoHash: info, peerId: peerId(2), port: 6002, left: 0 }));
      const res = assertAnnounceDictionary(await announce(v4(), { infoHash: info, peerId: peerId(3), port: 6003 }));
      assert.deepEqual([res.complete, res.incomplete], [1, 2]);
      const seen = res.peers.map((p) => `${p.peerId.toString('latin1')} ${p.ip} ${p.port}`).sort();
      assert.deepEqual(seen, [
        `${peerId(1).toString('latin1')} 127.0.0.1 6001`,
        `${peerId(2).toString('latin1')} ::1 6002`,
      ]);

      // The announcer again (same peer id, same address): still never in its own answer.
      const again = assertAnnounceDictionary(
        await announce(v6(), { infoHash: info, peerId: peerId(2), port: 6002, left: 0 }),
      );
      assert.deepEqual(again.peers.map((p) => p.port).sort(), [6001, 6003]);
    });

    it('sends raw peer ids with any bytes in the dictionary form', async () => {
      const info = hash(210);
      const binaryId = Buffer.from([...AWKWARD, ...AWKWARD]);
      assertOk(await announce(v4(), { infoHash: info, peerId: binaryId, port: 6001 }));
      const res = assertAnnounceDictionary(await announce(v4(), { infoHash: info, peerId: peerId(2), port: 6002 }));
      assert.equal(res.peers.length, 1);
      assert.deepEqual(res.peers[0].peerId, binaryId);
    });

    it('answers popular swarms (cached compact answers) with both families, never the requester', async () => {
      const info = hash(310);
      // 24 IPv4 and 16 IPv6 leechers: a swarm of 40, past the answer-cache threshold.
      for (let p = 1; p <= 40; p++) {
        const base = p <= 24 ? v4() : v6();
        assertAnnounceCompact(await announce(base, { infoHash: info, peerId: peerId(p), compact: 1, port: 8000 + p }));
      }
      const ports = (r: { peers: { port: number }[]; peers6: { port: number }[] }) =>
        [...r.peers, ...r.peers6].map((x) => x.port - 8000).sort((a, b) => a - b);
      for (const p of [1, 7, 24, 25, 40]) {
        const res = assertAnnounceCompact(
          await announce(p <= 24 ? v4() : v6(), { infoHash: info, peerId: peerId(p), compact: 1, port: 8000 + p }),
        );
        assert.deepEqual([res.complete, res.incomplete], [0, 40]);
        assert.deepEqual(
          ports(res),
          [...Array.from({ length: 40 }, (_, i) => i + 1)].filter((x) => x !== p),
          `peer ${p}`,
        );
        assert.ok(res.peers.every((x) => x.ip === '127.0.0.1') && res.peers6.every((x) => x.ip === '::1'));
      }
      const few = assertAnnounceCompact(
        await announce(v6(), { infoHash: info, peerId: peerId(30), compact: 1, port: 8030, numwant: 10 }),
      );
      assert.equal(few.peers6.length, 10, 'the requester’s family first');
      assert.equal(few.peers.length, 0);
      assert.ok(!ports(few).includes(30));
      // A stopped peer is gone from the very next answer, even a cached one.
      await announce(v4(), { infoHash: info, peerId: peerId(2), compact: 1, port: 8002, event: 'stopped' });
      const after = assertAnnounceCompact(
        await announce(v4(), { infoHash: info, peerId: peerId(1), compact: 1, port: 8001 }),
      );
      assert.ok(!ports(after).includes(2) && !ports(after).includes(1));
      assert.equal(ports(after).length, 38);
    });

    it('answers compact=1 with 6-byte peers and 18-byte peers6, both always present', async () => {
      const info = hash(300);
      const first = assertAnnounceCompact(await announce(v4(), { infoHash: info, compact: 1, port: 7001 }));
      assert.deepEqual(first, { complete: 0, incomplete: 1, interval: 300, minInterval: 60, peers: [], peers6: [] });
      const raw = await announce(v6(), { infoHash: info, peerId: peerId(2), compact: 1, port: 7002 });
      assert.ok(raw.body.includes('5:peers6:'), 'peers: 6 bytes (one IPv4 peer)');
      assert.ok(raw.body.includes('6:peers60:'), 'peers6 present even when empty');
      assertAnnounceCompact(raw);
      const res = assertAnnounceCompact(
        await announce(v4(), { infoHash: info, peerId: peerId(3), compact: 1, port: 7003 }),
      );
      assert.deepEqual(res.peers, [{ ip: '127.0.0.1', port: 7001 }]);
      assert.deepEqual(res.peers6, [{ ip: '::1', port: 7002 }]);
      assert.deepEqual([res.complete, res.incomplete], [0, 3]);
    });

    it('answers compact=0 in the dictionary form', async () => {
      const info = hash(310);
      assertAnnounceDictionary(await announce(v4(), { infoHash: info, compact: 0 }));
    });

    it('answers min(numwant, 74) peers; absent or 0 means 74', async () => {
      const info = hash(400);
      for (let p = 1; p <= 80; p++)
        assertOk(await announce(v4(), { infoHash: info, peerId: peerId(p), port: 10_000 + p }));
      const count = async (numwant?: number) => {
        const q = { infoHash: info, peerId: peerId(999), port: 999, compact: 1 as const, numwant };
        return assertAnnounceCompact(await announce(v4(), q)).peers.length;
      };
      assert.equal(await count(3), 3);
      assert.equal(await count(1), 1);
      assert.equal(await count(74), 74);
      assert.equal(await count(), 74);
      assert.equal(await count(0), 74);
      assert.equal(await count(500), 74);
    });

    it('removes a stopped peer and counts a completed download in scrape', async () => {
      const info = hash(500);
      assertOk(await announce(v4(), { infoHash: info, peerId: peerId(1), port: 6001, event: 'started' }));
      assertOk(await announce(v4(), { infoHash: info, peerId: peerId(2), port: 6002, event: 'started' }));
      // A peer whose first announce is `completed` is a seeder, not a download.
      assertOk(await announce(v6(), { infoHash: info, peerId: peerId(3), port: 6003, event: 'completed', left: 0 }));
      assertScrapeFile(await scrape(v4(), [info]), info, { complete: 1, downloaded: 0, incomplete: 2 });

      const done = assertAnnounceDictionary(
        await announce(v4(), { infoHash: info, peerId: peerId(1), port: 6001, event: 'completed', left: 0 }),
      );
      assert.deepEqual([done.complete, done.incomplete], [2, 1]);
      const stopped = assertAnnounceDictionary(
        await announce(v4(), { infoHash: info, peerId: peerId(2), port: 6002, event: 'stopped' }),
      );
      assert.deepEqual([stopped.complete, stopped.incomplete], [2, 0]);
      assertScrapeFile(await scrape(v6(), [info]), info, { complete: 2, downloaded: 1, incomplete: 0 });
      const res = assertAnnounceDictionary(await announce(v4(), { infoHash: info, peerId: peerId(4), port: 6004 }));
      assert.deepEqual(res.peers.map((p) => p.port).sort(), [6001, 6003], 'the stopped peer is gone');
    });

    it('scrapes several hashes: duplicates collapse, unknown ones are zeros, keyed by the raw bytes', async () => {
      const a = hash(600);
      const b = hash(601);
      const unknown = hash(602);
      assertOk(await announce(v4(), { infoHash: a, left: 0 }));
      assertOk(await announce(v4(), { infoHash: b, peerId: peerId(1) }));
      assertOk(await announce(v6(), { infoHash: b, peerId: peerId(2) }));
      const files = assertScrape(await scrape(v4(), [unknown, b, a, b, a, unknown]));
      assert.deepEqual(
        [...files.keys()],
        [a, b, unknown].map(hex).sort(),
        'one entry per distinct hash, ordered by bytes',
      );
      assert.deepEqual(files.get(hex(a)), { complete: 1, downloaded: 0, incomplete: 0 });
      assert.deepEqual(files.get(hex(b)), { complete: 0, downloaded: 0, incomplete: 2 });
      assert.deepEqual(files.get(hex(unknown)), ZEROS);
    });

    it('decodes %XX in either case and keeps the first value of a repeated param', async () => {
      const info = hash(650);
      const upper = percentEncode(info);
      const lower = upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
      assert.notEqual(upper, lower);
      const q = `info_hash=${lower}&peer_id=${percentEncode(peerId(1))}&port=6001&port=nonsense&info_hash=xyz`;
      assertOk(await get(`${v4()}/announce?${q}`));
      assertScrapeFile(await get(`${v4()}/scrape?info_hash=${upper}`), info, {
        complete: 1,
        downloaded: 0,
        incomplete: 0,
      });
    });

    it('accepts what real clients send: empty event, event=empty, empty pieces, unknown params, port 0 and +/leading zeros', async () => {
      const info = hash(700);
      const base = announceQueryOf({ infoHash: info, peerId: peerId(1), port: 6881 });
      for (const query of [
        `${base}&event=`,
        `${base}&event=empty`,
        `${base}&`,
        `&&${base}&&compact=0&`,
        `${base}&ip=198.51.100.1&key=abc&trackerid=x&no_peer_id=1&supportcrypto=1&ipv4=None&ipv6=None&peer_addr=1`,
        `${base}&uploaded=0&downloaded=00&left=+5&numwant=+10`,
      ]) {
        assertOk(await get(`${v4()}/announce?${query}`));
      }
      const withoutPort = `info_hash=${percentEncode(info)}&peer_id=${percentEncode(peerId(2))}`;
      for (const port of ['0', '+6881', '006881']) assertOk(await get(`${v4()}/announce?${withoutPort}&port=${port}`));
      assertScrape(await get(`${v4()}/scrape?info_hash=${percentEncode(info)}&`));
    });

    it('ignores X-Forwarded-For and the ip param without a reverse proxy', async () => {
      const info = hash(750);
      const q = { infoHash: info, peerId: peerId(1), port: 6001, extra: '&ip=198.51.100.1' };
      assertOk(await get(announceUrl(v4(), q), { headers: { 'x-forwarded-for': '203.0.113.1' } }));
      const res = assertAnnounceDictionary(await announce(v4(), { infoHash: info, peerId: peerId(2), port: 6002 }));
      assert.deepEqual(
        res.peers.map((p) => p.ip),
        ['127.0.0.1'],
      );
    });

    it('accepts and ignores a well-formed key in public mode, and refuses a malformed one', async () => {
      const info = hash(800);
      assertOk(await announce(v4(), { infoHash: info }, UNKNOWN_KEY_VALUE));
      assertScrapeFile(await scrape(v4(), [info], UNKNOWN_KEY_VALUE), info, {
        complete: 0,
        downloaded: 0,
        incomplete: 1,
      });
      for (const bad of ['short', `${UNKNOWN_KEY_VALUE}x`, 'k'.repeat(65), 'k'.repeat(4000), '%C3%A9'.repeat(32)]) {
        assertFailure(await announce(v4(), { infoHash: info }, bad), INVALID_KEY_FORMAT);
        assertFailure(await scrape(v6(), [info], bad), INVALID_KEY_FORMAT);
      }
    });

    describe('failure texts (error-texts.md, HTTP): HTTP 200, text/plain, d14:failure reason…', () => {
      const good = () => announceQueryOf({ infoHash: hash(900), peerId: peerId(1), port: 6881 });
      const without = (name: string) =>
        good()
          .split('&')
          .filter((p) => !p.startsWith(`${name}=`))
          .join('&');
      const h21 = percentEncode(Buffer.alloc(21, 0xab));
      const cases: Array<[string, () => string, string]> = [
        ['announce without a query', () => '/announce', `${PFX_A}missing query params for announce request`],
        ['announce with an empty query', () => '/announce?', `${PFX_A}missing param info_hash`],
        ['a=b=c', () => `/announce?${good()}&a=b=c`, `${INVALID_PARAM}a=b=c`],
        ['a piece without =', () => `/announce?${good()}&compact`, `${INVALID_PARAM}compact in`],
        ['missing info_hash', () => `/announce?${without('info_hash')}`, `${PFX_A}missing param info_hash`],
        ['missing peer_id', () => `/announce?${without('peer_id')}`, `${PFX_A}missing param peer_id`],
        ['missing port', () => `/announce?${without('port')}`, `${PFX_A}missing param port`],
        [
          'info_hash with not enough bytes',
          () => `/announce?info_hash=%AB%cd&${without('info_hash')}`,
          `${PFX_A}invalid param value %AB%cd for info_hash in not enough bytes for infohash: got 2 bytes, expected 20`,
        ],
        [
          'an empty info_hash',
          () => `/announce?info_hash=&${without('info_hash')}`,
          `${PFX_A}invalid param value  for info_hash in not enough bytes for infohash: got 0 bytes, expected 20`,
        ],
        [
          'info_hash with too many bytes',
          () => `/announce?info_hash=${h21}&${without('info_hash')}`,
          `${PFX_A}invalid param value ${h21} for info_hash in too many bytes for infohash: got 21 bytes, expected 20`,
        ],
        [
          'a bad peer_id',
          () => `/announce?peer_id=short&${without('peer_id')}`,
          `${PFX_A}invalid param value short for peer_id in not enough bytes for peer id: got 5 bytes, expected 20`,
        ],
        [
          'port 65536',
          () => `/announce?port=65536&${without('port')}`,
          `${PFX_A}invalid param value 65536 for port in`,
        ],
        ['port -1', () => `/announce?port=-1&${without('port')}`, `${PFX_A}invalid param value -1 for port in`],
        ['an empty port', () => `/announce?port=&${without('port')}`, `${PFX_A}invalid param value  for port in`],
        [
          'port %31 (numbers are not decoded)',
          () => `/announce?port=%31&${without('port')}`,
          `${PFX_A}invalid param value %31 for port in`,
        ],
        ['uploaded -1', () => `/announce?${good()}&uploaded=-1`, `${PFX_A}invalid param value -1 for uploaded in`],
        [
          'downloaded abc',
          () => `/announce?${good()}&downloaded=abc`,
          `${PFX_A}invalid param value abc for downloaded in`,
        ],
        ['left 1.5', () => `/announce?${good()}&left=1.5`, `${PFX_A}invalid param value 1.5 for left in`],
        [
          'left above u64',
          () => `/announce?${good()}&left=18446744073709551616`,
          `${PFX_A}invalid param value 18446744073709551616 for left in`,
        ],
        [
          'left above i64 (overflow)',
          () => `/announce?${good()}&left=9223372036854775808`,
          `${PFX_A}param value overflow 9223372036854775808 for left in`,
        ],
        [
          'uploaded at u64 max (overflow)',
          () => `/announce?${good()}&uploaded=18446744073709551615`,
          `${PFX_A}param value overflow 18446744073709551615 for uploaded in`,
        ],
        [
          'event Started (case-sensitive)',
          () => `/announce?${good()}&event=Started`,
          `${PFX_A}invalid param value Started for event in`,
        ],
        ['event paused', () => `/announce?${good()}&event=paused`, `${PFX_A}invalid param value paused for event in`],
        ['compact 2', () => `/announce?${good()}&compact=2`, `${PFX_A}invalid param value 2 for compact in`],
        ['an empty compact', () => `/announce?${good()}&compact=`, `${PFX_A}invalid param value  for compact in`],
        ['numwant -1', () => `/announce?${good()}&numwant=-1`, `${PFX_A}invalid param value -1 for numwant in`],
        [
          'numwant above u32',
          () => `/announce?${good()}&numwant=4294967296`,
          `${PFX_A}invalid param value 4294967296 for numwant in`,
        ],
        ['an empty numwant', () => `/announce?${good()}&numwant=`, `${PFX_A}invalid param value  for numwant in`],
        ['a malformed query before a malformed key', () => `/announce/short?a=b=c`, `${INVALID_PARAM}a=b=c`],
        ['scrape without a query', () => '/scrape', `${PFX_S}missing query params for scrape request`],
        ['scrape a=b=c', () => `/scrape?a=b=c`, `${INVALID_PARAM}a=b=c`],
        ['scrape without info_hash', () => '/scrape?foo=bar', `${PFX_S}missing param info_hash`],
        ['scrape with an empty query', () => '/scrape?', `${PFX_S}missing param info_hash`],
        ['scrape with only empty pieces', () => '/scrape?&&', `${PFX_S}missing param info_hash`],
        [
          'scrape with a short info_hash',
          () => '/scrape?info_hash=short',
          `${PFX_S}invalid param value short for info_hash in not enough bytes for infohash: got 5 bytes, expected 20`,
        ],
        [
          'scrape: the first bad hash of several',
          () => `/scrape?info_hash=${percentEncode(hash(1))}&info_hash=%00&info_hash=${h21}`,
          `${PFX_S}invalid param value %00 for info_hash in not enough bytes for infohash: got 1 bytes, expected 20`,
        ],
        [
          'scrape with too many bytes',
          () => `/scrape?info_hash=${h21}`,
          `${PFX_S}invalid param value ${h21} for info_hash in too many bytes for infohash: got 21 bytes, expected 20`,
        ],
      ];
      for (const [name, path, text] of cases) {
        it(name, async () => {
          // node:http sends the path exactly as written (fetch would drop a bare `?`).
          for (const base of [v4(), v6()]) assertFailure(await nodeGet(`${base}${path()}`), text);
        });
      }

      it('a successful answer is application/octet-stream', async () => {
        const res = await get(`${v4()}/announce?${good()}`);
        assert.equal(res.headers['content-type'], 'application/octet-stream');
        assertOk(res);
      });
    });

    describe('robustness: never a 500, never a hang', () => {
      it('answers a wrong method with 405', async () => {
        for (const [method, path] of [
          ['POST', '/announce'],
          ['PUT', '/scrape'],
          ['DELETE', `/announce/${UNKNOWN_KEY_VALUE}`],
          ['PATCH', '/health_check'],
        ]) {
          const res = await get(
            `${v4()}${path}?${announceQueryOf({ infoHash: hash(1), peerId: peerId(1), port: 1 })}`,
            { method },
          );
          assert.equal(res.status, 405, `${method} ${path}`);
        }
      });

      it('answers unknown paths, /announce/ and /scrape/ with 404 and an empty body', async () => {
        for (const path of [
          '/',
          '/foo',
          '/announce/',
          '/scrape/',
          '/announce/a/b',
          '/api/v1/stats',
          '/announcex?info_hash=x',
        ]) {
          const res = await get(`${v6()}${path}`);
          assert.equal(res.status, 404, path);
          assert.equal(res.body.length, 0, path);
        }
      });

      it('refuses a 20 KiB request line cleanly (431)', async () => {
        const long = `GET /announce?${announceQueryOf({ infoHash: hash(1), peerId: peerId(1), port: 1 })}&pad=${'x'.repeat(20 * 1024)} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
        const raw = await rawTcp(ipv4(app).host, ipv4(app).port, Buffer.from(long));
        assert.equal(statusOfRaw(raw), 431);
        assert.match(raw.toString('latin1'), /Content-Length: 0\r\n/i, 'an empty body');
        // And through fetch: a clean 4xx or a closed connection, never a 5xx.
        const res = await get(`${v4()}/announce?pad=${'x'.repeat(20 * 1024)}`).catch(() => null);
        if (res !== null) assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      });

      it('treats invalid percent escapes as literal bytes', async () => {
        const rest = `peer_id=${percentEncode(peerId(1))}&port=6881`;
        assertFailure(
          await get(`${v4()}/announce?info_hash=%zz&${rest}`),
          `${PFX_A}invalid param value %zz for info_hash in not enough bytes for infohash: got 3 bytes, expected 20`,
        );
        assertFailure(
          await get(`${v4()}/announce?info_hash=%&${rest}`),
          `${PFX_A}invalid param value % for info_hash in not enough bytes for infohash: got 1 bytes, expected 20`,
        );
        // `%zz` + 17 bytes, and a trailing `%4`: 20 literal-ish bytes, a valid hash.
        assertOk(await get(`${v4()}/announce?info_hash=%zz${'a'.repeat(17)}&${rest}`));
        assertOk(await get(`${v4()}/announce?info_hash=${'b'.repeat(18)}%4&${rest}`));
        // A key segment that cannot even be percent-decoded is a malformed key.
        assertFailure(
          await get(`${v4()}/announce/%zz?${rest}`),
          'Tracker authentication error: Invalid format for authentication key param',
        );
        assertFailure(
          await get(`${v4()}/scrape/%zz?info_hash=%zz`),
          'Tracker authentication error: Invalid format for authentication key param',
        );
      });

      it('survives binary garbage bytes in the query and the path', async () => {
        const { host, port } = ipv4(app);
        for (const garbage of [
          Buffer.from([0x00, 0x01, 0x7f]),
          Buffer.from([0x80, 0xfe, 0xff, 0xc3, 0x28]),
          Buffer.from('\r\r\t'),
        ]) {
          const request = Buffer.concat([
            Buffer.from('GET /announce?info_hash='),
            garbage,
            Buffer.from(`&peer_id=x&port=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
          ]);
          const raw = await rawTcp(host, port, request);
          const status = statusOfRaw(raw);
          assert.ok(status === 0 || status === 200 || (status >= 400 && status < 500), `status ${status}`);
          if (status === 200) assert.ok(raw.includes('d14:failure reason'), 'a tracker failure');
        }
        const utf8 = await get(`${v4()}/announce?info_hash=${'é'.repeat(10)}&peer_id=${'€'.repeat(7)}&port=1`);
        assertFailure(utf8, `${PFX_A}invalid param value`);
      });

      it('closes a garbage TCP request with 400 and keeps serving', async () => {
        for (const l of app.http) {
          const raw = await rawTcp(l.host, l.port, Buffer.from('GARBAGE\r\n\r\n'));
          assert.equal(statusOfRaw(raw), 400);
          assert.match(raw.toString('latin1'), /Content-Length: 0\r\n/i, 'an empty body');
          const raw2 = await rawTcp(l.host, l.port, Buffer.from('GET / HTTP/9.9\r\n\r\n'));
          assert.ok([0, 400, 404, 505].includes(statusOfRaw(raw2)), `status ${statusOfRaw(raw2)}`);
          assertOk(await announce(l.url, { infoHash: hash(1000) }));
        }
      });
    });

    it('answers two requests over one keep-alive connection', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const info = hash(1100);
        const first = await nodeGet(announceUrl(v6(), { infoHash: info, peerId: peerId(1), port: 6001, left: 1 }), {
          agent,
        });
        const second = await nodeGet(scrapeUrl(v6(), [info]), { agent });
        assertOk(first);
        assertScrapeFile(second, info, { complete: 0, downloaded: 0, incomplete: 1 });
        assert.equal(second.localPort, first.localPort, 'the same TCP connection');
        assert.notEqual(first.headers.connection, 'close');
      } finally {
        agent.destroy();
      }
    });
  });

  describe('counters', () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp({ http: ['127.0.0.1:0', '[::1]:0'] });
    });
    after(() => app.close());

    it('counts tcp4/tcp6 announces, scrapes and connections per listener family; failures count nothing', async () => {
      const start = counterSnapshot(app);
      const info = hash(1);
      assertOk(await announce(ipv4(app).url, { infoHash: info, peerId: peerId(1) }));
      assertOk(await announce(ipv4(app).url, { infoHash: info, peerId: peerId(2), port: 2 }));
      assertScrape(await scrape(ipv4(app).url, [info]));
      assertOk(await announce(ipv6(app).url, { infoHash: info, peerId: peerId(3) }));
      assertScrape(await scrape(ipv6(app).url, [info]));
      assertScrape(await scrape(ipv6(app).url, [info, hash(2)]));
      assertFailure(await get(`${ipv4(app).url}/announce`), PFX_A);
      assertFailure(await get(`${ipv6(app).url}/scrape?info_hash=x`), PFX_S);
      assertFailure(await announce(ipv4(app).url, { infoHash: info }, 'bad'), INVALID_KEY_FORMAT);
      assert.equal((await get(`${ipv4(app).url}/nowhere`)).status, 404);
      assert.deepEqual(counterDelta(start, app), {
        tcp4_connections_handled: 3,
        tcp4_announces_handled: 2,
        tcp4_scrapes_handled: 1,
        tcp6_connections_handled: 3,
        tcp6_announces_handled: 1,
        tcp6_scrapes_handled: 2,
      });
    });
  });

  describe('in private mode', () => {
    const clock = new StoppedClock(Date.UTC(2026, 5, 1, 12, 0, 0));
    let app: TestApp;
    const base = () => app.http[0].url;
    const newKey = async (seconds: number | null = 60) =>
      (await app.tracker.app.get(AuthKeysService).add(null, seconds)).key;

    before(async () => {
      app = await createTestApp({ private: true, clock, http: ['127.0.0.1:0'] });
    });
    after(() => app.close());

    it('announces with a valid key on /announce/{key}', async () => {
      const key = await newKey();
      const res = assertAnnounceDictionary(await announce(base(), { infoHash: hash(1) }, key));
      assert.deepEqual([res.complete, res.incomplete], [0, 1]);
    });

    it('refuses /announce without a key', async () => {
      assertFailure(await announce(base(), { infoHash: hash(1) }), MISSING_KEY);
    });

    it('refuses a malformed key', async () => {
      for (const key of ['short', `${UNKNOWN_KEY_VALUE}x`, `${UNKNOWN_KEY_VALUE.slice(1)}-`]) {
        assertFailure(await announce(base(), { infoHash: hash(1) }, key), INVALID_KEY_FORMAT);
      }
    });

    it('refuses an unknown key, naming it', async () => {
      assertFailure(
        await announce(base(), { infoHash: hash(1) }, UNKNOWN_KEY_VALUE),
        `${UNKNOWN_KEY}${UNKNOWN_KEY_VALUE}`,
      );
    });

    it('refuses an expired key (injected clock)', async () => {
      const key = await newKey(60);
      assertOk(await announce(base(), { infoHash: hash(2) }, key));
      clock.advanceSeconds(61);
      assertFailure(await announce(base(), { infoHash: hash(2) }, key), EXPIRED_KEY);
      assertScrapeFile(await scrape(base(), [hash(2)], key), hash(2), ZEROS);
    });

    it('scrapes zeros without a valid key and real numbers with one', async () => {
      const info = hash(3);
      const key = await newKey(null);
      assertOk(await announce(base(), { infoHash: info, peerId: peerId(1) }, key));
      assertOk(await announce(base(), { infoHash: info, peerId: peerId(2), port: 2, left: 0 }, key));
      assertScrapeFile(await scrape(base(), [info]), info, ZEROS);
      assertScrapeFile(await scrape(base(), [info], UNKNOWN_KEY_VALUE), info, ZEROS);
      assertScrapeFile(await scrape(base(), [info], key), info, { complete: 1, downloaded: 0, incomplete: 1 });
      assertFailure(await scrape(base(), [info], 'malformed'), INVALID_KEY_FORMAT);
    });
  });

  describe('in private mode with check_keys_expiration = false', () => {
    it('lets an expired key in', async () => {
      const clock = new StoppedClock(Date.UTC(2026, 5, 1, 12, 0, 0));
      const app = await createTestApp({
        private: true,
        clock,
        extraToml: '[core.private_mode]\ncheck_keys_expiration = false',
      });
      try {
        const { key } = await app.tracker.app.get(AuthKeysService).add(null, 60);
        clock.advanceSeconds(3600);
        assertOk(await announce(app.http[0].url, { infoHash: hash(1) }, key));
        assertScrapeFile(await scrape(app.http[0].url, [hash(1)], key), hash(1), {
          complete: 0,
          downloaded: 0,
          incomplete: 1,
        });
      } finally {
        await app.close();
      }
    });
  });

  describe('in listed mode', () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp({ listed: true });
    });
    after(() => app.close());

    it('refuses a torrent that is not whitelisted, naming its hash', async () => {
      const info = hash(1);
      assertFailure(
        await announce(app.http[0].url, { infoHash: info }),
        `${NOT_WHITELISTED}${hex(info)}, is not whitelisted`,
      );
    });

    it('announces a whitelisted torrent and scrapes zeros for an unlisted one', async () => {
      const listed = hash(2);
      const unlisted = hash(3);
      await app.tracker.app.get(WhitelistService).add(hex(listed));
      assertOk(await announce(app.http[0].url, { infoHash: listed }));
      assertFailure(await announce(app.http[0].url, { infoHash: unlisted }), NOT_WHITELISTED);
      const files = assertScrape(await scrape(app.http[0].url, [listed, unlisted]));
      assert.deepEqual(files.get(hex(listed)), { complete: 0, downloaded: 0, incomplete: 1 });
      assert.deepEqual(files.get(hex(unlisted)), ZEROS);
    });
  });

  describe('behind a reverse proxy (on_reverse_proxy = true)', () => {
    let app: TestApp;
    const v4 = () => ipv4(app).url;
    before(async () => {
      app = await createTestApp({ http: ['127.0.0.1:0', '[::1]:0'], extraToml: '[core.net]\non_reverse_proxy = true' });
    });
    after(() => app.close());

    it('takes the right-most X-Forwarded-For entry as the peer address', async () => {
      const info = hash(1);
      const xff = { 'x-forwarded-for': '198.51.100.1, 203.0.113.5' };
      assertOk(await get(announceUrl(v4(), { infoHash: info, peerId: peerId(1), port: 6001 }), { headers: xff }));
      const res = assertAnnounceDictionary(
        await get(announceUrl(v4(), { infoHash: info, peerId: peerId(2), port: 6002 }), {
          headers: { 'x-forwarded-for': '198.51.100.77' },
        }),
      );
      assert.deepEqual(
        res.peers.map((p) => `${p.ip}:${p.port}`),
        ['203.0.113.5:6001'],
      );
    });

    it('reads repeated header lines, skips ip:port entries, and accepts an IPv6 entry', async () => {
      const info = hash(2);
      assertOk(
        await nodeGet(announceUrl(ipv6(app).url, { infoHash: info, peerId: peerId(1), port: 6001 }), {
          headers: { 'x-forwarded-for': ['203.0.113.5', '198.51.100.20, 198.51.100.21:8080'] },
        }),
      );
      assertOk(
        await nodeGet(announceUrl(v4(), { infoHash: info, peerId: peerId(2), port: 6002 }), {
          headers: { 'x-forwarded-for': '2001:db8::2' },
        }),
      );
      const res = assertAnnounceCompact(
        await get(announceUrl(v4(), { infoHash: info, peerId: peerId(3), port: 6003, compact: 1 }), {
          headers: { 'x-forwarded-for': '198.51.100.30' },
        }),
      );
      assert.deepEqual(res.peers, [{ ip: '198.51.100.20', port: 6001 }]);
      assert.deepEqual(res.peers6, [{ ip: '2001:db8::2', port: 6002 }]);
    });

    it('counts by the family of the forwarded address', async () => {
      const start = counterSnapshot(app);
      const q = { infoHash: hash(3), peerId: peerId(1), port: 1 };
      assertOk(await get(announceUrl(v4(), q), { headers: { 'x-forwarded-for': '2001:db8::9' } }));
      assertScrape(await get(scrapeUrl(ipv6(app).url, [hash(3)]), { headers: { 'x-forwarded-for': '198.51.100.9' } }));
      const delta = counterDelta(start, app);
      assert.equal(delta.tcp6_announces_handled, 1);
      assert.equal(delta.tcp4_scrapes_handled, 1);
    });

    it('fails announce and scrape without a usable X-Forwarded-For, never using the socket address', async () => {
      const info = hash(4);
      for (const l of app.http) {
        assertFailure(await announce(l.url, { infoHash: info }), CLIENT_IP);
        assertFailure(await scrape(l.url, [info]), CLIENT_IP);
        assertFailure(
          await get(announceUrl(l.url, { infoHash: info, peerId: peerId(1), port: 1 }), {
            headers: { 'x-forwarded-for': 'unknown, 10.0.0.1:80' },
          }),
          CLIENT_IP,
        );
      }
      assertScrapeFile(
        await get(scrapeUrl(v4(), [info]), { headers: { 'x-forwarded-for': '198.51.100.1' } }),
        info,
        ZEROS,
      );
    });
  });

  describe('external_ip', () => {
    let app: TestApp | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('shows loopback peers as the configured external_ip', async () => {
      app = await createTestApp({
        http: ['127.0.0.1:0', '[::1]:0'],
        extraToml: '[core.net]\nexternal_ip = "203.0.113.9"',
      });
      const info = hash(1);
      assertOk(await announce(ipv4(app).url, { infoHash: info, peerId: peerId(1), port: 6001 }));
      assertOk(await announce(ipv6(app).url, { infoHash: info, peerId: peerId(2), port: 6002 }));
      const res = assertAnnounceDictionary(
        await announce(ipv4(app).url, { infoHash: info, peerId: peerId(3), port: 6003 }),
      );
      assert.deepEqual(res.peers.map((p) => `${p.ip}:${p.port}`).sort(), ['203.0.113.9:6001', '203.0.113.9:6002']);
    });

    it('keeps loopback peers as they are with the default 0.0.0.0', async () => {
      app = await createTestApp({ http: ['127.0.0.1:0', '[::1]:0'] });
      assert.equal(app.tracker.config.core.net.externalIp, null);
      const info = hash(1);
      assertOk(await announce(ipv4(app).url, { infoHash: info, peerId: peerId(1), port: 6001 }));
      assertOk(await announce(ipv6(app).url, { infoHash: info, peerId: peerId(2), port: 6002 }));
      const res = assertAnnounceDictionary(
        await announce(ipv4(app).url, { infoHash: info, peerId: peerId(3), port: 6003 }),
      );
      assert.deepEqual(res.peers.map((p) => `${p.ip}:${p.port}`).sort(), ['127.0.0.1:6001', '::1:6002']);
    });
  });

  describe('over TLS', () => {
    let dir: string;
    let app: TestApp;
    const secure = () => app.http.find((l) => l.tls) as BoundListener;
    const plain = () => app.http.find((l) => !l.tls) as BoundListener;
    const tlsBlock = (cert: string, key: string) =>
      `[[http_trackers]]\nbind_address = "127.0.0.1:0"\n[http_trackers.tsl_config]\nssl_cert_path = ${JSON.stringify(cert)}\nssl_key_path = ${JSON.stringify(key)}`;

    before(async () => {
      dir = selfSignedCertificate('tracker-tls-').dir;
      app = await createTestApp({
        httpBlocks: [
          tlsBlock(join(dir, 'cert.pem'), join(dir, 'key.pem')),
          '[[http_trackers]]\nbind_address = "[::1]:0"',
        ],
      });
    });
    after(async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('announces and scrapes over https', async () => {
      const l = secure();
      assert.equal(l.tls, true);
      assert.match(l.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const info = hash(1);
      const res = assertAnnounceCompact(
        await nodeGet(announceUrl(l.url, { infoHash: info, peerId: peerId(1), port: 6881, left: 1, compact: 1 })),
      );
      assert.deepEqual([res.complete, res.incomplete], [0, 1]);
      assertScrapeFile(await nodeGet(scrapeUrl(l.url, [info])), info, { complete: 0, downloaded: 0, incomplete: 1 });
      assertFailure(await nodeGet(`${l.url}/announce`), PFX_A);
    });

    it('speaks HTTPS only, beside a plain listener', async () => {
      assert.equal(plain().tls, false);
      assertOk(await announce(plain().url, { infoHash: hash(2) }));
      const l = secure();
      const raw = await rawTcp(l.host, l.port, Buffer.from('GET /health_check HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      assert.notEqual(statusOfRaw(raw), 200);
    });

    it('answers a request stalled in its headers with 408 after about 5 s, over TLS and plain', async () => {
      const stalled = Buffer.from('GET /announce?info_hash=x HTTP/1.1\r\nHost: localhost\r\n');
      const started = Date.now();
      const [overTls, overTcp] = await Promise.all([
        rawTcp(secure().host, secure().port, stalled, { tls: true, idleMs: 20_000 }),
        rawTcp(plain().host, plain().port, stalled, { idleMs: 20_000 }),
      ]);
      const elapsed = Date.now() - started;
      assert.equal(statusOfRaw(overTls), 408);
      assert.equal(statusOfRaw(overTcp), 408);
      assert.ok(elapsed >= 4_500 && elapsed < 10_000, `answered after ${elapsed} ms`);
    });

    it('reports a missing certificate file at startup, naming the path', async () => {
      const missing = join(dir, 'missing-cert.pem');
      const toml = testConfigToml(dir, { httpBlocks: [tlsBlock(missing, join(dir, 'key.pem'))] });
      const loaded = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML: toml }, dir);
      assert.ok(loaded.ok);
      if (!loaded.ok) return;
      const problems = await checkEnvironment(loaded.config, dir);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].path, 'http_trackers[0].tsl_config.ssl_cert_path');
      assert.equal(problems[0].value, missing);
      assert.match(problems[0].rule, /no such file/);
    });
  });
});
