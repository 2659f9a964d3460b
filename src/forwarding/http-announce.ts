/**
 * The HTTP side of forwarding, without sockets: the announce URL sent upstream (BEP 3 query,
 * `compact=1` as BEP 23 asks, raw bytes percent-encoded with the project's encoder) and the
 * reading of its answer — a bencoded dictionary with `interval` and `peers` (compact string,
 * or BEP 3's list of `{ip, port}` dictionaries: host names skipped) and `peers6` (BEP 7), or
 * a `failure reason`. Plus `Retry-After` (RFC 9110: seconds or an HTTP date).
 */
import { AnnounceEvent } from '../core/domain/types.js';
import { BencodeDictionary, tryDecodeBencode } from '../protocol/bencode/index.js';
import { percentEncode } from '../protocol/http/percent.js';
import { parseIp } from '../shared/ip.js';
import { failure, type UpstreamAnnounce, type UpstreamResult } from './upstream.js';

const EVENT_PARAM: Record<number, string> = {
  [AnnounceEvent.Started]: 'started',
  [AnnounceEvent.Completed]: 'completed',
  [AnnounceEvent.Stopped]: 'stopped',
};

function integerText(value: number): string {
  if (!Number.isFinite(value) || value < 0) return '0';
  return Math.trunc(value).toString();
}

/**
 * `<uri>?info_hash=…&peer_id=…&port=…&uploaded=…&downloaded=…&left=…[&event=…]&compact=1&numwant=…[&ip=…]`
 * (`&` instead of `?` when the uri has a query already, e.g. a passkey).
 */
export function announceUrlOf(uri: string, request: UpstreamAnnounce, ip: string | null): string {
  const hash = uri.indexOf('#');
  const base = hash >= 0 ? uri.slice(0, hash) : uri;
  let query =
    `info_hash=${percentEncode(request.infoHash)}` +
    `&peer_id=${percentEncode(request.peerId)}` +
    `&port=${request.port}` +
    `&uploaded=${integerText(request.uploaded)}` +
    `&downloaded=${integerText(request.downloaded)}` +
    `&left=${integerText(request.left)}`;
  const event = EVENT_PARAM[request.event];
  if (event !== undefined) query += `&event=${event}`;
  query += `&compact=1&numwant=${request.numWant}`;
  if (ip !== null) query += `&ip=${encodeURIComponent(ip)}`;
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${separator}${query}`;
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function textOf(bytes: Buffer | undefined, max = 200): string {
  if (bytes === undefined) return '';
  const text = bytes.toString('utf8');
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Reads an upstream HTTP announce body (status 200). */
export function readAnnounceBody(body: Buffer): UpstreamResult {
  const decoded = tryDecodeBencode(body);
  if (!decoded.ok) return failure('invalid_response', `not bencode: ${decoded.error.message}`, true);
  const d = decoded.value;
  if (!(d instanceof BencodeDictionary)) return failure('invalid_response', 'not a bencoded dictionary', true);
  if (d.has('failure reason')) {
    return failure('tracker_failure', textOf(d.getBytes('failure reason')) || 'failure reason', false);
  }
  const intervalValue = d.getNumber('interval');
  const intervalSecs = intervalValue !== undefined && intervalValue >= 0 ? intervalValue : null;

  let peers4: Buffer = Buffer.alloc(0);
  const extra6: Buffer[] = [];
  const peers = d.get('peers');
  if (Buffer.isBuffer(peers)) {
    if (peers.length % 6 !== 0) return failure('invalid_response', `peers is ${peers.length} bytes, not 6·n`, true);
    peers4 = peers;
  } else if (Array.isArray(peers)) {
    const v4: Buffer[] = [];
    for (const item of peers) {
      if (!(item instanceof BencodeDictionary)) continue;
      const ip = item.getString('ip');
      const port = item.getNumber('port');
      if (ip === undefined || port === undefined || port < 1 || port > 65535) continue;
      const parsed = parseIp(ip);
      if (parsed === null) continue; // a host name: not resolved
      const entry = Buffer.alloc(parsed.family === 4 ? 6 : 18);
      entry.set(parsed.bytes, 0);
      entry.writeUInt16BE(port, parsed.bytes.length);
      (parsed.family === 4 ? v4 : extra6).push(entry);
    }
    peers4 = Buffer.concat(v4);
  } else if (peers !== undefined) {
    return failure('invalid_response', 'peers is neither a string nor a list', true);
  }

  let peers6: Buffer = Buffer.alloc(0);
  const six = d.get('peers6');
  if (Buffer.isBuffer(six)) {
    if (six.length % 18 !== 0) return failure('invalid_response', `peers6 is ${six.length} bytes, not 18·n`, true);
    peers6 = six;
  }
  if (extra6.length > 0) peers6 = Buffer.concat([peers6, ...extra6]);
  return { ok: true, intervalSecs, peers4, peers6 };
}
