/**
 * ForwardedPeers: what the UDP and HTTP announce handlers see of forwarding — two calls per
 * announce, both synchronous and allocation-free:
 *
 *   fwd.forward(input);                       // queue the announce for every forwarder
 *   const n = fwd.select(input, family, localCount, outcome, registry);
 *   // then fwd.out4[0 .. 6·out4Count) and fwd.out6[0 .. 18·out6Count): compact peers to append
 *
 * `select` fills the slots the local answer left (`min(numwant, max_peers_per_announce)` minus
 * the local peers) with peers the forwarders returned for this torrent: only the requested
 * family (UDP) or both (HTTP), never the requester's own address and port, never a peer
 * already in the local answer, deduplicated across forwarders, starting at a rotating offset so
 * that successive requesters see different upstream peers.
 *
 * The cache keeps, per (forwarder, info hash), the compact peers of the forwarder's last
 * answer until the `interval` it returned runs out; the merged, deduplicated lists per torrent
 * are rebuilt when an answer arrives and by `sweep()` (a timer), never on the hot path. A
 * torrent whose forwarders returned no peers has no entry.
 */
import type { AnnounceOutcome, SwarmRegistry } from '../core/domain/swarm-registry.js';
import type { AnnounceInput } from '../core/domain/types.js';
import { hash20 } from '../core/domain/hash.js';

export interface PeerCacheOptions {
  readonly forwarders: number;
  /** `max_peers_per_announce`: the answer size `select` fills up to. */
  readonly maxPeersPerAnnounce: number;
  /** Most peers kept from one upstream answer (per family). */
  readonly maxStoredPeers: number;
  /** Most torrents with cached peers; answers for further torrents are not cached. */
  readonly maxTorrents: number;
  /** Seed of the info-hash table's hash. */
  readonly seed: number;
  /**
   * Per forwarder, 4 or 16 address bytes never taken from its answers (its `ip` setting: the
   * upstream's view of our own peers), or null.
   */
  readonly ownAddresses?: ReadonlyArray<Uint8Array | null>;
}

/** Enqueues announces for the forwarders (ForwardingEngine.enqueue). */
export interface AnnounceSink {
  enqueue(input: AnnounceInput): void;
}

const EMPTY = Buffer.alloc(0);

class Part {
  constructor(
    readonly expiresAt: number,
    readonly v4: Buffer,
    readonly v6: Buffer,
  ) {}
}

class CacheEntry {
  next: CacheEntry | null = null;
  readonly parts: Array<Part | null>;
  v4: Buffer = EMPTY;
  v6: Buffer = EMPTY;
  /** The latest part expiry: after it the entry has nothing to offer. */
  expiresAt = 0;
  /** The earliest part expiry: `sweep` rebuilds the entry after it. */
  nextExpiry = 0;
  cursor4 = 0;
  cursor6 = 0;

  constructor(
    readonly hash: number,
    readonly infoHash: Buffer,
    forwarders: number,
  ) {
    this.parts = new Array<Part | null>(forwarders).fill(null);
  }
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}

/** A 32-bit key of an address (4 or 16 bytes) and port. */
function peerKey(addr: Uint8Array, off: number, family: 4 | 6, port: number): number {
  let h = Math.imul(port + (family === 6 ? 0x10000 : 0), 0x9e3779b1);
  const words = family === 4 ? 1 : 4;
  for (let w = 0; w < words; w++) {
    const o = off + w * 4;
    const k = (addr[o] << 24) | (addr[o + 1] << 16) | (addr[o + 2] << 8) | addr[o + 3];
    h = mix(h ^ k);
  }
  return mix(h);
}

export class ForwardedPeers {
  /** Compact IPv4 peers chosen by the last `select`: 6 bytes each. */
  readonly out4: Buffer;
  out4Count = 0;
  /** Compact IPv6 peers chosen by the last `select`: 18 bytes each. */
  readonly out6: Buffer;
  out6Count = 0;

  private readonly table = new Map<number, CacheEntry>();
  private entries = 0;
  private readonly partsPerForwarder: Int32Array;
  private notCached = 0;
  // Keys of the local answer's peers: open addressing, cleared by bumping the generation.
  private setKeys = new Int32Array(256);
  private setStamps = new Uint32Array(256);
  private generation = 0;
  private readonly addressScratch = new Uint8Array(16);

  constructor(
    private readonly sink: AnnounceSink,
    private readonly options: PeerCacheOptions,
    private readonly now: () => number = Date.now,
  ) {
    const room = Math.min(options.maxPeersPerAnnounce, 4096);
    this.out4 = Buffer.alloc(room * 6);
    this.out6 = Buffer.alloc(room * 18);
    this.partsPerForwarder = new Int32Array(options.forwarders);
  }

  /** Queues the announce (after `core.announce`, so the address is final) for every forwarder. */
  forward(input: AnnounceInput): void {
    this.sink.enqueue(input);
  }

