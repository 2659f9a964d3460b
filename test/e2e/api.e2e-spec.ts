/**
 * The admin REST API against the running tracker (real sockets, SQLite file): every route and
 * error of Torrust's API v1, the token in the query and as Bearer, and the API's effects on the
 * trackers — whitelist in listed mode, keys in private mode, stats after announces, the
 * database kept across a restart.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { STATS_FIELDS } from '../../src/api/v1/stats/dto/stats.dto.js';
import { DatabaseService } from '../../src/persistence/database/database.service.js';
import {
  ADMIN_TOKEN,
  announce,
  ApiClient,
  assertAuthKey,
  assertEmptyStatus,
  assertFailedTo,
  assertInvalidAuthKeyParam,
  assertInvalidInfoHashParam,
  assertOk,
  assertTextError,
  assertTokenNotValid,
  assertTorrentNotKnown,
  assertUnauthorized,
  assertUnknownTokenProvided,
  bytesOf,
  httpsGet,
  json,
  type TokenIn,
} from '../support/api-client.js';
import { selfSignedCertificate } from '../support/tls.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HASH = '9c38422213e30bff212b30c360d26f9a02136422';
const KEY = 'xqD6NWH9TcKrOCwDmqcdH5hF5RrbL0A6';

function infoHash(n: number): string {
  return `ab${n.toString(16).padStart(38, '0')}`;
}

function peerId(text: string): Buffer {
  return Buffer.from(text.padEnd(20, '0').slice(0, 20), 'latin1');
}

interface TorrentBody {
  info_hash: string;
  seeders: number;
  completed: number;
  leechers: number;
  peers: Array<{
    peer_id: { id: string | null; client: string | null };
    peer_addr: string;
    updated: number;
    updated_milliseconds_ago: number;
    uploaded: number;
    downloaded: number;
    left: number;
    event: string;
  }>;
}

const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/api/v1/stats'],
  ['GET', `/api/v1/torrent/${HASH}`],
  ['GET', '/api/v1/torrents'],
  ['POST', `/api/v1/whitelist/${HASH}`],
  ['DELETE', `/api/v1/whitelist/${HASH}`],
  ['GET', '/api/v1/whitelist/reload'],
  ['POST', '/api/v1/key/120'],
  ['POST', '/api/v1/keys'],
  ['DELETE', `/api/v1/key/${KEY}`],
  ['GET', '/api/v1/keys/reload'],
];

describe('REST API v1 (running tracker)', () => {
  describe('in public mode', () => {
    let app: TestApp;
    let api: ApiClient;
    let http: string;
    let http6: string;

    before(async () => {
      app = await createTestApp({ http: ['127.0.0.1:0', '[::1]:0'] });
      assert.ok(app.api, 'the API listener is started and registered');
      api = new ApiClient(app.api.url);
      http = app.http.find((l) => !l.host.includes(':'))!.url;
      http6 = app.http.find((l) => l.host.includes(':'))!.url;
    });
    after(() => app.close());

    it('listens on an ephemeral port and reports the address', () => {
      assert.match(app.api!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(app.api!.kind, 'api');
      assert.equal(app.api!.configured, '127.0.0.1:0');
    });

    it('answers GET /api/health_check without a token', async () => {
      const res = await api.get('/api/health_check', { tokenIn: 'none' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal(res.text, '{"status":"Ok"}');
    });

    describe('authentication on every /api/v1 route', () => {
      for (const [method, path] of ROUTES) {
        it(`${method} ${path}`, async () => {
          assertUnauthorized(await api.request(method, path, { tokenIn: 'none' }));
          assertTokenNotValid(await api.request(method, path, { token: 'wrong' }));
          assertTokenNotValid(await api.request(method, path, { token: '' }));
          assertTokenNotValid(await api.request(method, path, { tokenIn: 'header', token: 'wrong' }));
          assertUnknownTokenProvided(
            await api.request(method, path, { headers: { authorization: `Basic ${ADMIN_TOKEN}` } }),
          );
        });
      }
    });

    for (const tokenIn of ['query', 'header'] as TokenIn[]) {
      it(`accepts the token in the ${tokenIn}`, async () => {
        const res = await api.get('/api/v1/stats', { tokenIn });
        assert.equal(res.status, 200);
      });
    }

    it('accepts a form-encoded token in the query', async () => {
      const res = await fetch(`${app.api!.url}/api/v1/stats?format=json&token=My%41ccessToken`);
      assert.equal(res.status, 200);
    });

    describe('stats', () => {
      it('counts an HTTP announce: torrent totals and tcp4 counters, JSON and Prometheus', async () => {
        const before = json<Record<string, number>>(await api.get('/api/v1/stats'));
        const result = await announce(http, {
          infoHash: bytesOf(infoHash(900)),
          peerId: peerId('-qB4630-stats'),
          port: 6881,
          left: 100,
          event: 'started',
        });
        assert.equal(result.failure, null);
        const res = await api.get('/api/v1/stats');
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'application/json');
        const stats = json<Record<string, number | boolean>>(res);
        assert.deepEqual(Object.keys(stats), [...STATS_FIELDS]);
        assert.equal(stats.torrents, before.torrents + 1);
        assert.equal(stats.leechers, before.leechers + 1);
        assert.equal(stats.tcp4_announces_handled, before.tcp4_announces_handled + 1);
        assert.equal(stats.tcp4_connections_handled, before.tcp4_connections_handled + 1);
        assert.equal(stats.completed_persisted_enabled, false);

        const text = await api.get('/api/v1/stats', { query: 'format=prometheus' });
        assert.equal(text.status, 200);
        assert.equal(text.headers['content-type'], 'text/plain; charset=utf-8');
        const lines = text.text.split('\n');
        assert.equal(lines.length, STATS_FIELDS.length);
        assert.ok(lines.includes(`tcp4_announces_handled ${stats.tcp4_announces_handled}`));
        assert.ok(lines.includes(`torrents ${stats.torrents}`));

        assertTextError(
          await api.get('/api/v1/stats', { query: 'format=xml' }),
          400,
          'Failed to deserialize query string: unknown variant `xml`, expected `json` or `prometheus`',
        );
      });
    });

    describe('GET /api/v1/torrent/{info_hash}', () => {
      it('answers "torrent not known" (200) for an unknown torrent', async () => {
        assertTorrentNotKnown(await api.get(`/api/v1/torrent/${infoHash(1)}`));
      });

      it('answers 400 for a malformed info hash, 404 for an empty segment', async () => {
        assertInvalidInfoHashParam(await api.get('/api/v1/torrent/abc'), 'abc');
        assertInvalidInfoHashParam(await api.get(`/api/v1/torrent/${HASH}0`), `${HASH}0`);
        assertEmptyStatus(await api.get('/api/v1/torrent/'), 404);
      });

      it('reports every peer with Torrust field formats (IPv4 and IPv6)', async () => {
        const t = infoHash(901);
        const beforeMs = Date.now();
        const seeder = await announce(http6, {
          infoHash: bytesOf(t),
          peerId: peerId('-TR4060-zzzzzzzzzzzz'),
          port: 51413,
          left: 0,
          uploaded: 7,
          event: 'started',
        });
        assert.equal(seeder.failure, null);
        const leecher = await announce(http, {
          infoHash: bytesOf(t),
          peerId: peerId('-qB4630-aaaaaaaaaaaa'),
          port: 17548,
          left: 1234,
          downloaded: 99,
        });
        assert.equal(leecher.failure, null);
        const afterMs = Date.now();

        const res = await api.get(`/api/v1/torrent/${t.toUpperCase()}`);
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'application/json');
        const body = json<TorrentBody>(res);
        assert.deepEqual(Object.keys(body), ['info_hash', 'seeders', 'completed', 'leechers', 'peers']);
        assert.deepEqual([body.info_hash, body.seeders, body.completed, body.leechers], [t, 1, 0, 1]);
        assert.equal(body.peers.length, 2);
        const byClient = new Map(body.peers.map((p) => [p.peer_id.client, p]));
        const q = byClient.get('qBittorrent')!;
        const r = byClient.get('Transmission')!;
        assert.deepEqual(
          body.peers.map((p) => p.peer_id.client),
          ['Transmission', 'qBittorrent'],
          'peers ascend by peer id bytes ("-TR" < "-qB")',
        );
        assert.deepEqual(Object.keys(q), [
          'peer_id',
          'peer_addr',
          'updated',
          'updated_milliseconds_ago',
          'uploaded',
          'downloaded',
          'left',
          'event',
        ]);
        assert.equal(q.peer_id.id, `0x${peerId('-qB4630-aaaaaaaaaaaa').toString('hex')}`);
        assert.match(q.peer_id.id!, /^0x[0-9a-f]{40}$/);
        assert.equal(q.peer_addr, '127.0.0.1:17548');
        assert.equal(r.peer_addr, '[::1]:51413');
        for (const p of [q, r]) {
          assert.ok(Number.isInteger(p.updated) && p.updated >= beforeMs && p.updated <= afterMs, `${p.updated}`);
          assert.equal(p.updated_milliseconds_ago, p.updated);
        }
        assert.deepEqual([q.uploaded, q.downloaded, q.left, q.event], [0, 99, 1234, 'None']);
        assert.deepEqual([r.uploaded, r.downloaded, r.left, r.event], [7, 0, 0, 'Started']);
      });
    });

    describe('GET /api/v1/torrents', () => {
      const hashes = [905, 903, 904, 902].map(infoHash);
      before(async () => {
        for (const [i, h] of hashes.entries()) {
          const r = await announce(http, { infoHash: bytesOf(h), peerId: peerId(`-qB4630-list${i}`), port: 7000 + i });
          assert.equal(r.failure, null);
        }
      });

      it('lists torrents ordered by info hash, items without peers', async () => {
        const res = await api.get('/api/v1/torrents');
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'application/json');
        const items = json<Array<Record<string, unknown>>>(res);
        const listed = items.map((i) => i.info_hash as string);
        assert.deepEqual(listed, [...listed].sort());
        for (const h of hashes) assert.ok(listed.includes(h), h);
        assert.deepEqual(Object.keys(items[0]), ['info_hash', 'seeders', 'completed', 'leechers']);
      });

      it('pages with offset (items) and limit', async () => {
        const all = json<Array<{ info_hash: string }>>(await api.get('/api/v1/torrents')).map((i) => i.info_hash);
        const page = json<Array<{ info_hash: string }>>(
          await api.get('/api/v1/torrents', { query: 'offset=1&limit=2' }),
        );
        assert.deepEqual(
          page.map((i) => i.info_hash),
          all.slice(1, 3),
        );
        assert.deepEqual(json(await api.get('/api/v1/torrents', { query: `offset=${all.length}` })), []);
        assert.deepEqual(json(await api.get('/api/v1/torrents', { query: 'limit=0' })), []);
      });

      it('answers the repeated info_hash params in request order, ignoring paging and unknown hashes', async () => {
        const wanted = [hashes[0], infoHash(999), hashes[3], hashes[0]];
        const query = `limit=1&offset=3&${wanted.map((h) => `info_hash=${h}`).join('&')}`;
        const items = json<Array<{ info_hash: string; leechers: number }>>(
          await api.get('/api/v1/torrents', { query }),
        );
        assert.deepEqual(
          items.map((i) => i.info_hash),
          [hashes[0], hashes[3], hashes[0]],
        );
        assert.equal(items[0].leechers, 1);
      });

      it('answers 400 for bad offset, limit or info_hash', async () => {
        for (const query of ['offset=-1', 'limit=abc', 'offset=1.5', 'limit=%20']) {
          assertTextError(
            await api.get('/api/v1/torrents', { query }),
            400,
            'Failed to deserialize query string: invalid digit found in string',
          );
        }
        assertInvalidInfoHashParam(await api.get('/api/v1/torrents', { query: 'info_hash=xyz' }), 'xyz');
      });
    });

    describe('whitelist', () => {
      it('adds (idempotent), removes (idempotent) and reloads', async () => {
        assertOk(await api.post(`/api/v1/whitelist/${HASH}`));
        assertOk(await api.post(`/api/v1/whitelist/${HASH}`));
        assertOk(await api.get('/api/v1/whitelist/reload'));
        assertOk(await api.delete(`/api/v1/whitelist/${HASH}`));
        assertOk(await api.delete(`/api/v1/whitelist/${HASH}`));
      });

      it('answers 400 for a malformed hash, and for POST /whitelist/reload', async () => {
        assertInvalidInfoHashParam(await api.post('/api/v1/whitelist/abc'), 'abc');
        assertInvalidInfoHashParam(await api.delete('/api/v1/whitelist/abc'), 'abc');
        assertInvalidInfoHashParam(await api.post('/api/v1/whitelist/reload'), 'reload');
      });
    });

    describe('keys', () => {
      it('generates an expiring key with POST /api/v1/key/{seconds}', async () => {
        const nowS = Math.floor(Date.now() / 1000);
        const body = assertAuthKey(await api.post('/api/v1/key/7257600', { tokenIn: 'header' }));
        assert.ok(Number.isInteger(body.valid_until));
        assert.ok(Math.abs(body.valid_until! - (nowS + 7257600)) <= 2);
        assert.match(body.expiry_time!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? UTC$/);
      });

      it('answers 400 for a non-numeric or overflowing lifetime', async () => {
        assertTextError(await api.post('/api/v1/key/abc'), 400, 'Invalid URL: Cannot parse `"abc"` to a `u64`');
        assertTextError(
          await api.post('/api/v1/key/18446744073709551615'),
          400,
          'Invalid URL: invalid auth key duration: "18446744073709551615"',
        );
      });

      it('adds given and permanent keys with POST /api/v1/keys, refuses duplicates with 500', async () => {
        const given = assertAuthKey(await api.addKey({ key: KEY, seconds_valid: 60 }));
        assert.equal(given.key, KEY);
        assert.ok(Number.isInteger(given.valid_until));
        assertFailedTo(await api.addKey({ key: KEY, seconds_valid: 60 }), 'failed to generate key: ');
        const permanent = assertAuthKey(await api.addKey({}));
        assert.deepEqual([permanent.valid_until, permanent.expiry_time], [null, null]);
        const permanent2 = assertAuthKey(await api.addKey({ key: null, seconds_valid: null }));
        assert.notEqual(permanent2.key, permanent.key);
      });

      it('refuses bad keys (400), wrong JSON types (422), no JSON content type (415), bad JSON (400)', async () => {
        assertTextError(
          await api.addKey({ key: 'abc' }),
          400,
          'Invalid URL: invalid auth key: string "abc", Invalid key length. Key must be have 32 chars',
        );
        assertTextError(
          await api.addKey({ seconds_valid: '-1' }),
          422,
          'Failed to deserialize the JSON body into the target type: seconds_valid: invalid type: string "-1", expected u64',
        );
        assertTextError(
          await api.post('/api/v1/keys', { body: '{}' }),
          415,
          'Expected request with `Content-Type: application/json`',
        );
        const bad = await api.post('/api/v1/keys', { headers: { 'content-type': 'application/json' }, body: '{' });
        assert.equal(bad.status, 400);
        assert.match(bad.text, /^Failed to parse the request body as JSON: /);
        const huge = await api.addKey({ key: 'x'.repeat(100_000) });
        assertTextError(huge, 413, 'Failed to buffer the request body: length limit exceeded');
      });

      it('deletes a key; an unknown key is a 500, a malformed one a 400', async () => {
        const { key } = assertAuthKey(await api.post('/api/v1/key/60'));
        assertOk(await api.delete(`/api/v1/key/${key}`));
        assertFailedTo(await api.delete(`/api/v1/key/${key}`), 'failed to delete key: ');
        assertInvalidAuthKeyParam(await api.delete('/api/v1/key/abc'), 'abc');
      });

      it('reloads keys', async () => {
        assertOk(await api.get('/api/v1/keys/reload'));
      });
    });

    describe('routing', () => {
      it('answers unknown routes 404 and wrong methods 405, with empty bodies', async () => {
        assertEmptyStatus(await api.get('/api/v1/nothing'), 404);
        assertEmptyStatus(await api.get('/'), 404);
        assertEmptyStatus(await api.request('PUT', '/api/v1/stats'), 405);
        assertEmptyStatus(await api.request('GET', '/api/v1/keys'), 405);
      });

      it('never answers Nest’s 201 for a POST', async () => {
        assertOk(await api.post(`/api/v1/whitelist/${infoHash(77)}`));
      });

      it('serves Swagger UI at /api/docs and the OpenAPI JSON at /api/docs-json', async () => {
        const ui = await api.get('/api/docs', { tokenIn: 'none' });
        assert.equal(ui.status, 200);
        assert.match(ui.headers['content-type'], /^text\/html/);
        const doc = await api.get('/api/docs-json', { tokenIn: 'none' });
        assert.equal(doc.status, 200);
        assert.ok(json<{ paths: Record<string, unknown> }>(doc).paths['/api/v1/key/{seconds_valid}']);
      });
    });

    describe('when the database fails', () => {
      it('answers 500 with the reason and leaves memory unchanged', async () => {
        // Last test of this app: the database is closed under the API's feet.
        const t = infoHash(555);
        assertOk(await api.post(`/api/v1/whitelist/${t}`));
        await app.tracker.app.get(DatabaseService).close();
        assertFailedTo(await api.post(`/api/v1/whitelist/${infoHash(556)}`), 'failed to whitelist torrent: ');
        assertFailedTo(await api.delete(`/api/v1/whitelist/${t}`), 'failed to remove torrent from whitelist: ');
        assertFailedTo(await api.get('/api/v1/whitelist/reload'), 'failed to reload whitelist: ');
        assertFailedTo(await api.post('/api/v1/key/60'), 'failed to generate key: ');
        assertFailedTo(await api.get('/api/v1/keys/reload'), 'failed to reload keys: ');
        assertFailedTo(await api.delete(`/api/v1/key/${KEY}`), 'failed to delete key: ');
        const { WhitelistService } = await import('../../src/whitelist/whitelist.service.js');
        const whitelist = app.tracker.app.get(WhitelistService);
        assert.equal(whitelist.has(t), true, 'a failed removal keeps the hash');
        assert.equal(whitelist.has(infoHash(556)), false, 'a failed addition adds nothing');
      });
    });
  });

  describe('in listed mode', () => {
    let app: TestApp;
    let api: ApiClient;
    before(async () => {
      app = await createTestApp({ listed: true });
      api = new ApiClient(app.api!.url);
    });
    after(() => app.close());

    it('whitelisting makes a torrent announceable, removing it refuses it again', async () => {
      const t = infoHash(1000);
      const params = { infoHash: bytesOf(t), peerId: peerId('-qB4630-listed'), port: 6881 };
      const refused = await announce(app.http[0].url, params);
      assert.match(refused.failure ?? '', new RegExp(`The torrent: ${t}, is not whitelisted`));

      assertOk(await api.post(`/api/v1/whitelist/${t.toUpperCase()}`));
      assert.equal((await announce(app.http[0].url, params)).failure, null);
      assert.equal(json<TorrentBody>(await api.get(`/api/v1/torrent/${t}`)).leechers, 1);

      assertOk(await api.delete(`/api/v1/whitelist/${t}`));
      assert.match((await announce(app.http[0].url, params)).failure ?? '', /is not whitelisted/);
    });
  });

  describe('in private mode', () => {
    let app: TestApp;
    let api: ApiClient;
    const params = { infoHash: bytesOf(infoHash(2000)), peerId: peerId('-qB4630-private'), port: 6881 };
    before(async () => {
      app = await createTestApp({ private: true });
      api = new ApiClient(app.api!.url);
    });
    after(() => app.close());

    it('a key from POST /api/v1/key/{seconds} is usable at once on /announce/{key}', async () => {
      assert.match((await announce(app.http[0].url, params)).failure ?? '', /Missing authentication key/);
      const { key } = assertAuthKey(await api.post('/api/v1/key/3600'));
      assert.equal((await announce(app.http[0].url, { ...params, key })).failure, null);
    });

    it('a permanent key from POST /api/v1/keys works; a deleted key no longer does', async () => {
      const { key } = assertAuthKey(await api.addKey({ seconds_valid: null }));
      assert.equal((await announce(app.http[0].url, { ...params, key })).failure, null);
      assertOk(await api.delete(`/api/v1/key/${key}`));
      assert.match((await announce(app.http[0].url, { ...params, key })).failure ?? '', /Failed to read key/);
    });
  });

  describe('over TLS ([http_api.tsl_config])', () => {
    let dir: string;
    let app: TestApp;
    before(async () => {
      dir = selfSignedCertificate('api-tls-').dir;
      app = await createTestApp({
        overrides: {
          HTTP_API__TSL_CONFIG__SSL_CERT_PATH: join(dir, 'cert.pem'),
          HTTP_API__TSL_CONFIG__SSL_KEY_PATH: join(dir, 'key.pem'),
        },
      });
    });
    after(async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves the API over https and reports an https listener', async () => {
      assert.equal(app.api!.tls, true);
      assert.match(app.api!.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await httpsGet(`${app.api!.url}/api/health_check`);
      assert.equal(health.status, 200);
      assert.equal(health.text, '{"status":"Ok"}');
      assertTokenNotValid(await httpsGet(`${app.api!.url}/api/v1/stats?token=wrong`));
      const stats = await httpsGet(`${app.api!.url}/api/v1/stats`, { authorization: `Bearer ${ADMIN_TOKEN}` });
      assert.equal(stats.status, 200);
    });
  });

  describe('across a restart', () => {
    it('keeps keys and the whitelist in the database', async () => {
      const t = infoHash(3000);
      const first = await createTestApp({ listed: true, private: true });
      let key: string;
      try {
        const api = new ApiClient(first.api!.url);
        key = assertAuthKey(await api.post('/api/v1/key/3600')).key;
        assertOk(await api.post(`/api/v1/whitelist/${t}`));
      } finally {
        await first.tracker.close();
      }
      const second = await createTestApp({ listed: true, private: true, databasePath: first.databasePath });
      try {
        const params = { infoHash: bytesOf(t), peerId: peerId('-qB4630-restart'), port: 6881 };
        assert.equal((await announce(second.http[0].url, { ...params, key })).failure, null);
        const api = new ApiClient(second.api!.url);
        assertOk(await api.get('/api/v1/keys/reload'));
        assertOk(await api.get('/api/v1/whitelist/reload'));
        assert.equal((await announce(second.http[0].url, { ...params, key })).failure, null);
      } finally {
        await second.close();
        await first.close();
      }
    });
  });
});
