/**
 * The HTTP tracker side of the console tools, as Torrust's client does it: the announce query
 * (its parameters, order, defaults and byte-wise percent-encoding), the scrape query, and strict
 * readers for the answers: the dictionary-peer announce, the compact announce, and the scrape
 * `files` dictionary, printed with Torrust's JSON keys. Bencode is read only with the project's
 * decoder (src/protocol/bencode); anything unexpected becomes a bencode-to-JSON fallback.
 */
import { BencodeDictionary, tryDecodeBencode, type BencodeValue } from '../../protocol/bencode/index.js';
import { percentEncodeAlphanumeric } from '../../protocol/http/percent.js';
import { trackerEndpoint } from '../targets.js';

export type HttpAnnounceEvent = 'started' | 'stopped' | 'completed';

export interface HttpAnnounceParams {
  infoHash: Buffer;
  /** `peer_addr`: Torrust's client sends it (the tracker ignores it); default 192.168.1.88. */
  peerAddr: string;
  downloaded: bigint;
  uploaded: bigint;
  peerId: Buffer;
  port: number;
  left: bigint;
  event?: HttpAnnounceEvent;
  compact?: 0 | 1;
}

/** Torrust's `QueryBuilder::with_default_values()`; event `completed` (baseline) or `started` (newer CLI). */
export function defaultHttpAnnounceParams(
  infoHash: Buffer,
  event: HttpAnnounceEvent = 'completed',
): HttpAnnounceParams {
  return {
    infoHash,
    peerAddr: '192.168.1.88',
    downloaded: 0n,
    uploaded: 0n,
    peerId: Buffer.from('-qB00000000000000001', 'latin1'),
    port: 17548,
    left: 0n,
    event,
    compact: 0,
  };
}

/** `info_hash, peer_addr, downloaded, uploaded, peer_id, port, left, event, compact`, in that order. */
export function announceQuery(p: HttpAnnounceParams): string {
  const params: [string, string][] = [
    ['info_hash', percentEncodeAlphanumeric(p.infoHash)],
    ['peer_addr', p.peerAddr],
    ['downloaded', p.downloaded.toString()],
    ['uploaded', p.uploaded.toString()],
    ['peer_id', percentEncodeAlphanumeric(p.peerId)],
    ['port', p.port.toString()],
    ['left', p.left.toString()],
  ];
  if (p.event !== undefined) params.push(['event', p.event]);
  if (p.compact !== undefined) params.push(['compact', p.compact.toString()]);
  return params.map(([k, v]) => `${k}=${v}`).join('&');
}

/** `info_hash=<enc>` once per hash. */
export function scrapeQuery(infoHashes: readonly Buffer[]): string {
  return infoHashes.map((h) => `info_hash=${percentEncodeAlphanumeric(h)}`).join('&');
}

export function announceUrl(tracker: URL, p: HttpAnnounceParams): string {
  return `${trackerEndpoint(tracker, 'announce')}?${announceQuery(p)}`;
}

export function scrapeUrl(tracker: URL, infoHashes: readonly Buffer[]): string {
  const query = scrapeQuery(infoHashes);
  const endpoint = trackerEndpoint(tracker, 'scrape');
  return query === '' ? endpoint : `${endpoint}?${query}`;
}

/** Torrust's `Announce` (non-compact): keys in this order; `peer id` printed as a byte array. */
export interface AnnounceDictionaryJson {
  complete: number;
  incomplete: number;
  interval: number;
  'min interval': number;
  peers: { ip: string; 'peer id': number[]; port: number }[];
}

/** Torrust's `DeserializedCompact`: `peers` is the raw compact byte string, printed as a byte array. */
export interface AnnounceCompactJson {
  complete: number;
  incomplete: number;
  interval: number;
  'min interval': number;
  peers: number[];
}

/** Torrust's scrape `File` (i64 fields; bigint beyond the safe range). */
export interface ScrapeFileJson {
  complete: number | bigint;
  downloaded: number | bigint;
  incomplete: number | bigint;
}

export type ScrapeJson = Record<string, ScrapeFileJson>;

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const U32_MAX = 0xffffffff;

function fail<T>(message: string): Read<T> {
  return { ok: false, message };
}

function decodeDictionary(body: Buffer): Read<BencodeDictionary> {
  const decoded = tryDecodeBencode(body);
  if (!decoded.ok) return fail(`not bencoded: ${decoded.error.message}`);
  if (!(decoded.value instanceof BencodeDictionary)) return fail('the body is not a bencoded dictionary');
  return { ok: true, value: decoded.value };
}

