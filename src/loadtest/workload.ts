/**
 * Deterministic synthetic workload: a seeded PRNG, info hashes and peer ids derived from
 * (seed, index) without storing them, torrent popularity skewed by a Pareto distribution, and a
 * stream of announce/scrape requests. The same seed and worker index give the same stream.
 */

/** BEP 15 event codes (HTTP uses the names). */
export const EVENT_NONE = 0;
export const EVENT_COMPLETED = 1;
export const EVENT_STARTED = 2;

const STARTED_PCT = 10;
const COMPLETED_PCT = 5;
export const MAX_SCRAPE_HASHES = 5;

/** murmur3's 32-bit finalizer. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** mulberry32: small, fast, good enough for a workload; `next()` is in [0, 1). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = mix32(seed >>> 0 || 0x9e3779b9);
  }

  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/**
 * Torrent index for one uniform draw `u` in [0, 1): X ~ Pareto(1, shape) by inversion
 * (X = (1-u)^(-1/shape)), index = n * (min(X, 101) - 1) / 100; shape 0 = uniform.
 */
export function paretoIndex(u: number, n: number, shape: number): number {
  if (shape <= 0) return Math.min(n - 1, Math.floor(u * n));
  const x = Math.pow(1 - u, -1 / shape);
  const index = Math.floor((n * (Math.min(x, 101) - 1)) / 100);
  return Math.min(n - 1, Math.max(0, index));
}

/** Writes 20 bytes derived from (seed, kind, index) at `out[offset]`. */
function derive20(seed: number, kind: number, index: number, out: Uint8Array, offset: number): void {
  let h = mix32(seed ^ Math.imul(kind, 0x27d4eb2f)) ^ mix32(index + 0x165667b1);
  for (let i = 0; i < 5; i++) {
    h = mix32(h + i * 0x9e3779b9 + index);
    out[offset + i * 4] = h >>> 24;
    out[offset + i * 4 + 1] = (h >>> 16) & 0xff;
    out[offset + i * 4 + 2] = (h >>> 8) & 0xff;
    out[offset + i * 4 + 3] = h & 0xff;
  }
}

/** Info hash of torrent `index` under `seed` (the same in every worker). */
export function infoHashOf(seed: number, index: number): Buffer {
  const out = Buffer.alloc(20);
  derive20(seed, 1, index, out, 0);
  return out;
}

const PEER_ID_PREFIX = Buffer.from('-LT0001-', 'latin1');

/** Peer id of client `index`: `-LT0001-` and 12 derived bytes. */
export function peerIdOf(seed: number, index: number): Buffer {
  const tmp = Buffer.alloc(20);
  derive20(seed, 2, index, tmp, 0);
  const out = Buffer.alloc(20);
  PEER_ID_PREFIX.copy(out, 0);
  tmp.copy(out, 8, 0, 12);
  return out;
}

/** Listening port of client `index` (distinct for up to 50000 clients). */
export function peerPortOf(index: number): number {
  return 10000 + (index % 50000);
}

export interface AnnounceSpec {
  kind: 'announce';
  torrent: number;
  peer: number;
  event: number;
  left: number;
}

export interface ScrapeSpec {
  kind: 'scrape';
  torrents: number[];
}

export type RequestSpec = AnnounceSpec | ScrapeSpec;

export interface WorkloadParams {
  torrents: number;
  peers: number;
  pareto: number;
  announcePct: number;
  seed: number;
  /** This worker's index and the number of workers: clients are split between workers. */
  worker: number;
  workers: number;
}

export class Workload {
  private readonly rng: Rng;
  private readonly ownPeers: number;

  constructor(private readonly p: WorkloadParams) {
    this.rng = new Rng(mix32(p.seed) ^ mix32(p.worker + 0x51ed27));
    this.ownPeers = p.worker < p.peers ? Math.ceil((p.peers - p.worker) / p.workers) : 0;
  }

  torrent(): number {
    return paretoIndex(this.rng.next(), this.p.torrents, this.p.pareto);
  }

  /** A client of this worker (worker w owns clients w, w + W, …; any client if it owns none). */
  peer(): number {
    if (this.ownPeers === 0) return this.rng.int(this.p.peers);
    return this.p.worker + this.p.workers * this.rng.int(this.ownPeers);
  }

  next(): RequestSpec {
    if (this.rng.next() * 100 < this.p.announcePct) {
      const torrent = this.torrent();
      const peer = this.peer();
      const roll = this.rng.int(100);
      const event =
        roll < STARTED_PCT ? EVENT_STARTED : roll < STARTED_PCT + COMPLETED_PCT ? EVENT_COMPLETED : EVENT_NONE;
      // about half the clients seed a given torrent
      const seeding = event === EVENT_COMPLETED || (mix32(torrent ^ mix32(peer)) & 1) === 0;
      return { kind: 'announce', torrent, peer, event, left: seeding ? 0 : 1 + (mix32(peer) % 1_000_000_000) };
    }
    const count = 1 + this.rng.int(MAX_SCRAPE_HASHES);
    const torrents: number[] = [];
    for (let i = 0; i < count; i++) torrents.push(this.torrent());
    return { kind: 'scrape', torrents };
  }
}