  /**
   * Chooses upstream peers for the slots the local answer left; returns how many (also in
   * `out4Count` + `out6Count`). `family` 4 or 6 = that family only (UDP), 0 = both (HTTP).
   * `localCount` = the local peers already in the answer, `outcome.peers[0 .. peerCount)`.
   */
  select(
    input: AnnounceInput,
    family: 0 | 4 | 6,
    localCount: number,
    outcome: AnnounceOutcome,
    registry: SwarmRegistry,
  ): number {
    this.out4Count = 0;
    this.out6Count = 0;
    if (this.entries === 0) return 0;
    const max = this.options.maxPeersPerAnnounce;
    const wanted = Math.min(input.peersWanted > 0 && input.peersWanted < max ? input.peersWanted : max, 4096);
    let room = wanted - localCount;
    if (room <= 0) return 0;
    const entry = this.find(input.infoHash, input.infoHashOffset);
    if (entry === null || entry.expiresAt <= this.now()) return 0;
    const want4 = family !== 6 && entry.v4.length > 0;
    const want6 = family !== 4 && entry.v6.length > 0;
    if (!want4 && !want6) return 0;

    this.markLocal(outcome, registry);
    if (want4) {
      this.out4Count = this.pick(entry, 4, room, input);
      room -= this.out4Count;
    }
    if (want6 && room > 0) this.out6Count = this.pick(entry, 6, room, input);
    return this.out4Count + this.out6Count;
  }

  /**
   * Caches a forwarder's answer for `ttlMs` (replacing its previous one for the torrent). An
   * answer without peers removes the forwarder's part.
   */
  store(forwarder: number, infoHash: Buffer, peers4: Buffer, peers6: Buffer, ttlMs: number): void {
    const now = this.now();
    const v4 = this.filtered(forwarder, peers4, 4);
    const v6 = this.filtered(forwarder, peers6, 6);
    const empty = v4.length === 0 && v6.length === 0;
    let entry = this.find(infoHash, 0);
    if (entry === null) {
      if (empty) return;
      if (this.entries >= this.options.maxTorrents) {
        this.notCached++;
        return;
      }
      entry = this.insert(infoHash);
    }
    const before = entry.parts[forwarder];
    if (before !== null) this.partsPerForwarder[forwarder]--;
    entry.parts[forwarder] = empty ? null : new Part(now + ttlMs, v4, v6);
    if (!empty) this.partsPerForwarder[forwarder]++;
    this.rebuild(entry, now);
  }

  /** Drops expired answers and torrents left without any (run on a timer). */
  sweep(): void {
    const now = this.now();
    for (const head of [...this.table.values()]) {
      for (let e: CacheEntry | null = head; e !== null;) {
        const next: CacheEntry | null = e.next;
        if (e.nextExpiry <= now) this.rebuild(e, now);
        e = next;
      }
    }
  }

  /** Torrents with cached upstream peers. */
  get cachedTorrents(): number {
    return this.entries;
  }

  /** Torrents for which `forwarder` has a cached answer. */
  cachedTorrentsOf(forwarder: number): number {
    return this.partsPerForwarder[forwarder];
  }

  /** Answers not cached because `maxTorrents` was reached. */
  get notCachedCount(): number {
    return this.notCached;
  }

  /** How many merged upstream peers a torrent has, per family (tests, status). */
  peersOf(infoHash: Uint8Array): { v4: number; v6: number } {
    const e = this.find(infoHash, 0);
    return e === null ? { v4: 0, v6: 0 } : { v4: e.v4.length / 6, v6: e.v6.length / 18 };
  }

  // -------------------------------------------------------------------------------------------

  private find(infoHash: Uint8Array, offset: number): CacheEntry | null {
    const h = hash20(infoHash, offset, this.options.seed);
    for (let e = this.table.get(h) ?? null; e !== null; e = e.next) {
      const k = e.infoHash;
      let same = true;
      for (let i = 0; i < 20; i++) {
        if (k[i] !== infoHash[offset + i]) {
          same = false;
          break;
        }
      }
      if (same) return e;
    }
    return null;
  }

  private insert(infoHash: Buffer): CacheEntry {
    const h = hash20(infoHash, 0, this.options.seed);
    const entry = new CacheEntry(h, Buffer.from(infoHash.subarray(0, 20)), this.options.forwarders);
    entry.next = this.table.get(h) ?? null;
    this.table.set(h, entry);
    this.entries++;
    return entry;
  }

  private remove(entry: CacheEntry): void {
    const head = this.table.get(entry.hash) ?? null;
    if (head === entry) {
      if (entry.next === null) this.table.delete(entry.hash);
      else this.table.set(entry.hash, entry.next);
    } else {
      for (let e = head; e !== null; e = e.next) {
        if (e.next === entry) {
          e.next = entry.next;
          break;
        }
      }
    }
    this.entries--;
  }

