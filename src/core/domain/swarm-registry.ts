/**
 * SwarmRegistry: every torrent's swarm, in memory, in compact typed storage.
 *
 * Layout (chosen for 1,000,000 peers; see README "Memory" and docs/adr): no JS object per peer.
 * A peer is one 56-byte record (previous link, owning torrent, flags, address, port, peer id,
 * last announce), plus its next link (4 bytes) and port (2) in dense side arrays for list walks,
 * 12 bytes of uploaded/downloaded/left in 32 bits (exact larger values in a side table) and 8
 * bytes of open-addressing index: about 82 bytes. A torrent is one 64-byte record
 * (list heads, counts, cursors, expiry bound, answer version, completed count, flags) plus its info
 * hash. Tables grow in place (GrowableMemory) and are filled field by field, never pre-filled.
 * Lookups hash the raw bytes with a per-process random seed (no strings, no Map, resistant to
 * hash flooding).
 *
 * Each torrent keeps four circular doubly linked lists of its peers (IPv4 leechers, IPv4
 * seeders, IPv6 leechers, IPv6 seeders), each in least-recently-announced order: the head is
 * the peer heard from longest ago. So expiry is O(expired peers), done whenever a torrent is
 * touched (an expired peer is never returned or counted) and by the periodic cleanup; peer
 * selection walks a rotating cursor (a different sample on every announce) and never needs a
 * per-family or per-role filter; seeder and leecher counts are the list lengths.
 *
 * Everything here is synchronous and allocation-free on the announce and scrape paths. Every
 * mutation can be published as a small SwarmEvent (peer upserted, peer removed, completed) and
 * replayed with `applyEvent`, so another replica can mirror the swarms.
 */
import {
  AnnounceEvent,
  INFO_HASH_BYTES,
  PEER_ID_BYTES,
  type AnnounceInput,
  type IpFamily,
  type SwarmMetadata,
} from './types.js';
import { GrowableMemory } from './growable-memory.js';
import { hash20 } from './hash.js';

const LISTS_PER_TORRENT = 4;

// A torrent is one 64-byte record (its info hash lives apart, read only by lookups): what an
// announce or scrape touches — list heads, counts and cursors, expiry bound, answer version,
// completed count, flags — is one cache line. Words 0-3: the first (least recently announced)
// slot of each list, -1 when empty.
const TREC_BYTES = 64;
const TREC_WORDS = TREC_BYTES / 4;
const TW_COUNT = 4; // int32 x 4: peers in each list
const TW_CURSOR = 8; // int32 x 4: where the next selection starts in each list
const TW_EXPIRY = 12; // uint32: lower bound of the first expiry, in seconds (NO_EXPIRY = none)
const TW_VERSION = 13; // uint32: answer-cache version, bumped when a peer leaves or moves
const TW_COMPLETED = 14; // uint32: completed downloads
const TB_FLAGS = 60; // uint8: T_* bits
const NO_EXPIRY = 0xffff_ffff;
const ADDR_BYTES = 16;

// A peer is one 56-byte record: everything an answer reads of a selected peer — flags, address,
// port — sits together (19 bytes, in one cache line for 6 records in 8). The link to the next
// peer of its list and a copy of the port live apart, in `pNext` and `pPort`: a list walk chases
// dense arrays (4 + 2 bytes per peer) and reads a record only to copy it into an answer, so the
// walk's steps no longer wait for one record's cache miss to find the next record.
const REC_BYTES = 56;
const REC_WORDS = REC_BYTES / 4;
const REC_DOUBLES = REC_BYTES / 8;
const D_UPDATED = 0; // float64 at bytes 0..8: last announce, ms since the epoch
const W_PREV = 2; // int32: previous slot in the peer's list
const W_TORRENT = 3; // int32: owning torrent id, -1 when free
const B_FLAGS = 16; // uint8: F_* bits
const B_ADDR = 17; // 16 bytes: IPv6, or IPv4 in the first 4
const B_PORT = 33; // uint16 big-endian, right after the address (compact entries copy both)
const B_PEER_ID = 35; // 20 bytes (byte 55 is unused)

// Peer flag bits.
const F_V6 = 1;
const F_SEEDER = 2;
const F_EVENT_SHIFT = 2; // two bits: the last AnnounceEvent stored for the peer
const F_EVENT_MASK = 3 << F_EVENT_SHIFT;
const F_COMPLETION_COUNTED = 16;
const F_BIG_STATS = 32; // some stat did not fit 32 bits: all three are in bigStats

// uploaded, downloaded, left: three uint32 per slot; STATS_BIG marks values kept in bigStats.
const STATS_BIG = 0xffff_ffff;

// Torrent flag bits.
const T_USED = 1;
const T_DIRTY = 2;

const LIST_V4_LEECHERS = 0;
const LIST_V4_SEEDERS = 1;
const LIST_V6_LEECHERS = 2;
const LIST_V6_SEEDERS = 3;

export type SwarmEvent =
  | {
      readonly kind: 'peer-upserted';
      readonly infoHash: Uint8Array;
      readonly peerId: Uint8Array;
      readonly ip: Uint8Array;
      readonly family: IpFamily;
      readonly port: number;
      readonly uploaded: number;
      readonly downloaded: number;
      readonly left: number;
      readonly event: AnnounceEvent;
      readonly updatedMs: number;
    }
  | { readonly kind: 'peer-removed'; readonly infoHash: Uint8Array; readonly peerId: Uint8Array }
  | { readonly kind: 'completed'; readonly infoHash: Uint8Array; readonly downloaded: number };

export interface SwarmEventListener {
  onSwarmEvent(event: SwarmEvent): void;
}

export interface SwarmRegistryOptions {
  /** A peer not heard from for this long is gone (`max_peer_timeout`). */
  readonly maxPeerTimeoutMs: number;
  /** Random seed for the hash tables. */
  readonly seed: number;
  /** Remember which torrents' completed counts changed (for write-behind persistence). */
  readonly trackDirtyCompleted?: boolean;
  readonly initialPeerCapacity?: number;
  readonly initialTorrentCapacity?: number;
}

