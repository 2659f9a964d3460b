/**
 * The HTTP tracker's bencoded bodies (BEP 3, compact BEP 23, peers6 BEP 7, scrape BEP 48), written
 * byte by byte without building JS objects: failure `d14:failure reason<len>:<text>e`, announce
 * (keys complete, incomplete, interval, min interval, peers [, peers6]) in dictionary or compact
 * form, and scrape (`files` keyed by raw info hash, sorted, duplicates collapsed).
 *
 * Usage by the HTTP handler (one writer per handler, reused; not re-entrant):
 *
 *   const w = new AnnounceResponseWriter();                        // at startup
 *   w.begin(compact, complete, incomplete, interval, minInterval); // per request
 *   for each selected peer: w.addPeer(family, addrBytes, addrOffset, port, peerIdBytes, peerIdOffset);
 *   reply.send(w.finish());                                        // a fresh Buffer, safe to keep
 *
 *   const s = new ScrapeResponseWriter();
 *   s.begin(); for each requested hash: s.add(hashBytes, offset, complete, downloaded, incomplete);
 *   reply.send(s.finish());
 *
 * Integers are written as given (truncated to integers, clamped to the safe-integer range).
 */
import { writeIPv4Text, writeIPv6Text } from '../ip-text.js';

const E = 0x65;
const COLON = 0x3a;

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

const FAILURE_PREFIX = ascii('d14:failure reason');
const KEY_COMPLETE = ascii('d8:completei');
const KEY_INCOMPLETE = ascii('e10:incompletei');
const KEY_INTERVAL = ascii('e8:intervali');
const KEY_MIN_INTERVAL = ascii('e12:min intervali');
const KEY_PEERS_LIST = ascii('e5:peersl');
const KEY_PEERS_COMPACT = ascii('e5:peers');
const KEY_PEERS6 = ascii('6:peers6');
const PEER_IP = ascii('d2:ip');
const PEER_ID = ascii('7:peer id20:');
const PEER_PORT = ascii('4:porti');
const SCRAPE_FILES = ascii('d5:filesd');
const SCRAPE_HASH = ascii('20:');
const SCRAPE_COMPLETE = ascii('d8:completei');
const SCRAPE_DOWNLOADED = ascii('e10:downloadedi');
const SCRAPE_INCOMPLETE = ascii('e10:incompletei');

function put(out: Uint8Array, o: number, chunk: Uint8Array): number {
  for (let i = 0; i < chunk.length; i++) out[o + i] = chunk[i];
  return o + chunk.length;
}

const digitScratch = new Uint8Array(24);

/** Writes the decimal text of an integer; returns the offset after it. */
function putInt(out: Uint8Array, o: number, value: number): number {
  let v = Math.trunc(value);
  if (Number.isNaN(v)) v = 0;
  else if (v > Number.MAX_SAFE_INTEGER) v = Number.MAX_SAFE_INTEGER;
  else if (v < -Number.MAX_SAFE_INTEGER) v = -Number.MAX_SAFE_INTEGER;
  if (v < 0) {
    out[o++] = 0x2d;
    v = -v;
  }
  let n = 0;
  do {
    const q = Math.floor(v / 10);
    digitScratch[n++] = 0x30 + (v - q * 10);
    v = q;
  } while (v > 0);
  while (n > 0) out[o++] = digitScratch[--n];
  return o;
}

function decimalLength(n: number): number {
  let len = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    len++;
  }
  return len;
}

/** `d14:failure reason<byte length>:<UTF-8 text>e`, the body of every HTTP tracker failure. */
export function encodeFailureResponse(reason: string): Buffer {
  const textLength = Buffer.byteLength(reason, 'utf8');
  const out = Buffer.allocUnsafe(FAILURE_PREFIX.length + decimalLength(textLength) + 1 + textLength + 1);
  let o = put(out, 0, FAILURE_PREFIX);
  o = putInt(out, o, textLength);
  out[o++] = COLON;
  o += out.write(reason, o, 'utf8');
  out[o++] = E;
  return out;
}

/** A growable byte area. */
class Area {
  buf: Buffer;
  pos = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Makes room for `n` more bytes; returns the buffer to write into. */
  reserve(n: number): Buffer {
    if (this.pos + n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
    return this.buf;
  }
}

// Longest integer text putInt writes: '-' and 16 digits.
const MAX_INT_TEXT = 17;
// Room for one dictionary-form peer: d2:ip + "NN:" + 39 + 7:peer id20: + 20 + 4:porti + port + ee.
const MAX_DICT_PEER = 5 + 3 + 39 + 12 + 20 + 7 + MAX_INT_TEXT + 2;

/** Builds announce bodies; see the module comment. */
export class AnnounceResponseWriter {
  private readonly head: Area;
  private readonly v4 = new Area(6 * 80);
  private readonly v6 = new Area(18 * 80);
  private readonly ipText = Buffer.allocUnsafe(48);
  private compact = false;

  constructor(initialCapacity = 8192) {
    this.head = new Area(initialCapacity);
  }