  /** Expired parts out, merged lists rebuilt (deduplicated, forwarder order), empty entries removed. */
  private rebuild(entry: CacheEntry, now: number): void {
    let latest = 0;
    let earliest = Infinity;
    const seen = new Set<string>();
    const v4: Buffer[] = [];
    const v6: Buffer[] = [];
    for (let f = 0; f < entry.parts.length; f++) {
      const part = entry.parts[f];
      if (part === null) continue;
      if (part.expiresAt <= now) {
        entry.parts[f] = null;
        this.partsPerForwarder[f]--;
        continue;
      }
      latest = Math.max(latest, part.expiresAt);
      earliest = Math.min(earliest, part.expiresAt);
      for (const [list, size, out] of [
        [part.v4, 6, v4],
        [part.v6, 18, v6],
      ] as const) {
        for (let o = 0; o < list.length; o += size) {
          const key = list.toString('latin1', o, o + size);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(list.subarray(o, o + size));
        }
      }
    }
    if (latest === 0) {
      this.remove(entry);
      return;
    }
    entry.v4 = v4.length === 0 ? EMPTY : Buffer.concat(v4);
    entry.v6 = v6.length === 0 ? EMPTY : Buffer.concat(v6);
    entry.expiresAt = latest;
    entry.nextExpiry = earliest;
    entry.cursor4 = 0;
    entry.cursor6 = 0;
  }

  /** Whole entries only, port ≠ 0, no unspecified address, not the forwarder's own `ip`, capped. */
  private filtered(forwarder: number, peers: Buffer, family: 4 | 6): Buffer {
    const size = family === 4 ? 6 : 18;
    const addrSize = size - 2;
    const own = this.options.ownAddresses?.[forwarder] ?? null;
    const ownMatches = own !== null && own.length === addrSize;
    const whole = peers.length - (peers.length % size);
    const keep: Buffer[] = [];
    for (let o = 0; o < whole && keep.length < this.options.maxStoredPeers; o += size) {
      if (peers[o + addrSize] === 0 && peers[o + addrSize + 1] === 0) continue;
      let unspecified = true;
      for (let i = 0; i < addrSize; i++) {
        if (peers[o + i] !== 0) {
          unspecified = false;
          break;
        }
      }
      if (unspecified) continue;
      if (ownMatches) {
        let same = true;
        for (let i = 0; i < addrSize; i++) {
          if (peers[o + i] !== own[i]) {
            same = false;
            break;
          }
        }
        if (same) continue;
      }
      keep.push(peers.subarray(o, o + size));
    }
    return keep.length === 0 ? EMPTY : Buffer.concat(keep);
  }

  private markLocal(outcome: AnnounceOutcome, registry: SwarmRegistry): void {
    const count = outcome.peerCount;
    if (this.setKeys.length < count * 2) {
      let size = this.setKeys.length;
      while (size < count * 2) size *= 2;
      this.setKeys = new Int32Array(size);
      this.setStamps = new Uint32Array(size);
      this.generation = 0;
    }
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.setStamps.fill(0);
      this.generation = 1;
    }
    const address = this.addressScratch;
    for (let i = 0; i < count; i++) {
      const slot = outcome.peers[i];
      registry.copyPeerAddress(slot, address, 0);
      this.addKey(peerKey(address, 0, registry.peerFamily(slot), registry.peerPort(slot)));
    }
  }

  private addKey(key: number): void {
    const mask = this.setKeys.length - 1;
    let i = mix(key) & mask;
    const gen = this.generation;
    while (this.setStamps[i] === gen) {
      if (this.setKeys[i] === key) return;
      i = (i + 1) & mask;
    }
    this.setStamps[i] = gen;
    this.setKeys[i] = key;
  }

  private hasKey(key: number): boolean {
    const mask = this.setKeys.length - 1;
    let i = mix(key) & mask;
    const gen = this.generation;
    while (this.setStamps[i] === gen) {
      if (this.setKeys[i] === key) return true;
      i = (i + 1) & mask;
    }
    return false;
  }

  /** Copies up to `room` usable peers of one family into out4/out6; returns how many. */
  private pick(entry: CacheEntry, family: 4 | 6, room: number, input: AnnounceInput): number {
    const size = family === 4 ? 6 : 18;
    const addrSize = size - 2;
    const list = family === 4 ? entry.v4 : entry.v6;
    const out = family === 4 ? this.out4 : this.out6;
    const n = list.length / size;
    const start = family === 4 ? entry.cursor4 : entry.cursor6;
    const sameFamily = input.family === family;
    const ip = input.ip;
    const ipOff = input.ipOffset;
    let taken = 0;
    let examined = 0;
    while (examined < n && taken < room) {
      const o = ((start + examined) % n) * size;
      examined++;
      const port = (list[o + addrSize] << 8) | list[o + addrSize + 1];
      if (sameFamily && port === input.port) {
        let requester = true;
        for (let i = 0; i < addrSize; i++) {
          if (list[o + i] !== ip[ipOff + i]) {
            requester = false;
            break;
          }
        }
        if (requester) continue;
      }
      if (this.hasKey(peerKey(list, o, family, port))) continue;
      list.copy(out, taken * size, o, o + size);
      taken++;
    }
    if (family === 4) entry.cursor4 = (start + examined) % n;
    else entry.cursor6 = (start + examined) % n;
    return taken;
  }
}