/** The outcome of one announce; owned by the registry and overwritten by the next call. */
export interface AnnounceOutcome {
  complete: number;
  incomplete: number;
  downloaded: number;
  /** Peer slots selected for the answer: `peers[0 .. peerCount)`. Read them with the accessors. */
  peers: Int32Array;
  peerCount: number;
  /** The torrent announced to, and the announcer's slot (-1 after `stopped`). */
  torrent: number;
  slot: number;
  /** Whether this announce added the announcer to the swarm. */
  inserted: boolean;
}

/** Totals over all swarms, maintained incrementally. */
export interface SwarmTotals {
  torrents: number;
  seeders: number;
  leechers: number;
  /** Sum of the completed counts of the torrents in memory. */
  downloaded: number;
  /** Downloads counted by this process since it started (loaded and replicated counts excluded). */
  downloadedInSession: number;
}

/** The announcing peer, as the registry stores it (the peer fields of an AnnounceInput). */
export type PeerAnnounce = Omit<AnnounceInput, 'peersWanted' | 'sameFamilyOnly'>;

function nextPowerOfTwo(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}

function equalBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}

export class SwarmRegistry {
  private readonly timeoutMs: number;
  private readonly seed: number;
  private readonly trackDirty: boolean;
  private listener: SwarmEventListener | null = null;

  // ---- torrents (indexed by torrent id) ----
  private tCap: number;
  private tInfoHash: Uint8Array;
  /** One TREC_BYTES record per torrent (see TW_*), viewed as int32, uint32 and bytes. */
  private tI32: Int32Array;
  private tU32: Uint32Array;
  private tBytes: Uint8Array;
  private readonly tMem: { infoHash: GrowableMemory; records: GrowableMemory; index: GrowableMemory };
  private tUsedTop = 0;
  private tFree: number[] = [];
  private tIndex: Int32Array; // open addressing: torrent id + 1, 0 = empty
  private tIndexMask: number;
  private dirty: number[] = [];
  private torrentsVersion = 0;
  private sortedCache: { version: number; ids: Int32Array } | null = null;

  // ---- peers (indexed by slot) ----
  private pCap: number;
  /** One 64-byte record per slot (see REC_*), viewed as bytes, 32-bit words and doubles. */
  private pBytes: Uint8Array;
  private pI32: Int32Array;
  private pF64: Float64Array;
  /** Cold fields, read by the API only: uploaded, downloaded, left (3 doubles per slot). */
  private pStats: Uint32Array;
  /** Next slot in each peer's list, apart from the records: a list walk chases only these. */
  private pNext: Int32Array;
  /** Each peer's port again, so that the walk's own-address check rarely reads a record. */
  private pPort: Uint16Array;
  /** Exact stats of the (rare) peers with a value outside 0 .. 2^32 - 2, by slot. */
  private readonly bigStats = new Map<number, readonly [number, number, number]>();
  private pUsedTop = 0;
  private pFreeHead = -1;
  private pIndex: Int32Array; // slot + 1, 0 = empty
  private readonly pMem: {
    records: GrowableMemory;
    stats: GrowableMemory;
    next: GrowableMemory;
    port: GrowableMemory;
    index: GrowableMemory;
  };
  private pIndexMask: number;

  private readonly totals: SwarmTotals = {
    torrents: 0,
    seeders: 0,
    leechers: 0,
    downloaded: 0,
    downloadedInSession: 0,
  };
  private readonly outcome: AnnounceOutcome = {
    complete: 0,
    incomplete: 0,
    downloaded: 0,
    peers: new Int32Array(128),
    peerCount: 0,
    torrent: -1,
    slot: -1,
    inserted: false,
  };
  // Peer-selection walker state, one entry per list of the torrent being answered.
  private readonly walkPos = new Int32Array(LISTS_PER_TORRENT);
  private readonly walkLeft = new Int32Array(LISTS_PER_TORRENT);

  constructor(options: SwarmRegistryOptions) {
    this.timeoutMs = options.maxPeerTimeoutMs;
    this.seed = options.seed | 0;
    this.trackDirty = options.trackDirtyCompleted ?? false;

    this.tCap = nextPowerOfTwo(options.initialTorrentCapacity ?? 1024);
    // Fields of a torrent are set when it is created; capacity beyond tUsedTop is never read.
    const tc = this.tCap;
    this.tMem = {
      infoHash: new GrowableMemory(tc * INFO_HASH_BYTES),
      records: new GrowableMemory(tc * TREC_BYTES),
      index: new GrowableMemory(tc * 2 * 4),
    };
    this.tInfoHash = new Uint8Array(this.tMem.infoHash.buffer);
    const torrentRecords = this.tMem.records.buffer;
    this.tI32 = new Int32Array(torrentRecords);
    this.tU32 = new Uint32Array(torrentRecords);
    this.tBytes = new Uint8Array(torrentRecords);
    this.tIndex = new Int32Array(this.tMem.index.buffer, 0, tc * 2);
    this.tIndexMask = tc * 2 - 1;

    this.pCap = nextPowerOfTwo(options.initialPeerCapacity ?? 4096);
    this.pMem = {
      records: new GrowableMemory(this.pCap * REC_BYTES),
      stats: new GrowableMemory(this.pCap * 3 * 4),
      next: new GrowableMemory(this.pCap * 4),
      port: new GrowableMemory(this.pCap * 2),
      index: new GrowableMemory(this.pCap * 2 * 4),
    };
    const records = this.pMem.records.buffer;
    this.pBytes = new Uint8Array(records);
    this.pI32 = new Int32Array(records);
    this.pF64 = new Float64Array(records);
    this.pStats = new Uint32Array(this.pMem.stats.buffer);
    this.pNext = new Int32Array(this.pMem.next.buffer);
    this.pPort = new Uint16Array(this.pMem.port.buffer);
    this.pIndex = new Int32Array(this.pMem.index.buffer, 0, this.pCap * 2);
    this.pIndexMask = this.pCap * 2 - 1;
  }

  setListener(listener: SwarmEventListener | null): void {
    this.listener = listener;
  }

  get totalsView(): Readonly<SwarmTotals> {
    return this.totals;
  }

  get peerCapacity(): number {
    return this.pCap;
  }