  /**
   * Starts a body. `compact` selects BEP 23 `peers` (6-byte IPv4) + BEP 7 `peers6` (18-byte
   * IPv6), both always present; otherwise `peers` is a list of `{ip, peer id, port}` dictionaries.
   */
  begin(compact: boolean, complete: number, incomplete: number, interval: number, minInterval: number): void {
    this.compact = compact;
    this.v4.pos = 0;
    this.v6.pos = 0;
    const a = this.head;
    a.pos = 0;
    const out = a.reserve(64 + 4 * MAX_INT_TEXT + KEY_PEERS_LIST.length);
    let o = put(out, 0, KEY_COMPLETE);
    o = putInt(out, o, complete);
    o = put(out, o, KEY_INCOMPLETE);
    o = putInt(out, o, incomplete);
    o = put(out, o, KEY_INTERVAL);
    o = putInt(out, o, interval);
    o = put(out, o, KEY_MIN_INTERVAL);
    o = putInt(out, o, minInterval);
    a.pos = compact ? o : put(out, o, KEY_PEERS_LIST);
  }

  /** Compact bodies only: appends ready compact entries (`family` 4: 6 bytes each, 6: 18) from `src[from, to)`. */
  appendCompact(family: 4 | 6, src: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    const a = family === 6 ? this.v6 : this.v4;
    const out = a.reserve(to - from);
    out.set(src.subarray(from, to), a.pos);
    a.pos += to - from;
  }

  /** Adds a peer: `family` 4 reads 4 address bytes, 6 reads 16. `peerId` is used by the dictionary form only. */
  addPeer(
    family: 4 | 6,
    addr: Uint8Array,
    addrOffset: number,
    port: number,
    peerId: Uint8Array,
    peerIdOffset: number,
  ): void {
    if (family === 6) this.addPeerV6(addr, addrOffset, port, peerId, peerIdOffset);
    else this.addPeerV4(addr, addrOffset, port, peerId, peerIdOffset);
  }

  addPeerV4(addr: Uint8Array, addrOffset: number, port: number, peerId: Uint8Array, peerIdOffset: number): void {
    if (this.compact) {
      const a = this.v4;
      const out = a.reserve(6);
      const o = a.pos;
      out[o] = addr[addrOffset];
      out[o + 1] = addr[addrOffset + 1];
      out[o + 2] = addr[addrOffset + 2];
      out[o + 3] = addr[addrOffset + 3];
      out[o + 4] = port >>> 8;
      out[o + 5] = port;
      a.pos = o + 6;
      return;
    }
    this.addDictPeer(writeIPv4Text(this.ipText, 0, addr, addrOffset), port, peerId, peerIdOffset);
  }

  addPeerV6(addr: Uint8Array, addrOffset: number, port: number, peerId: Uint8Array, peerIdOffset: number): void {
    if (this.compact) {
      const a = this.v6;
      const out = a.reserve(18);
      const o = a.pos;
      for (let i = 0; i < 16; i++) out[o + i] = addr[addrOffset + i];
      out[o + 16] = port >>> 8;
      out[o + 17] = port;
      a.pos = o + 18;
      return;
    }
    this.addDictPeer(writeIPv6Text(this.ipText, 0, addr, addrOffset), port, peerId, peerIdOffset);
  }

  private addDictPeer(ipLength: number, port: number, peerId: Uint8Array, peerIdOffset: number): void {
    const a = this.head;
    const out = a.reserve(MAX_DICT_PEER);
    let o = put(out, a.pos, PEER_IP);
    o = putInt(out, o, ipLength);
    out[o++] = COLON;
    const ip = this.ipText;
    for (let i = 0; i < ipLength; i++) out[o + i] = ip[i];
    o = put(out, o + ipLength, PEER_ID);
    for (let i = 0; i < 20; i++) out[o + i] = peerId[peerIdOffset + i];
    o = put(out, o + 20, PEER_PORT);
    o = putInt(out, o, port);
    out[o++] = E;
    out[o++] = E;
    a.pos = o;
  }

  /** Ends the body and returns it as a new Buffer (the writer is ready for the next `begin`). */
  finish(): Buffer {
    const head = this.head;
    if (!this.compact) {
      const out = Buffer.allocUnsafe(head.pos + 2);
      head.buf.copy(out, 0, 0, head.pos);
      out[head.pos] = E; // end of the peer list
      out[head.pos + 1] = E; // end of the dictionary
      return out;
    }
    const n4 = this.v4.pos;
    const n6 = this.v6.pos;
    const size =
      head.pos +
      KEY_PEERS_COMPACT.length +
      decimalLength(n4) +
      1 +
      n4 +
      KEY_PEERS6.length +
      decimalLength(n6) +
      1 +
      n6 +
      1;
    const out = Buffer.allocUnsafe(size);
    head.buf.copy(out, 0, 0, head.pos);
    let o = put(out, head.pos, KEY_PEERS_COMPACT);
    o = putInt(out, o, n4);
    out[o++] = COLON;
    o += this.v4.buf.copy(out, o, 0, n4);
    o = put(out, o, KEY_PEERS6);
    o = putInt(out, o, n6);
    out[o++] = COLON;
    o += this.v6.buf.copy(out, o, 0, n6);
    out[o] = E;
    return out;
  }
}

// One scrape file entry: 20: + hash + d8:completei..e10:downloadedi..e10:incompletei..ee.
const MAX_SCRAPE_ENTRY = 3 + 20 + 12 + 15 + 15 + 3 * MAX_INT_TEXT + 2;

/** Builds scrape bodies; see the module comment. */
export class ScrapeResponseWriter {
  private hashes: Buffer;
  private stats: Float64Array;
  private order: Int32Array;
  private count = 0;
  private readonly body = new Area(4096);

