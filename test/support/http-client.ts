/**
 * A small BEP 3 / BEP 48 HTTP tracker client for tests: announce and scrape URLs built from raw
 * bytes (every byte outside RFC 3986's unreserved set percent-encoded), GET through the global
 * `fetch` or `node:http(s)` (TLS with a self-signed certificate, keep-alive agents, repeated header
 * lines), the body decoded with the project's bencode decoder, and assertion helpers named after
 * the contract (torrust/torrust-tracker:tests/servers/http/asserts.rs).
 */
import assert from 'node:assert/strict';
import { request as httpRequest, type Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { BencodeDictionary, tryDecodeBencode, type BencodeValue } from '../../src/protocol/bencode/index.js';
import { percentEncode } from '../../src/protocol/http/percent.js';
import { formatIp } from '../../src/shared/ip.js';

export interface AnnounceQuery {
  infoHash: Uint8Array;
  peerId: Uint8Array;
  port: number;
  uploaded?: number | string;
  downloaded?: number | string;
  left?: number | string;
  event?: string;
  compact?: 0 | 1 | string;
  numwant?: number | string;
  /** Raw text appended to the query (`&key=value…`), e.g. params the tracker ignores. */
  extra?: string;
}

/** The query of an announce (without `?`), params in the order real clients send them. */
export function announceQueryOf(q: AnnounceQuery): string {
  const parts = [`info_hash=${percentEncode(q.infoHash)}`, `peer_id=${percentEncode(q.peerId)}`, `port=${q.port}`];
  if (q.uploaded !== undefined) parts.push(`uploaded=${q.uploaded}`);
  if (q.downloaded !== undefined) parts.push(`downloaded=${q.downloaded}`);
  if (q.left !== undefined) parts.push(`left=${q.left}`);
  if (q.event !== undefined) parts.push(`event=${q.event}`);
  if (q.compact !== undefined) parts.push(`compact=${q.compact}`);
  if (q.numwant !== undefined) parts.push(`numwant=${q.numwant}`);
  return parts.join('&') + (q.extra ?? '');
}

/** `<base>/announce[/<key>]?<query>`; `base` is a listener URL such as `http://127.0.0.1:7070`. */
export function announceUrl(base: string, q: AnnounceQuery, key?: string): string {
  return `${base}/announce${key === undefined ? '' : `/${key}`}?${announceQueryOf(q)}`;
}

/** `<base>/scrape[/<key>]?info_hash=…&info_hash=…` (one param per hash, in the given order). */
export function scrapeUrl(base: string, infoHashes: readonly Uint8Array[], key?: string): string {
  const query = infoHashes.map((h) => `info_hash=${percentEncode(h)}`).join('&');
  return `${base}/scrape${key === undefined ? '' : `/${key}`}?${query}`;
}

export interface TrackerResponse {
  status: number;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** The bencoded body, or undefined when it is not bencode. */
  decoded: BencodeValue | undefined;
}

function decodeOrUndefined(body: Buffer): BencodeValue | undefined {
  const result = tryDecodeBencode(body);
  return result.ok ? result.value : undefined;
}

/** GET (or `method`) through the global `fetch`. The URL is sent as the WHATWG URL parser leaves it. */
export async function get(
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<TrackerResponse> {
  const res = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  return { status: res.status, headers, body, decoded: decodeOrUndefined(body) };
}

export interface NodeRequestOptions {
  method?: string;
  /** Array values are sent as repeated header lines. */
  headers?: OutgoingHttpHeaders;
  agent?: Agent;
  /** HTTPS only: accept a self-signed certificate. Default true (tests only). */
  insecure?: boolean;
}

/**
 * A request through `node:http` / `node:https`: for TLS with a self-signed certificate, for a
 * keep-alive `Agent`, and for repeated header lines. The path is sent exactly as given.
 */
export function nodeGet(url: string, o: NodeRequestOptions = {}): Promise<TrackerResponse & { localPort: number }> {
  const target = new URL(url);
  const https = target.protocol === 'https:';
  // The path and query exactly as written (the URL parser would drop a bare `?`).
  const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path,
        method: o.method ?? 'GET',
        headers: o.headers,
        agent: o.agent,
        ...(https ? { rejectUnauthorized: !(o.insecure ?? true) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: flatHeaders(res.headers),
            body,
            decoded: decodeOrUndefined(body),
            localPort: res.socket?.localPort ?? 0,
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Writes raw bytes on a TCP (or, with `tls`, TLS) connection and resolves with everything received
 * until the server closes it, or after `idleMs` of silence.
 */
export function rawTcp(
  host: string,
  port: number,
  bytes: Uint8Array,
  o: { idleMs?: number; tls?: boolean } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = o.tls
      ? tlsConnect({ host, port, rejectUnauthorized: false, servername: 'localhost' })
      : connect({ host, port });
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    socket.setTimeout(o.idleMs ?? 2000, done);
    socket.once(o.tls ? 'secureConnect' : 'connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (err) => (chunks.length > 0 ? done() : reject(err)));
  });
}

/** The status code of a raw HTTP/1.1 response, or 0 when there is none. */
export function statusOfRaw(raw: Buffer): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw.toString('latin1'));
  return m ? Number(m[1]) : 0;
}

// --- Assertions, named after the contract ---------------------------------------------------

export const SUCCESS_CONTENT_TYPE = 'application/octet-stream';
export const FAILURE_CONTENT_TYPE = 'text/plain; charset=utf-8';

function dictionaryOf(res: TrackerResponse): BencodeDictionary {
  assert.ok(
    res.decoded instanceof BencodeDictionary,
    `expected a bencoded dictionary, got status ${res.status} body ${JSON.stringify(res.body.toString('latin1'))}`,
  );
  return res.decoded;
}

function keysOf(d: BencodeDictionary): string[] {
  return d.keys().map((k) => k.toString('latin1'));
}

/** HTTP 200, `text/plain; charset=utf-8`, exactly `d14:failure reason<len>:<text>e`, text starting with `startsWith`. */
export function assertFailure(res: TrackerResponse, startsWith: string): string {
  assert.equal(res.status, 200, 'a tracker failure is HTTP 200');
  assert.equal(res.headers['content-type'], FAILURE_CONTENT_TYPE);
  const d = dictionaryOf(res);
  assert.deepEqual(keysOf(d), ['failure reason'], `body: ${res.body.toString('latin1')}`);
  const reason = d.getString('failure reason') ?? '';
  assert.ok(reason.startsWith(startsWith), `failure reason "${reason}" should start with "${startsWith}"`);
  return reason;
}

/** Any successful tracker answer: HTTP 200, `application/octet-stream`, no `failure reason`. */
function assertSuccess(res: TrackerResponse): BencodeDictionary {
  assert.equal(res.status, 200);
  const d = dictionaryOf(res);
  assert.equal(d.has('failure reason'), false, `unexpected failure: ${d.getString('failure reason')}`);
  assert.equal(res.headers['content-type'], SUCCESS_CONTENT_TYPE);
  return d;
}

export interface DictionaryPeer {
  ip: string;
  peerId: Buffer;
  port: number;
}

export interface AnnounceAnswer {
  complete: number;
  incomplete: number;
  interval: number;
  minInterval: number;
}

function announceNumbers(d: BencodeDictionary): AnnounceAnswer {
  const n = (key: string) => {
    const v = d.getNumber(key);
    assert.equal(typeof v, 'number', `${key} should be an integer`);
    return v as number;
  };
  return {
    complete: n('complete'),
    incomplete: n('incomplete'),
    interval: n('interval'),
    minInterval: n('min interval'),
  };
}

/** A dictionary-form announce (BEP 3): keys in order, `peers` a list of `{ip, peer id, port}`. */
export function assertAnnounceDictionary(res: TrackerResponse): AnnounceAnswer & { peers: DictionaryPeer[] } {
  const d = assertSuccess(res);
  assert.deepEqual(keysOf(d), ['complete', 'incomplete', 'interval', 'min interval', 'peers']);
  const list = d.getList('peers');
  assert.ok(list !== undefined, '`peers` should be a list');
  const peers = list.map((entry) => {
    assert.ok(entry instanceof BencodeDictionary, 'each peer is a dictionary');
    assert.deepEqual(keysOf(entry), ['ip', 'peer id', 'port']);
    const ip = entry.getString('ip');
    const peerId = entry.getBytes('peer id');
    const port = entry.getNumber('port');
    assert.ok(ip !== undefined && peerId !== undefined && port !== undefined);
    assert.equal(peerId.length, 20, 'peer id is 20 raw bytes');
    return { ip, peerId: Buffer.from(peerId), port };
  });
  return { ...announceNumbers(d), peers };
}

export interface CompactPeer {
  ip: string;
  port: number;
}

/** A compact announce (BEP 23 + BEP 7): `peers` 6-byte and `peers6` 18-byte entries, both present. */
export function assertAnnounceCompact(
  res: TrackerResponse,
): AnnounceAnswer & { peers: CompactPeer[]; peers6: CompactPeer[] } {
  const d = assertSuccess(res);
  assert.deepEqual(keysOf(d), ['complete', 'incomplete', 'interval', 'min interval', 'peers', 'peers6']);
  const v4 = d.getBytes('peers');
  const v6 = d.getBytes('peers6');
  assert.ok(v4 !== undefined && v6 !== undefined, '`peers` and `peers6` are byte strings');
  assert.equal(v4.length % 6, 0, 'peers is a multiple of 6 bytes');
  assert.equal(v6.length % 18, 0, 'peers6 is a multiple of 18 bytes');
  const peers: CompactPeer[] = [];
  for (let o = 0; o < v4.length; o += 6)
    peers.push({ ip: [...v4.subarray(o, o + 4)].join('.'), port: v4.readUInt16BE(o + 4) });
  const peers6: CompactPeer[] = [];
  for (let o = 0; o < v6.length; o += 18) peers6.push({ ip: formatIp(v6, 6, o), port: v6.readUInt16BE(o + 16) });
  return { ...announceNumbers(d), peers, peers6 };
}

export interface ScrapeFile {
  complete: number;
  downloaded: number;
  incomplete: number;
}

/** A scrape answer (BEP 48): `files` keyed by raw 20-byte hashes (returned as hex), each `{complete, downloaded, incomplete}`. */
export function assertScrape(res: TrackerResponse): Map<string, ScrapeFile> {
  const d = assertSuccess(res);
  assert.deepEqual(keysOf(d), ['files']);
  const files = d.getDictionary('files');
  assert.ok(files !== undefined, '`files` should be a dictionary');
  const out = new Map<string, ScrapeFile>();
  for (const [hash, entry] of files) {
    assert.equal(hash.length, 20, 'keyed by the raw 20-byte info hash');
    assert.ok(entry instanceof BencodeDictionary);
    assert.deepEqual(keysOf(entry), ['complete', 'downloaded', 'incomplete']);
    out.set(hash.toString('hex'), {
      complete: entry.getNumber('complete') as number,
      downloaded: entry.getNumber('downloaded') as number,
      incomplete: entry.getNumber('incomplete') as number,
    });
  }
  return out;
}

/** The scrape entry of one hash (which must be present). */
export function assertScrapeFile(res: TrackerResponse, infoHash: Uint8Array, expected: ScrapeFile): void {
  const files = assertScrape(res);
  const hex = Buffer.from(infoHash).toString('hex');
  assert.deepEqual(files.get(hex), expected, `scrape entry of ${hex}`);
}

export const ZEROS: ScrapeFile = { complete: 0, downloaded: 0, incomplete: 0 };