function readUnsigned(d: BencodeDictionary, key: string, max: number): Read<number> {
  const v = d.get(key);
  if (v === undefined) return fail(`missing field \`${key}\``);
  if (typeof v === 'bigint') return fail(`\`${key}\` = ${v} is out of range 0..${max}`);
  if (typeof v !== 'number') return fail(`\`${key}\` is not an integer`);
  if (v < 0 || v > max) return fail(`\`${key}\` = ${v} is out of range 0..${max}`);
  return { ok: true, value: v };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function readCounts(d: BencodeDictionary): Read<[number, number, number, number]> {
  const out: number[] = [];
  for (const key of ['complete', 'incomplete', 'interval', 'min interval']) {
    const r = readUnsigned(d, key, U32_MAX);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out as [number, number, number, number] };
}

/** The non-compact announce Torrust's client and checker require (extra keys are ignored). */
export function readAnnounceDictionary(body: Buffer): Read<AnnounceDictionaryJson> {
  const top = decodeDictionary(body);
  if (!top.ok) return top;
  const d = top.value;
  const counts = readCounts(d);
  if (!counts.ok) return counts;
  const peers = d.get('peers');
  if (peers === undefined) return fail('missing field `peers`');
  if (!Array.isArray(peers)) return fail('`peers` is not a list of dictionaries');
  const out: AnnounceDictionaryJson['peers'] = [];
  for (const [i, peer] of peers.entries()) {
    if (!(peer instanceof BencodeDictionary)) return fail(`peers[${i}] is not a dictionary`);
    const ip = peer.getBytes('ip');
    if (ip === undefined) return fail(`peers[${i}]: missing or non-string field \`ip\``);
    if (!isUtf8(ip)) return fail(`peers[${i}].ip is not UTF-8 text`);
    const peerId = peer.getBytes('peer id');
    if (peerId === undefined) return fail(`peers[${i}]: missing or non-string field \`peer id\``);
    const port = readUnsigned(peer, 'port', 0xffff);
    if (!port.ok) return fail(`peers[${i}]: ${port.message}`);
    out.push({ ip: ip.toString('utf8'), 'peer id': [...peerId], port: port.value });
  }
  const [complete, incomplete, interval, minInterval] = counts.value;
  return { ok: true, value: { complete, incomplete, interval, 'min interval': minInterval, peers: out } };
}

/** The compact announce (BEP 23) that Torrust's newer CLI also accepts. */
export function readAnnounceCompact(body: Buffer): Read<AnnounceCompactJson> {
  const top = decodeDictionary(body);
  if (!top.ok) return top;
  const counts = readCounts(top.value);
  if (!counts.ok) return counts;
  const peers = top.value.getBytes('peers');
  if (peers === undefined) return fail('missing or non-string field `peers`');
  const [complete, incomplete, interval, minInterval] = counts.value;
  return { ok: true, value: { complete, incomplete, interval, 'min interval': minInterval, peers: [...peers] } };
}

/**
 * The strict scrape reader of Torrust's client: `files` maps 20-byte info-hashes to dictionaries
 * with exactly the integer keys `complete`, `downloaded`, `incomplete`. Keys become lowercase hex.
 */
export function readScrape(body: Buffer): Read<ScrapeJson> {
  const top = decodeDictionary(body);
  if (!top.ok) return top;
  const files = top.value.get('files');
  if (files === undefined) return fail('missing field `files`');
  if (!(files instanceof BencodeDictionary)) return fail('`files` is not a dictionary');
  const out: ScrapeJson = {};
  for (const [key, value] of files) {
    if (key.length !== 20) return fail(`\`files\` key of ${key.length} bytes is not a 20-byte info-hash`);
    const hex = key.toString('hex');
    if (!(value instanceof BencodeDictionary)) return fail(`files[${hex}] is not a dictionary`);
    for (const [field] of value) {
      const name = field.toString('latin1');
      if (name !== 'complete' && name !== 'downloaded' && name !== 'incomplete') {
        return fail(`files[${hex}] has an unexpected field \`${name}\``);
      }
    }
    const entry: (number | bigint)[] = [];
    for (const name of ['complete', 'downloaded', 'incomplete']) {
      const v = value.get(name);
      if (v === undefined) return fail(`files[${hex}]: missing field \`${name}\``);
      if (typeof v !== 'number' && typeof v !== 'bigint') return fail(`files[${hex}].${name} is not an integer`);
      entry.push(v);
    }
    out[hex] = { complete: entry[0], downloaded: entry[1], incomplete: entry[2] };
  }
  return { ok: true, value: out };
}

function bytesToJsonText(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : `<hex>${bytes.toString('hex')}</hex>`;
}

function bencodeToJsonValue(v: BencodeValue): unknown {
  if (Buffer.isBuffer(v)) return bytesToJsonText(v);
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (Array.isArray(v)) return v.map(bencodeToJsonValue);
  const out: Record<string, unknown> = {};
  for (const [key, value] of v) out[bytesToJsonText(key)] = bencodeToJsonValue(value);
  return out;
}

/**
 * What the newer Torrust CLI prints for a body it does not recognise: the bencode as JSON (byte
 * strings as text, or `<hex>…</hex>` when not UTF-8, as torrust/bencode2json does), else null.
 */
export function bencodeToJson(body: Buffer): unknown {
  const decoded = tryDecodeBencode(body);
  return decoded.ok ? bencodeToJsonValue(decoded.value) : null;
}

/** The `failure reason` text of a tracker error body, if that is what it is. */
export function failureReason(body: Buffer): string | undefined {
  const decoded = tryDecodeBencode(body);
  if (!decoded.ok || !(decoded.value instanceof BencodeDictionary)) return undefined;
  return decoded.value.getString('failure reason');
}