  constructor(initialEntries = 80) {
    this.hashes = Buffer.allocUnsafe(20 * initialEntries);
    this.stats = new Float64Array(3 * initialEntries);
    this.order = new Int32Array(initialEntries);
  }

  begin(): void {
    this.count = 0;
  }

  /** Adds one torrent (20 hash bytes at `infoHash[offset]`); order and duplicates do not matter. */
  add(infoHash: Uint8Array, offset: number, complete: number, downloaded: number, incomplete: number): void {
    const n = this.count;
    if (n === this.order.length) this.grow();
    const h = this.hashes;
    for (let i = 0; i < 20; i++) h[n * 20 + i] = infoHash[offset + i];
    this.stats[n * 3] = complete;
    this.stats[n * 3 + 1] = downloaded;
    this.stats[n * 3 + 2] = incomplete;
    this.count = n + 1;
  }

  private grow(): void {
    const cap = this.order.length * 2;
    const hashes = Buffer.allocUnsafe(20 * cap);
    this.hashes.copy(hashes);
    this.hashes = hashes;
    const stats = new Float64Array(3 * cap);
    stats.set(this.stats);
    this.stats = stats;
    this.order = new Int32Array(cap);
  }

  /**
   * Ends the body and returns it as a new Buffer: entries sorted by raw hash bytes, one per
   * distinct hash (the first one added wins).
   */
  finish(): Buffer {
    const n = this.count;
    const h = this.hashes;
    const order = this.order.subarray(0, n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (n > 1) order.sort((a, b) => h.compare(h, b * 20, b * 20 + 20, a * 20, a * 20 + 20) || a - b);
    const a = this.body;
    a.pos = 0;
    let out = a.reserve(SCRAPE_FILES.length + 2);
    a.pos = put(out, 0, SCRAPE_FILES);
    let previous = -1;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (previous >= 0 && h.compare(h, previous * 20, previous * 20 + 20, i * 20, i * 20 + 20) === 0) continue;
      previous = i;
      out = a.reserve(MAX_SCRAPE_ENTRY + 2);
      let o = put(out, a.pos, SCRAPE_HASH);
      o += h.copy(out, o, i * 20, i * 20 + 20);
      o = put(out, o, SCRAPE_COMPLETE);
      o = putInt(out, o, this.stats[i * 3]);
      o = put(out, o, SCRAPE_DOWNLOADED);
      o = putInt(out, o, this.stats[i * 3 + 1]);
      o = put(out, o, SCRAPE_INCOMPLETE);
      o = putInt(out, o, this.stats[i * 3 + 2]);
      out[o++] = E; // end of incomplete
      out[o++] = E; // end of the entry
      a.pos = o;
    }
    out[a.pos++] = E; // end of files
    out[a.pos++] = E; // end of the dictionary
    return Buffer.from(out.subarray(0, a.pos));
  }
}

/** A peer for the convenience encoder: 4 or 16 address bytes. */
export interface AnnouncePeerInput {
  address: Uint8Array;
  port: number;
  peerId: Uint8Array;
}

export interface AnnounceResponseInput {
  complete: number;
  incomplete: number;
  interval: number;
  minInterval: number;
  peers: readonly AnnouncePeerInput[];
}

/** Convenience (tests, tools): one announce body from plain objects. */
export function encodeAnnounceResponse(input: AnnounceResponseInput, compact: boolean): Buffer {
  const w = new AnnounceResponseWriter(1024);
  w.begin(compact, input.complete, input.incomplete, input.interval, input.minInterval);
  for (const p of input.peers) w.addPeer(p.address.length === 16 ? 6 : 4, p.address, 0, p.port, p.peerId, 0);
  return w.finish();
}

export interface ScrapeEntryInput {
  infoHash: Uint8Array;
  complete: number;
  downloaded: number;
  incomplete: number;
}

/** Convenience (tests, tools): one scrape body from plain objects. */
export function encodeScrapeResponse(entries: Iterable<ScrapeEntryInput>): Buffer {
  const w = new ScrapeResponseWriter();
  w.begin();
  for (const e of entries) w.add(e.infoHash, 0, e.complete, e.downloaded, e.incomplete);
  return w.finish();
}
