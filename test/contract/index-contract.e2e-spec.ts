/**
 * The Torrust Index's contract with the tracker API (shared/spec/index-integration.md), checked
 * the way the Index itself talks and parses: the API base is `api/v1` joined to `api_url`, the
 * token is the first query parameter (form-encoded), POST/DELETE carry no body and no content
 * type, a success is exactly 200, and answers are deserialised as strictly as serde does for
 * the Index's types (required fields, JSON integers without decimal point, `peers` not null).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { percentEncode } from '../../src/protocol/http/percent.js';
import { announce, bytesOf } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const TOKEN_NOT_VALID_BODY = 'Unhandled rejection: Err { reason: "token not valid" }';
/** The Index's default `token_valid_seconds` (84 days). */
const TOKEN_VALID_SECONDS = 7257600;
/** The Index gives every call 5 s. */
const TIMEOUT_MS = 5000;

// ---------------------------------------------------------------------------------------------
// The Index's side, modelled on torrust-index src/tracker/{api,service}.rs

class IndexError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The raw text of each number in a JSON document, by key, to reject `1.0`/`1e3` for i64. */
function assertIntegersAreIntegers(text: string, fields: readonly string[]): void {
  const pattern = new RegExp(`"(${fields.join('|')})":(-?[0-9][0-9.eE+-]*)`, 'g');
  for (const match of text.matchAll(pattern)) {
    if (!/^-?[0-9]+$/.test(match[2])) throw new IndexError(`${match[1]}: invalid type: floating point, expected i64`);
  }
}

function object(value: Json, what: string): { [key: string]: Json } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new IndexError(`${what}: expected an object`);
  return value;
}