  // ------------------------------------------------------------------ announce / scrape

  /**
   * Applies one announce and selects up to `maxPeers` peers for the answer (never the
   * announcer itself, nor anybody at the announcer's address and port). Seeders are offered
   * leechers first; leechers get seeders and leechers half and half. The counts include the
   * announcer. `nowMs` is the announce time.
   */
  announce(peer: PeerAnnounce, nowMs: number, maxPeers: number, sameFamilyOnly: boolean): AnnounceOutcome {
    const t = this.findOrCreateTorrent(peer.infoHash, peer.infoHashOffset);
    this.expireTorrent(t, nowMs);

    let slot = this.findPeer(t, peer.peerId, peer.peerIdOffset);
    let inserted = false;
    if (peer.event === AnnounceEvent.Stopped) {
      if (slot >= 0) this.removePeer(slot, true);
      slot = -1;
    } else if (slot < 0) {
      slot = this.insertPeer(t, peer, nowMs);
      inserted = true;
    } else {
      this.updatePeer(t, slot, peer, nowMs);
    }

    const out = this.outcome;
    const base = t * TREC_WORDS + TW_COUNT;
    const count = this.tI32;
    out.complete = count[base + LIST_V4_SEEDERS] + count[base + LIST_V6_SEEDERS];
    out.incomplete = count[base + LIST_V4_LEECHERS] + count[base + LIST_V6_LEECHERS];
    out.downloaded = this.tU32[t * TREC_WORDS + TW_COMPLETED];
    out.torrent = t;
    out.slot = slot;
    out.inserted = inserted;
    this.selectPeers(t, peer, slot, maxPeers, sameFamilyOnly);
    return out;
  }

  /**
   * A version of torrent `t` for answer caches, which must never return a peer that left
   * (stopped or expired) nor an address a peer no longer announces from: it changes whenever a
   * peer is removed or announces a different address, port or family.
   */
  answerVersionOf(t: number): number {
    return this.tU32[t * TREC_WORDS + TW_VERSION];
  }

  /** When the first peer of torrent `t` will expire (ms since the epoch; Infinity when none). */
  nextExpiryOf(t: number): number {
    let oldest = Infinity;
    const base = t * TREC_WORDS;
    for (let l = 0; l < LISTS_PER_TORRENT; l++) {
      const head = this.tI32[base + l];
      if (head >= 0) oldest = Math.min(oldest, this.pF64[head * REC_DOUBLES + D_UPDATED]);
    }
    return oldest + this.timeoutMs;
  }

  /** Fills `out` with the torrent's metadata (zeros for an unknown torrent). */
  scrape(infoHash: Uint8Array, offset: number, nowMs: number, out: SwarmMetadata): void {
    const t = this.findTorrent(infoHash, offset);
    if (t < 0) {
      out.complete = 0;
      out.incomplete = 0;
      out.downloaded = 0;
      return;
    }
    this.expireTorrent(t, nowMs);
    this.metadataOf(t, out);
  }

  // ------------------------------------------------------------------ reading (API, stats)

  findTorrent(infoHash: Uint8Array, offset: number): number {
    const mask = this.tIndexMask;
    let i = hash20(infoHash, offset, this.seed) & mask;
    for (;;) {
      const v = this.tIndex[i];
      if (v === 0) return -1;
      if (equalBytes(this.tInfoHash, (v - 1) * INFO_HASH_BYTES, infoHash, offset, INFO_HASH_BYTES)) return v - 1;
      i = (i + 1) & mask;
    }
  }

  /** Removes the torrent's expired peers, then reports its metadata. */
  torrentMetadata(t: number, nowMs: number, out: SwarmMetadata): void {
    this.expireTorrent(t, nowMs);
    this.metadataOf(t, out);
  }

  /** The torrent's peers (after expiry), ascending by peer id as Torrust lists them. */
  peerSlotsOf(t: number, nowMs: number): number[] {
    this.expireTorrent(t, nowMs);
    const slots: number[] = [];
    for (let l = 0; l < LISTS_PER_TORRENT; l++) {
      const head = this.tI32[t * TREC_WORDS + l];
      if (head < 0) continue;
      let s = head;
      do {
        slots.push(s);
        s = this.pNext[s];
      } while (s !== head);
    }
    const ids = this.pBytes;
    slots.sort((a, b) => {
      const ao = a * REC_BYTES + B_PEER_ID;
      const bo = b * REC_BYTES + B_PEER_ID;
      for (let i = 0; i < PEER_ID_BYTES; i++) {
        const d = ids[ao + i] - ids[bo + i];
        if (d !== 0) return d;
      }
      return 0;
    });
    return slots;
  }

  infoHashOf(t: number): Uint8Array {
    return this.tInfoHash.subarray(t * INFO_HASH_BYTES, (t + 1) * INFO_HASH_BYTES);
  }

  /** Live torrent ids in ascending info-hash byte order (cached until a torrent is added or removed). */
  torrentIdsByInfoHash(): Int32Array {
    const cache = this.sortedCache;
    if (cache && cache.version === this.torrentsVersion) return cache.ids;
    const ids = new Int32Array(this.totals.torrents);
    let n = 0;
    for (let t = 0; t < this.tUsedTop; t++) if (this.tBytes[t * TREC_BYTES + TB_FLAGS] & T_USED) ids[n++] = t;
    const hashes = this.tInfoHash;
    ids.sort((a, b) => {
      const ao = a * INFO_HASH_BYTES;
      const bo = b * INFO_HASH_BYTES;
      for (let i = 0; i < INFO_HASH_BYTES; i++) {
        const d = hashes[ao + i] - hashes[bo + i];
        if (d !== 0) return d;
      }
      return 0;
    });
    this.sortedCache = { version: this.torrentsVersion, ids };
    return ids;
  }

  peerFamily(slot: number): IpFamily {
    return this.pBytes[slot * REC_BYTES + B_FLAGS] & F_V6 ? 6 : 4;
  }

  peerPort(slot: number): number {
    return this.portOf(slot);
  }

