/**
 * A client of the admin REST API for e2e and contract tests (real sockets, the global `fetch`),
 * with assertion helpers named after the contract (torrust/torrust-tracker:tests/servers/api/
 * v1/asserts.rs), plus a minimal HTTP-tracker announce to watch the API's effects on the
 * tracker (whitelist in listed mode, keys in private mode, stats).
 */
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { BencodeDictionary, tryDecodeBencode } from '../../src/protocol/bencode/index.js';
import { percentEncode } from '../../src/protocol/http/percent.js';

export const ADMIN_TOKEN = 'MyAccessToken';

export interface ApiResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  readonly text: string;
}

/** How a request carries the token. */
export type TokenIn = 'query' | 'header' | 'none';

export interface ApiRequest {
  /** Default: the client's token, in the query. */
  readonly tokenIn?: TokenIn;
  readonly token?: string;
  /** Extra raw query text, without `?` or leading `&`. */
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export class ApiClient {
  constructor(
    /** `http://127.0.0.1:1212` (a listener URL, no trailing slash). */
    readonly base: string,
    readonly token = ADMIN_TOKEN,
  ) {}

  async request(method: string, path: string, r: ApiRequest = {}): Promise<ApiResponse> {
    const tokenIn = r.tokenIn ?? 'query';
    const token = r.token ?? this.token;
    const query: string[] = [];
    if (tokenIn === 'query') query.push(`token=${encodeURIComponent(token)}`);
    if (r.query) query.push(r.query);
    const headers: Record<string, string> = { ...r.headers };
    if (tokenIn === 'header') headers.authorization = `Bearer ${token}`;
    const url = `${this.base}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
    const res = await fetch(url, { method, headers, body: r.body, redirect: 'manual' });
    const out: Record<string, string> = {};
    res.headers.forEach((value, name) => (out[name] = value));
    return { status: res.status, headers: out, text: await res.text() };
  }

  get(path: string, r?: ApiRequest): Promise<ApiResponse> {
    return this.request('GET', path, r);
  }

  post(path: string, r?: ApiRequest): Promise<ApiResponse> {
    return this.request('POST', path, r);
  }

  delete(path: string, r?: ApiRequest): Promise<ApiResponse> {
    return this.request('DELETE', path, r);
  }

  /** `POST /api/v1/keys` with a JSON body. */
  addKey(body: unknown, r: ApiRequest = {}): Promise<ApiResponse> {
    return this.post('/api/v1/keys', {
      ...r,
      headers: { 'content-type': 'application/json', ...r.headers },
      body: JSON.stringify(body),
    });
  }
}

/** A GET over HTTPS trusting any certificate (the tests' self-signed ones). */
export function httpsGet(url: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'GET', headers, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: out, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export function json<T = unknown>(res: ApiResponse): T {
  return JSON.parse(res.text) as T;
}

// ---- assertions named after the contract

export function assertTextError(res: ApiResponse, status: number, body: string): void {
  assert.equal(res.status, status, `expected ${status} "${body}", got ${res.status} "${res.text}"`);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.text, body);
}

export function assertUnhandledRejection(res: ApiResponse, reason: string): void {
  assertTextError(res, 500, `Unhandled rejection: Err { reason: "${reason}" }`);
}

export function assertUnauthorized(res: ApiResponse): void {
  assertUnhandledRejection(res, 'unauthorized');
}

export function assertTokenNotValid(res: ApiResponse): void {
  assertUnhandledRejection(res, 'token not valid');
}

export function assertUnknownTokenProvided(res: ApiResponse): void {
  assertUnhandledRejection(res, 'unknown token provided');
}

/** A 500 whose reason starts with `prefix` (database failures carry driver details). */
export function assertFailedTo(res: ApiResponse, prefix: string): void {
  assert.equal(res.status, 500, res.text);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.ok(
    res.text.startsWith(`Unhandled rejection: Err { reason: "${prefix}`) && res.text.endsWith('" }'),
    `"${res.text}" should be an unhandled rejection starting with "${prefix}"`,
  );
}

export function assertOk(res: ApiResponse): void {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.text, '{"status":"ok"}');
}

export function assertInvalidInfoHashParam(res: ApiResponse, value: string): void {
  assertTextError(
    res,
    400,
    `Invalid URL: invalid infohash param: string "${value}", expected a 40 character long string`,
  );
}

export function assertInvalidAuthKeyParam(res: ApiResponse, value: string): void {
  assertTextError(res, 400, `Invalid auth key id param "${value}"`);
}

export function assertTorrentNotKnown(res: ApiResponse): void {
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.text, '"torrent not known"');
}

export function assertEmptyStatus(res: ApiResponse, status: 404 | 405): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.text, '');
}

export interface AuthKeyBody {
  key: string;
  valid_until: number | null;
  expiry_time: string | null;
}

/** A 200 AuthKey with Torrust's content type and field order. */
export function assertAuthKey(res: ApiResponse): AuthKeyBody {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  const body = json<AuthKeyBody>(res);
  assert.deepEqual(Object.keys(body), ['key', 'valid_until', 'expiry_time']);
  assert.match(body.key, /^[0-9A-Za-z]{32}$/);
  return body;
}

// ---- the HTTP tracker, to see the API's effects

export interface AnnounceParams {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly port: number;
  readonly left?: number;
  readonly uploaded?: number;
  readonly downloaded?: number;
  readonly event?: 'started' | 'stopped' | 'completed';
  /** `/announce/{key}` in private mode. */
  readonly key?: string;
}

export interface AnnounceResult {
  /** The bencoded reply's `failure reason`, or null for a successful announce. */
  readonly failure: string | null;
  readonly reply: BencodeDictionary;
}

/** One HTTP announce (`<httpBase>/announce[/<key>]`) with binary ids percent-encoded. */
export async function announce(httpBase: string, p: AnnounceParams): Promise<AnnounceResult> {
  const query = [
    `info_hash=${percentEncode(p.infoHash)}`,
    `peer_id=${percentEncode(p.peerId)}`,
    `port=${p.port}`,
    `uploaded=${p.uploaded ?? 0}`,
    `downloaded=${p.downloaded ?? 0}`,
    `left=${p.left ?? 1000}`,
    ...(p.event ? [`event=${p.event}`] : []),
  ].join('&');
  const res = await fetch(`${httpBase}/announce${p.key ? `/${p.key}` : ''}?${query}`);
  assert.equal(res.status, 200);
  const decoded = tryDecodeBencode(Buffer.from(await res.arrayBuffer()));
  assert.ok(decoded.ok && decoded.value instanceof BencodeDictionary, 'the announce reply is a bencoded dictionary');
  const reply = decoded.value;
  return { failure: reply.getString('failure reason') ?? null, reply };
}

/** 20 bytes from a 40-char hex string. */
export function bytesOf(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}