function requiredString(o: { [key: string]: Json }, field: string): string {
  const v = o[field];
  if (typeof v !== 'string') throw new IndexError(`${field}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function requiredI64(o: { [key: string]: Json }, field: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw new IndexError(`${field}: expected i64, got ${JSON.stringify(v)}`);
  return v;
}

function optional(o: { [key: string]: Json }, field: string, type: 'string' | 'number' | 'object'): void {
  const v = o[field];
  if (v === undefined || v === null) return;
  if (type === 'object' ? typeof v !== 'object' || Array.isArray(v) : typeof v !== type) {
    throw new IndexError(`${field}: expected ${type}, got ${JSON.stringify(v)}`);
  }
  if (type === 'number' && !Number.isSafeInteger(v)) throw new IndexError(`${field}: expected an integer`);
}

interface TrackerKey {
  key: string;
  validUntil: number;
}

interface TorrentBasicInfo {
  infoHash: string;
  seeders: number;
  completed: number;
  leechers: number;
}

interface TorrentInfo extends TorrentBasicInfo {
  peers: Json[];
}

/** `models/tracker_key.rs`: `{ key: String, valid_until: i64 }`, extra fields ignored. */
function parseTrackerKey(text: string): TrackerKey {
  const o = object(JSON.parse(text) as Json, 'TrackerKey');
  assertIntegersAreIntegers(text, ['valid_until']);
  const key = requiredString(o, 'key');
  const validUntil = requiredI64(o, 'valid_until');
  optional(o, 'expiry_time', 'string');
  return { key, validUntil };
}

function parseBasicInfo(value: Json): TorrentBasicInfo {
  const o = object(value, 'TorrentBasicInfo');
  return {
    infoHash: requiredString(o, 'info_hash'),
    seeders: requiredI64(o, 'seeders'),
    completed: requiredI64(o, 'completed'),
    leechers: requiredI64(o, 'leechers'),
  };
}

/** `TorrentInfo`: the basic fields plus `peers: Vec<Peer>` (required, not null). */
function parseTorrentInfo(text: string): TorrentInfo {
  assertIntegersAreIntegers(text, ['seeders', 'completed', 'leechers', 'updated', 'uploaded', 'downloaded', 'left']);
  const value = JSON.parse(text) as Json;
  const basic = parseBasicInfo(value);
  const peers = object(value, 'TorrentInfo').peers;
  if (!Array.isArray(peers)) throw new IndexError('peers: expected a sequence');
  for (const peer of peers) {
    const p = object(peer, 'Peer');
    optional(p, 'peer_id', 'object');
    if (p.peer_id) {
      const id = object(p.peer_id, 'PeerId');
      optional(id, 'id', 'string');
      optional(id, 'client', 'string');
    }
    optional(p, 'peer_addr', 'string');
    for (const field of ['updated', 'uploaded', 'downloaded', 'left']) optional(p, field, 'number');
    optional(p, 'event', 'string');
  }
  return { ...basic, peers };
}

function parseTorrentList(text: string): TorrentBasicInfo[] {
  assertIntegersAreIntegers(text, ['seeders', 'completed', 'leechers']);
  const value = JSON.parse(text) as Json;
  if (!Array.isArray(value)) throw new IndexError('expected a sequence of TorrentBasicInfo');
  return value.map(parseBasicInfo);
}

/** The Index's tracker API client and its status handling. */
class IndexTrackerClient {
  readonly base: string;
  readonly calls: Array<{ method: string; url: string; ms: number }> = [];

  constructor(
    apiUrl: string,
    private readonly token: string,
  ) {
    this.base = new URL('api/v1', apiUrl).href;
  }

  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, params: Array<[string, string]> = []) {
    const query = new URLSearchParams([['token', this.token], ...params]).toString();
    const url = `${this.base}${path}?${query}`;
    const started = performance.now();
    const res = await fetch(url, { method, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    this.calls.push({ method, url, ms: performance.now() - started });
    return { status: res.status, text };
  }

  private fail(status: number, text: string): never {
    if (status === 500 && text === TOKEN_NOT_VALID_BODY) {
      throw new IndexError('Invalid token for tracker API. Check the tracker token in settings.');
    }
    if (status === 500) throw new IndexError('tracker returned an internal server error');
    throw new IndexError(`unexpected response status ${status}`);
  }

  async whitelistTorrent(infoHash: string): Promise<void> {
    const { status, text } = await this.call('POST', `/whitelist/${infoHash}`);
    if (status !== 200) this.fail(status, text);
  }

  async removeFromWhitelist(infoHash: string): Promise<void> {
    const { status, text } = await this.call('DELETE', `/whitelist/${infoHash}`);
    if (status !== 200) this.fail(status, text);
  }

  async retrieveNewTrackerKey(seconds: number): Promise<TrackerKey> {
    const { status, text } = await this.call('POST', `/key/${seconds}`);
    if (status !== 200) this.fail(status, text);
    return parseTrackerKey(text);
  }

  /** null = "torrent not found" (404, or 200 with the exact body `"torrent not known"`). */
  async getTorrentInfo(infoHash: string): Promise<TorrentInfo | null> {
    const { status, text } = await this.call('GET', `/torrent/${infoHash}`);
    if (status === 404) return null;
    if (status !== 200) this.fail(status, text);
    if (text === '"torrent not known"') return null;
    return parseTorrentInfo(text);
  }

  async getTorrentsInfo(infoHashes: readonly string[]): Promise<TorrentBasicInfo[]> {
    const { status, text } = await this.call(
      'GET',
      '/torrents',
      infoHashes.map((h) => ['info_hash', h]),
    );
    if (status !== 200) this.fail(status, text);
    return parseTorrentList(text);
  }
}

// ---------------------------------------------------------------------------------------------

function canonicalInfoHash(n: number): string {
  return `c0ffee${n.toString(16).padStart(34, '0')}`;
}

function peerId(tag: string): Buffer {
  return Buffer.from(`-qB4630-${tag}`.padEnd(20, '0').slice(0, 20));
}

describe('Torrust Index contract', () => {
  describe('the transport', () => {
    let app: TestApp;
    before(async () => {
      // A token needing form-encoding; the Index sends it as `token=a+b%2Bc%26d%25e%C3%A9`.
      app = await createTestApp({ overrides: { HTTP_API__ACCESS_TOKENS__INDEX: '"a b+c&d%eé"' } });
    });
    after(() => app.close());

    it('serves api/v1 joined to each form of api_url the Index accepts', async () => {
      const root = app.api!.url;
      for (const apiUrl of [root, `${root}/`, `${root}/ignored`]) {
        const client = new IndexTrackerClient(apiUrl, 'MyAccessToken');
        assert.equal(client.base, `${root}/api/v1`);
        assert.equal(await client.getTorrentInfo(canonicalInfoHash(1)), null);
      }
    });

    it('accepts a token that needs form-encoding, as the Index sends it', async () => {
      const client = new IndexTrackerClient(app.api!.url, 'a b+c&d%eé');
      assert.match((await fetch(`${client.base}/stats?token=a+b%2Bc%26d%25e%C3%A9`)).status.toString(), /^200$/);
      await client.whitelistTorrent(canonicalInfoHash(2));
    });

    it('reports a wrong token as the Index does, and a missing one as an internal error', async () => {
      const wrong = new IndexTrackerClient(app.api!.url, 'not-the-token');
      await assert.rejects(wrong.whitelistTorrent(canonicalInfoHash(3)), /Invalid token for tracker API/);
      await assert.rejects(wrong.retrieveNewTrackerKey(60), /Invalid token for tracker API/);
      await assert.rejects(wrong.getTorrentInfo(canonicalInfoHash(3)), /Invalid token for tracker API/);
      await assert.rejects(wrong.getTorrentsInfo([canonicalInfoHash(3)]), /Invalid token for tracker API/);
      const missing = await fetch(`${app.api!.url}/api/v1/whitelist/${canonicalInfoHash(3)}`, { method: 'POST' });
      assert.equal(missing.status, 500);
      assert.equal(await missing.text(), 'Unhandled rejection: Err { reason: "unauthorized" }');
    });
  });

  for (const mode of ['public', 'private'] as const) {
    describe(`the Index's call sequence against a ${mode} tracker`, () => {
      let app: TestApp;
      let index: IndexTrackerClient;
      let httpTracker: string;
      const ih = canonicalInfoHash(mode === 'public' ? 100 : 200);

      before(async () => {
        app = await createTestApp(mode === 'private' ? { private: true, listed: true } : {});
        index = new IndexTrackerClient(`${app.api!.url}/`, 'MyAccessToken');
        httpTracker = app.http[0].url;
      });
      after(() => app.close());

      it('1. upload: stats import finds nothing, whitelisting succeeds (twice, idempotent)', async () => {
        assert.equal(await index.getTorrentInfo(ih), null);
        await index.whitelistTorrent(ih);
        await index.whitelistTorrent(ih);
      });

      it('2. details: the torrent is still unknown to the swarm (no peer yet)', async () => {
        assert.equal(await index.getTorrentInfo(ih), null);
      });

      let key: TrackerKey;
      it('3. key retrieval: POST /key/{token_valid_seconds} gives a 32-char key and integer valid_until', async () => {
        const now = Math.floor(Date.now() / 1000);
        key = await index.retrieveNewTrackerKey(TOKEN_VALID_SECONDS);
        assert.match(key.key, /^[0-9A-Za-z]{32}$/);
        assert.ok(Math.abs(key.validUntil - (now + TOKEN_VALID_SECONDS)) <= 2, `${key.validUntil}`);
      });

      it('4. a client announces with the personal announce URL (key as the last path segment)', async () => {
        const result = await announce(httpTracker, {
          infoHash: bytesOf(ih),
          peerId: peerId('seed'),
          port: 6881,
          left: 0,
          event: 'started',
          key: key.key,
        });
        assert.equal(result.failure, null);
        const scrape = await fetch(`${httpTracker}/scrape/${key.key}?info_hash=${percentEncode(bytesOf(ih))}`);
        assert.equal(scrape.status, 200);
        const body = Buffer.from(await scrape.arrayBuffer()).toString('latin1');
        assert.ok(body.startsWith('d5:filesd20:'), body);
        assert.ok(body.includes('8:completei1e'), `the key lets the scrape see the seeder: ${body}`);
      });

      it('5. details: the torrent now has its peer, with the fields the Index parses', async () => {
        const info = await index.getTorrentInfo(ih);
        assert.ok(info);
        assert.deepEqual([info.infoHash, info.seeders, info.leechers], [ih, 1, 0]);
        assert.equal(info.peers.length, 1);
      });

      it('6. statistics importer: a batch of 50 hashes, then a single one', async () => {
        const batch = [ih, ...Array.from({ length: 49 }, (_, i) => canonicalInfoHash(1000 + i))];
        const items = await index.getTorrentsInfo(batch);
        assert.deepEqual(items, [{ infoHash: ih, seeders: 1, completed: 0, leechers: 0 }]);
        const single = await index.getTorrentsInfo([ih]);
        assert.deepEqual(
          single.map((i) => i.infoHash),
          [ih],
        );
        assert.deepEqual(await index.getTorrentsInfo([canonicalInfoHash(9999)]), []);
      });

      it('7. the peer stops; the counts follow', async () => {
        const result = await announce(httpTracker, {
          infoHash: bytesOf(ih),
          peerId: peerId('seed'),
          port: 6881,
          left: 0,
          event: 'stopped',
          key: key.key,
        });
        assert.equal(result.failure, null);
        const [item] = await index.getTorrentsInfo([ih]);
        assert.deepEqual([item?.seeders ?? 0, item?.leechers ?? 0], [0, 0]);
      });

      it('8. deletion: removing from the whitelist succeeds (twice, idempotent)', async () => {
        await index.removeFromWhitelist(ih);
        await index.removeFromWhitelist(ih);
      });

      it('answers every call well within the Index timeout, never with 201/204', () => {
        assert.ok(index.calls.length >= 10);
        for (const call of index.calls) assert.ok(call.ms < 1000, `${call.method} ${call.url} took ${call.ms} ms`);
      });
    });
  }

  it('the strict parsers reject what the Index would reject', () => {
    assert.throws(() => parseTrackerKey('{"key":"k","valid_until":null,"expiry_time":null}'), IndexError);
    assert.throws(() => parseTrackerKey('{"key":"k","valid_until":1.0}'), IndexError);
    assert.throws(
      () => parseTorrentInfo('{"info_hash":"x","seeders":1,"completed":0,"leechers":0,"peers":null}'),
      IndexError,
    );
    assert.throws(
      () => parseTorrentInfo('{"info_hash":"x","seeders":"1","completed":0,"leechers":0,"peers":[]}'),
      IndexError,
    );
    assert.throws(() => parseTorrentList('{"info_hash":"x"}'), IndexError);
    assert.deepEqual(parseTrackerKey('{"key":"k","valid_until":5,"expiry_time":"t","extra":1}'), {
      key: 'k',
      validUntil: 5,
    });
  });
});