  /** Copies the peer's 4 or 16 address bytes into `out` at `offset`; returns the byte count. */
  copyPeerAddress(slot: number, out: Uint8Array, offset: number): number {
    const n = this.pBytes[slot * REC_BYTES + B_FLAGS] & F_V6 ? 16 : 4;
    const from = slot * REC_BYTES + B_ADDR;
    for (let i = 0; i < n; i++) out[offset + i] = this.pBytes[from + i];
    return n;
  }

  /** A view of the peer's address bytes (4 or 16); valid until the registry changes. */
  peerAddressView(slot: number): Uint8Array {
    const from = slot * REC_BYTES + B_ADDR;
    return this.pBytes.subarray(from, from + (this.pBytes[slot * REC_BYTES + B_FLAGS] & F_V6 ? 16 : 4));
  }

  /**
   * The peer table, for encoders that copy without creating views: peer `slot`'s address (4 or
   * 16 bytes) is at `peerAddressOffset(slot)`, its port (2 bytes, big-endian, as on the wire)
   * right after the 16 address bytes at `peerPortOffset(slot)`, its id at `peerIdOffset(slot)`.
   * Re-read after every registry change (the table is replaced when it grows).
   */
  get peerTable(): Uint8Array {
    return this.pBytes;
  }

  peerAddressOffset(slot: number): number {
    return slot * REC_BYTES + B_ADDR;
  }

  peerPortOffset(slot: number): number {
    return slot * REC_BYTES + B_PORT;
  }

  peerIdOffset(slot: number): number {
    return slot * REC_BYTES + B_PEER_ID;
  }

  /** A view of the peer id; valid until the registry changes. */
  peerIdView(slot: number): Uint8Array {
    const at = slot * REC_BYTES + B_PEER_ID;
    return this.pBytes.subarray(at, at + PEER_ID_BYTES);
  }

  peerUpdatedMs(slot: number): number {
    return this.pF64[slot * REC_DOUBLES + D_UPDATED];
  }

  peerUploaded(slot: number): number {
    return this.statOf(slot, 0);
  }

  peerDownloaded(slot: number): number {
    return this.statOf(slot, 1);
  }

  peerLeft(slot: number): number {
    return this.statOf(slot, 2);
  }

  private statOf(slot: number, field: 0 | 1 | 2): number {
    const v = this.pStats[slot * 3 + field];
    return v === STATS_BIG ? (this.bigStats.get(slot) as readonly [number, number, number])[field] : v;
  }

  peerEvent(slot: number): AnnounceEvent {
    return ((this.pBytes[slot * REC_BYTES + B_FLAGS] & F_EVENT_MASK) >> F_EVENT_SHIFT) as AnnounceEvent;
  }

  // ------------------------------------------------------------------ maintenance

  /**
   * One bounded step of the cleanup job, from torrent `fromTorrentId` on: expires peers and
   * removes the peerless torrents (unless `keepWithDownloads` and their completed count is above
   * 0), stopping after about `maxWork` units of work — a torrent visited or a peer removed — even
   * in the middle of one huge swarm. Returns the torrent id to continue from, or -1 when done.
   */
  cleanupStep(
    nowMs: number,
    fromTorrentId: number,
    maxWork: number,
    removePeerless: boolean,
    keepWithDownloads: boolean,
  ): number {
    let work = 0;
    let t = fromTorrentId;
    for (; t < this.tUsedTop && work < maxWork; t++) {
      work++;
      if (!(this.tBytes[t * TREC_BYTES + TB_FLAGS] & T_USED)) continue;
      const removed = this.expireTorrent(t, nowMs, Math.max(1, maxWork - work));
      if (removed < 0) return t; // more to expire here: continue with this torrent
      work += removed;
      if (
        removePeerless &&
        this.peerCountOf(t) === 0 &&
        !(keepWithDownloads && this.tU32[t * TREC_WORDS + TW_COMPLETED] > 0)
      ) {
        this.removeTorrent(t);
      }
    }
    return t >= this.tUsedTop ? -1 : t;
  }

  /** Creates (or updates) a torrent with a completed count loaded from the database. */
  loadDownloads(infoHash: Uint8Array, offset: number, downloaded: number): void {
    this.setCompleted(this.findOrCreateTorrent(infoHash, offset), downloaded);
  }

  /** Completed counts are stored in 32 bits (Torrust's column is a 32-bit integer too). */
  private setCompleted(t: number, downloaded: number): void {
    const at = t * TREC_WORDS + TW_COMPLETED;
    const value = Math.max(0, Math.min(0xffff_ffff, Math.floor(downloaded)));
    this.totals.downloaded += value - this.tU32[at];
    this.tU32[at] = value;
  }

  /** Torrents whose completed count changed since the last call, with their current count. */
  drainDirtyDownloads(): Array<{ infoHash: Uint8Array; downloaded: number }> {
    const out: Array<{ infoHash: Uint8Array; downloaded: number }> = [];
    for (const t of this.dirty) {
      if (!(this.tBytes[t * TREC_BYTES + TB_FLAGS] & T_DIRTY)) continue;
      this.tBytes[t * TREC_BYTES + TB_FLAGS] &= ~T_DIRTY;
      out.push({ infoHash: Uint8Array.from(this.infoHashOf(t)), downloaded: this.tU32[t * TREC_WORDS + TW_COMPLETED] });
    }
    this.dirty = [];
    return out;
  }

  /** Marks a torrent's completed count as not yet persisted (after a failed write). */
  markDownloadsDirty(infoHash: Uint8Array, offset: number): void {
    const t = this.findTorrent(infoHash, offset);
    if (t >= 0) this.markDirty(t);
  }

  get dirtyDownloadsCount(): number {
    return this.dirty.length;
  }

  /** Replays an event published by another registry (a replica). */
  applyEvent(event: SwarmEvent): void {
    switch (event.kind) {
      case 'peer-upserted': {
        const t = this.findOrCreateTorrent(event.infoHash, 0);
        const peer: PeerAnnounce = {
          infoHash: event.infoHash,
          infoHashOffset: 0,
          peerId: event.peerId,
          peerIdOffset: 0,
          ip: event.ip,
          ipOffset: 0,
          family: event.family,
          port: event.port,
          uploaded: event.uploaded,
          downloaded: event.downloaded,
          left: event.left,
          event: event.event,
        };
        let slot = this.findPeer(t, event.peerId, 0);
        if (slot < 0) slot = this.insertPeer(t, peer, event.updatedMs, false);
        else this.updatePeer(t, slot, peer, event.updatedMs, false);
        this.restoreOrder(t, slot);
        return;
      }
      case 'peer-removed': {
        const t = this.findTorrent(event.infoHash, 0);
        if (t < 0) return;
        const slot = this.findPeer(t, event.peerId, 0);
        if (slot >= 0) this.removePeer(slot, false);
        return;
      }
      case 'completed': {
        this.setCompleted(this.findOrCreateTorrent(event.infoHash, 0), event.downloaded);
        return;
      }
    }
  }

  // ------------------------------------------------------------------ internals: torrents

  private metadataOf(t: number, out: SwarmMetadata): void {
    const base = t * TREC_WORDS + TW_COUNT;
    const c = this.tI32;
    out.complete = c[base + LIST_V4_SEEDERS] + c[base + LIST_V6_SEEDERS];
    out.incomplete = c[base + LIST_V4_LEECHERS] + c[base + LIST_V6_LEECHERS];
    out.downloaded = this.tU32[t * TREC_WORDS + TW_COMPLETED];
  }

  private peerCountOf(t: number): number {
    const base = t * TREC_WORDS + TW_COUNT;
    const c = this.tI32;
    return c[base] + c[base + 1] + c[base + 2] + c[base + 3];
  }

  private findOrCreateTorrent(infoHash: Uint8Array, offset: number): number {
    const found = this.findTorrent(infoHash, offset);
    if (found >= 0) return found;
    let t: number;
    if (this.tFree.length > 0) t = this.tFree.pop() as number;
    else {
      if (this.tUsedTop === this.tCap) this.growTorrents();
      t = this.tUsedTop++;
    }
    this.tInfoHash.set(infoHash.subarray(offset, offset + INFO_HASH_BYTES), t * INFO_HASH_BYTES);
    const base = t * TREC_WORDS;
    for (let l = 0; l < LISTS_PER_TORRENT; l++) {
      this.tI32[base + l] = -1;
      this.tI32[base + l + TW_CURSOR] = -1;
      this.tI32[base + l + TW_COUNT] = 0;
    }
    this.tU32[t * TREC_WORDS + TW_COMPLETED] = 0;
    this.tU32[t * TREC_WORDS + TW_EXPIRY] = NO_EXPIRY;
    // TW_VERSION keeps counting from the torrent that held this id before: answers cached for
    // that torrent carry an older version and never match.
    this.tBytes[t * TREC_BYTES + TB_FLAGS] = T_USED;
    this.totals.torrents++;
    this.torrentsVersion++;
    if ((this.totals.torrents + 1) * 2 > this.tIndex.length) this.rebuildTorrentIndex(this.tIndex.length * 2);
    else this.indexTorrent(t);
    return t;
  }

  private removeTorrent(t: number): void {
    // Peers are already gone (only peerless torrents are removed).
    this.unindexTorrent(t);
    this.totals.torrents--;
    this.totals.downloaded -= this.tU32[t * TREC_WORDS + TW_COMPLETED];
    this.tU32[t * TREC_WORDS + TW_COMPLETED] = 0;
    this.tBytes[t * TREC_BYTES + TB_FLAGS] = 0;
    this.tFree.push(t);
    this.torrentsVersion++;
  }

  private indexTorrent(t: number): void {
    const mask = this.tIndexMask;
    let i = hash20(this.tInfoHash, t * INFO_HASH_BYTES, this.seed) & mask;
    while (this.tIndex[i] !== 0) i = (i + 1) & mask;
    this.tIndex[i] = t + 1;
  }

  private unindexTorrent(t: number): void {
    const mask = this.tIndexMask;
    const index = this.tIndex;
    let i = hash20(this.tInfoHash, t * INFO_HASH_BYTES, this.seed) & mask;
    while (index[i] !== t + 1) i = (i + 1) & mask;
    // Backward-shift deletion keeps linear probing tombstone-free.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const v = index[j];
      if (v === 0) break;
      const home = hash20(this.tInfoHash, (v - 1) * INFO_HASH_BYTES, this.seed) & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      index[i] = v;
      i = j;
    }
    index[i] = 0;
  }

  private rebuildTorrentIndex(size: number): void {
    this.tIndex = new Int32Array(this.tMem.index.grow(size * 4), 0, size);
    this.tIndex.fill(0);
    this.tIndexMask = size - 1;
    for (let t = 0; t < this.tUsedTop; t++) if (this.tBytes[t * TREC_BYTES + TB_FLAGS] & T_USED) this.indexTorrent(t);
  }

  private growTorrents(): void {
    const cap = this.tCap * 2;
    const m = this.tMem;
    this.tInfoHash = new Uint8Array(m.infoHash.grow(cap * INFO_HASH_BYTES));
    const records = m.records.grow(cap * TREC_BYTES);
    this.tI32 = new Int32Array(records);
    this.tU32 = new Uint32Array(records);
    this.tBytes = new Uint8Array(records);
    this.tCap = cap;
  }

  private markDirty(t: number): void {
    if (!this.trackDirty || this.tBytes[t * TREC_BYTES + TB_FLAGS] & T_DIRTY) return;
    this.tBytes[t * TREC_BYTES + TB_FLAGS] |= T_DIRTY;
    this.dirty.push(t);
  }

  /** Drops every peer of torrent `t` whose last announce is at or before now - timeout. */
  /**
   * Drops every peer of torrent `t` whose last announce is at or before now - timeout, at most
   * `limit` of them: returns how many were dropped, or -1 when it stopped at the limit with more
   * to drop.
   */
  private expireTorrent(t: number, nowMs: number, limit = Infinity): number {
    if (nowMs < this.tU32[t * TREC_WORDS + TW_EXPIRY] * 1000) return 0;
    const cutoff = nowMs - this.timeoutMs;
    const base = t * TREC_WORDS;
    let removed = 0;
    for (let l = 0; l < LISTS_PER_TORRENT; l++) {
      let head = this.tI32[base + l];
      while (head >= 0 && this.pF64[head * REC_DOUBLES + D_UPDATED] <= cutoff) {
        if (removed === limit) return -1;
        this.removePeer(head, true);
        removed++;
        head = this.tI32[base + l];
      }
    }
    this.tU32[t * TREC_WORDS + TW_EXPIRY] = Math.min(NO_EXPIRY, Math.floor(this.nextExpiryOf(t) / 1000));
    return removed;
  }

  // ------------------------------------------------------------------ internals: peers

  private findPeer(t: number, peerId: Uint8Array, offset: number): number {
    const mask = this.pIndexMask;
    let i = hash20(peerId, offset, this.seed ^ Math.imul(t + 1, 0x9e3779b1)) & mask;
    for (;;) {
      const v = this.pIndex[i];
      if (v === 0) return -1;
      const s = v - 1;
      if (
        this.pI32[s * REC_WORDS + W_TORRENT] === t &&
        equalBytes(this.pBytes, s * REC_BYTES + B_PEER_ID, peerId, offset, PEER_ID_BYTES)
      ) {
        return s;
      }
      i = (i + 1) & mask;
    }
  }

  private portOf(s: number): number {
    const at = s * REC_BYTES + B_PORT;
    return (this.pBytes[at] << 8) | this.pBytes[at + 1];
  }

  private peerHome(s: number): number {
    return hash20(
      this.pBytes,
      s * REC_BYTES + B_PEER_ID,
      this.seed ^ Math.imul(this.pI32[s * REC_WORDS + W_TORRENT] + 1, 0x9e3779b1),
    );
  }

  private indexPeer(s: number): void {
    const mask = this.pIndexMask;
    let i = this.peerHome(s) & mask;
    while (this.pIndex[i] !== 0) i = (i + 1) & mask;
    this.pIndex[i] = s + 1;
  }

  private unindexPeer(s: number): void {
    const mask = this.pIndexMask;
    const index = this.pIndex;
    let i = this.peerHome(s) & mask;
    while (index[i] !== s + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const v = index[j];
      if (v === 0) break;
      const home = this.peerHome(v - 1) & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      index[i] = v;
      i = j;
    }
    index[i] = 0;
  }

  private livePeers(): number {
    return this.totals.seeders + this.totals.leechers;
  }

  private allocateSlot(): number {
    if (this.pFreeHead >= 0) {
      const s = this.pFreeHead;
      this.pFreeHead = this.pNext[s];
      return s;
    }
    if (this.pUsedTop === this.pCap) this.growPeers();
    return this.pUsedTop++;
  }

  private growPeers(): void {
    const cap = this.pCap * 2;
    const records = this.pMem.records.grow(cap * REC_BYTES);
    this.pBytes = new Uint8Array(records);
    this.pI32 = new Int32Array(records);
    this.pF64 = new Float64Array(records);
    this.pStats = new Uint32Array(this.pMem.stats.grow(cap * 3 * 4));
    this.pNext = new Int32Array(this.pMem.next.grow(cap * 4));
    this.pPort = new Uint16Array(this.pMem.port.grow(cap * 2));
    this.pCap = cap;
  }

  private rebuildPeerIndex(size: number): void {
    this.pIndex = new Int32Array(this.pMem.index.grow(size * 4), 0, size);
    this.pIndex.fill(0);
    this.pIndexMask = size - 1;
    for (let s = 0; s < this.pUsedTop; s++)
      if (this.pI32[s * REC_WORDS + W_TORRENT] >= 0 && this.isLiveSlot(s)) this.indexPeer(s);
  }

  private isLiveSlot(s: number): boolean {
    const t = this.pI32[s * REC_WORDS + W_TORRENT];
    return t >= 0 && (this.tBytes[t * TREC_BYTES + TB_FLAGS] & T_USED) !== 0;
  }

  private writePeer(s: number, peer: PeerAnnounce, nowMs: number, keepFlags: number): number {
    const rec = s * REC_BYTES;
    const bytes = this.pBytes;
    const n = peer.family === 6 ? 16 : 4;
    for (let i = 0; i < n; i++) bytes[rec + B_ADDR + i] = peer.ip[peer.ipOffset + i];
    for (let i = n; i < ADDR_BYTES; i++) bytes[rec + B_ADDR + i] = 0;
    bytes[rec + B_PORT] = peer.port >>> 8;
    bytes[rec + B_PORT + 1] = peer.port & 0xff;
    this.pPort[s] = peer.port;
    this.pF64[s * REC_DOUBLES + D_UPDATED] = nowMs;
    // Seconds, rounded down: still a lower bound.
    const expires = Math.floor((nowMs + this.timeoutMs) / 1000);
    const at = this.pI32[s * REC_WORDS + W_TORRENT] * TREC_WORDS + TW_EXPIRY;
    if (expires < this.tU32[at]) this.tU32[at] = expires;
    const { uploaded, downloaded, left } = peer;
    let big = 0;
    if (
      uploaded >= 0 &&
      uploaded < STATS_BIG &&
      downloaded >= 0 &&
      downloaded < STATS_BIG &&
      left >= 0 &&
      left < STATS_BIG
    ) {
      const stats = this.pStats;
      stats[s * 3] = uploaded;
      stats[s * 3 + 1] = downloaded;
      stats[s * 3 + 2] = left;
      if (bytes[rec + B_FLAGS] & F_BIG_STATS) this.bigStats.delete(s);
    } else {
      this.pStats.fill(STATS_BIG, s * 3, s * 3 + 3);
      this.bigStats.set(s, [uploaded, downloaded, left]);
      big = F_BIG_STATS;
    }
    const flags =
      (peer.family === 6 ? F_V6 : 0) | (left <= 0 ? F_SEEDER : 0) | (peer.event << F_EVENT_SHIFT) | big | keepFlags;
    this.pBytes[s * REC_BYTES + B_FLAGS] = flags;
    return flags;
  }

  private insertPeer(t: number, peer: PeerAnnounce, nowMs: number, publish = true): number {
    const s = this.allocateSlot();
    this.pI32[s * REC_WORDS + W_TORRENT] = t;
    const at = s * REC_BYTES + B_PEER_ID;
    for (let i = 0; i < PEER_ID_BYTES; i++) this.pBytes[at + i] = peer.peerId[peer.peerIdOffset + i];
    const flags = this.writePeer(s, peer, nowMs, 0);
    this.linkTail(t, listOf(flags), s);
    if ((this.livePeers() + 1) * 2 > this.pIndex.length) this.rebuildPeerIndex(this.pIndex.length * 2);
    else this.indexPeer(s);
    if (publish && this.listener) this.publishUpsert(t, s);
    return s;
  }

  private updatePeer(t: number, s: number, peer: PeerAnnounce, nowMs: number, publish = true): void {
    const before = this.pBytes[s * REC_BYTES + B_FLAGS];
    if (!this.atAddressOf(s, (before & F_V6) !== 0, peer)) this.tU32[t * TREC_WORDS + TW_VERSION]++;
    let keep = before & F_COMPLETION_COUNTED;
    let completed = false;
    // A download is counted when a peer already in the swarm says `completed`, once per peer.
    if (peer.event === AnnounceEvent.Completed && keep === 0) {
      keep = F_COMPLETION_COUNTED;
      completed = true;
    }
    const after = this.writePeer(s, peer, nowMs, keep);
    const from = listOf(before);
    const to = listOf(after);
    if (from === to) this.moveToTail(t, from, s);
    else {
      this.unlink(t, from, s);
      this.linkTail(t, to, s);
    }
    if (completed) {
      this.tU32[t * TREC_WORDS + TW_COMPLETED]++;
      this.totals.downloaded++;
      if (publish) this.totals.downloadedInSession++;
      this.markDirty(t);
    }
    if (publish && this.listener) {
      this.publishUpsert(t, s);
      if (completed) {
        this.listener.onSwarmEvent({
          kind: 'completed',
          infoHash: Uint8Array.from(this.infoHashOf(t)),
          downloaded: this.tU32[t * TREC_WORDS + TW_COMPLETED],
        });
      }
    }
  }

  /**
   * Whether slot `s` (an IPv6 peer when `slotIsV6`) holds `peer`'s family, address and port. The
   * port comes from the dense `pPort`, so a walk reads the record only on an equal port.
   */
  private atAddressOf(s: number, slotIsV6: boolean, peer: PeerAnnounce): boolean {
    const v6 = peer.family === 6;
    return (
      slotIsV6 === v6 &&
      this.pPort[s] === peer.port &&
      equalBytes(this.pBytes, s * REC_BYTES + B_ADDR, peer.ip, peer.ipOffset, v6 ? 16 : 4)
    );
  }

  private removePeer(s: number, publish: boolean): void {
    const t = this.pI32[s * REC_WORDS + W_TORRENT];
    this.tU32[t * TREC_WORDS + TW_VERSION]++;
    this.unlink(t, listOf(this.pBytes[s * REC_BYTES + B_FLAGS]), s);
    this.unindexPeer(s);
    if (publish && this.listener) {
      this.listener.onSwarmEvent({
        kind: 'peer-removed',
        infoHash: Uint8Array.from(this.infoHashOf(t)),
        peerId: Uint8Array.from(this.peerIdView(s)),
      });
    }
    if (this.pBytes[s * REC_BYTES + B_FLAGS] & F_BIG_STATS) this.bigStats.delete(s);
    this.pI32[s * REC_WORDS + W_TORRENT] = -1;
    this.pBytes[s * REC_BYTES + B_FLAGS] = 0;
    this.pNext[s] = this.pFreeHead;
    this.pFreeHead = s;
  }

  private publishUpsert(t: number, s: number): void {
    const flags = this.pBytes[s * REC_BYTES + B_FLAGS];
    (this.listener as SwarmEventListener).onSwarmEvent({
      kind: 'peer-upserted',
      infoHash: Uint8Array.from(this.infoHashOf(t)),
      peerId: Uint8Array.from(this.peerIdView(s)),
      ip: Uint8Array.from(this.peerAddressView(s)),
      family: flags & F_V6 ? 6 : 4,
      port: this.portOf(s),
      uploaded: this.statOf(s, 0),
      downloaded: this.statOf(s, 1),
      left: this.statOf(s, 2),
      event: ((flags & F_EVENT_MASK) >> F_EVENT_SHIFT) as AnnounceEvent,
      updatedMs: this.pF64[s * REC_DOUBLES + D_UPDATED],
    });
  }

  // ------------------------------------------------------------------ internals: lists

  private linkTail(t: number, l: number, s: number): void {
    const li = t * TREC_WORDS + l;
    const head = this.tI32[li];
    if (head < 0) {
      this.tI32[li] = s;
      this.pNext[s] = s;
      this.pI32[s * REC_WORDS + W_PREV] = s;
    } else {
      const tail = this.pI32[head * REC_WORDS + W_PREV];
      this.pNext[tail] = s;
      this.pI32[s * REC_WORDS + W_PREV] = tail;
      this.pNext[s] = head;
      this.pI32[head * REC_WORDS + W_PREV] = s;
    }
    this.tI32[li + TW_COUNT]++;
    if (l & 1) this.totals.seeders++;
    else this.totals.leechers++;
  }

  private unlink(t: number, l: number, s: number): void {
    const li = t * TREC_WORDS + l;
    if (this.tI32[li + TW_COUNT] === 1) {
      this.tI32[li] = -1;
      this.tI32[li + TW_CURSOR] = -1;
    } else {
      const next = this.pNext[s];
      const prev = this.pI32[s * REC_WORDS + W_PREV];
      this.pNext[prev] = next;
      this.pI32[next * REC_WORDS + W_PREV] = prev;
      if (this.tI32[li] === s) this.tI32[li] = next;
      if (this.tI32[li + TW_CURSOR] === s) this.tI32[li + TW_CURSOR] = next;
    }
    this.tI32[li + TW_COUNT]--;
    if (l & 1) this.totals.seeders--;
    else this.totals.leechers--;
  }

  /** Marks `s` as the most recently heard-from peer of its list. */
  private moveToTail(t: number, l: number, s: number): void {
    const li = t * TREC_WORDS + l;
    if (this.tI32[li + TW_COUNT] === 1) return;
    const head = this.tI32[li];
    if (head === s) {
      // In a circular list, advancing the head makes the old head the tail.
      this.tI32[li] = this.pNext[s];
      return;
    }
    if (this.pNext[s] === head) return; // already the tail
    if (this.tI32[li + TW_CURSOR] === s) this.tI32[li + TW_CURSOR] = this.pNext[s];
    const next = this.pNext[s];
    const prev = this.pI32[s * REC_WORDS + W_PREV];
    this.pNext[prev] = next;
    this.pI32[next * REC_WORDS + W_PREV] = prev;
    const tail = this.pI32[head * REC_WORDS + W_PREV];
    this.pNext[tail] = s;
    this.pI32[s * REC_WORDS + W_PREV] = tail;
    this.pNext[s] = head;
    this.pI32[head * REC_WORDS + W_PREV] = s;
  }

  /**
   * A replayed event can carry an older time than peers already listed; expiry walks each list
   * from the head and stops at the first live peer, so the just-appended tail `s` is moved back
   * to its place in announce-time order.
   */
  private restoreOrder(t: number, s: number): void {
    const li = t * TREC_WORDS + listOf(this.pBytes[s * REC_BYTES + B_FLAGS]);
    const head = this.tI32[li];
    const i32 = this.pI32;
    const f64 = this.pF64;
    const updated = f64[s * REC_DOUBLES + D_UPDATED];
    const prev = i32[s * REC_WORDS + W_PREV];
    if (s === head || f64[prev * REC_DOUBLES + D_UPDATED] <= updated) return;
    // Take the tail out.
    this.pNext[prev] = head;
    i32[head * REC_WORDS + W_PREV] = prev;
    if (this.tI32[li + TW_CURSOR] === s) this.tI32[li + TW_CURSOR] = head;
    // Walk back to the last peer heard from no later than `s`.
    let q = prev;
    while (q !== head && f64[q * REC_DOUBLES + D_UPDATED] > updated) q = i32[q * REC_WORDS + W_PREV];
    if (f64[q * REC_DOUBLES + D_UPDATED] > updated) {
      // Older than everybody: the new head.
      const tail = i32[head * REC_WORDS + W_PREV];
      this.pNext[s] = head;
      i32[s * REC_WORDS + W_PREV] = tail;
      this.pNext[tail] = s;
      i32[head * REC_WORDS + W_PREV] = s;
      this.tI32[li] = s;
      return;
    }
    const next = this.pNext[q];
    this.pNext[q] = s;
    i32[s * REC_WORDS + W_PREV] = q;
    this.pNext[s] = next;
    i32[next * REC_WORDS + W_PREV] = s;
  }

  // ------------------------------------------------------------------ internals: selection

  /**
   * Selects up to `maxPeers` peers of torrent `t` for `peer` into the outcome's `peers`
   * (never slot `self`, nor anyone at the peer's address and port); `announce` does this itself
   * unless asked for 0 peers.
   */
  selectPeers(t: number, peer: PeerAnnounce, self: number, maxPeers: number, sameFamilyOnly: boolean): void {
    const out = this.outcome;
    if (out.peers.length < maxPeers) out.peers = new Int32Array(nextPowerOfTwo(maxPeers));
    out.peerCount = 0;
    if (maxPeers <= 0) return;

    const base = t * TREC_WORDS;
    for (let l = 0; l < LISTS_PER_TORRENT; l++) {
      const head = this.tI32[base + l];
      const cursor = this.tI32[base + l + TW_CURSOR];
      this.walkPos[l] = cursor >= 0 ? cursor : head;
      this.walkLeft[l] = this.tI32[base + l + TW_COUNT];
    }
    const own = peer.family === 6 ? 2 : 0;
    const other = 2 - own;
    const seederAsking = peer.left <= 0 && peer.event !== AnnounceEvent.Stopped;
    if (seederAsking) {
      // Seeders need leechers; other seeders only fill what is left.
      this.take(own, peer, self, maxPeers);
      if (!sameFamilyOnly) this.take(other, peer, self, maxPeers);
      this.take(own + 1, peer, self, maxPeers);
      if (!sameFamilyOnly) this.take(other + 1, peer, self, maxPeers);
    } else {
      const half = Math.ceil(maxPeers / 2);
      this.take(own + 1, peer, self, half);
      if (!sameFamilyOnly) this.take(other + 1, peer, self, half);
      this.take(own, peer, self, maxPeers);
      if (!sameFamilyOnly) this.take(other, peer, self, maxPeers);
      this.take(own + 1, peer, self, maxPeers);
      if (!sameFamilyOnly) this.take(other + 1, peer, self, maxPeers);
    }
    for (let l = 0; l < LISTS_PER_TORRENT; l++) {
      if (this.tI32[base + l] >= 0) this.tI32[base + l + TW_CURSOR] = this.walkPos[l];
    }
  }

  /** Takes peers from list `l` while the answer holds fewer than `upTo`. */
  private take(l: number, peer: PeerAnnounce, self: number, upTo: number): void {
    const out = this.outcome;
    let pos = this.walkPos[l];
    let left = this.walkLeft[l];
    const listIsV6 = l >= 2;
    while (left > 0 && out.peerCount < upTo) {
      const s = pos;
      pos = this.pNext[s];
      left--;
      if (s === self) continue;
      if (this.atAddressOf(s, listIsV6, peer)) continue; // the announcer's own address under another peer id
      out.peers[out.peerCount++] = s;
    }
    this.walkPos[l] = pos;
    this.walkLeft[l] = left;
  }
}

function listOf(flags: number): number {
  return (flags & F_V6 ? 2 : 0) | (flags & F_SEEDER ? 1 : 0);
}

export const SWARM_LISTS = {
  V4_LEECHERS: LIST_V4_LEECHERS,
  V4_SEEDERS: LIST_V4_SEEDERS,
  V6_LEECHERS: LIST_V6_LEECHERS,
  V6_SEEDERS: LIST_V6_SEEDERS,
} as const;
