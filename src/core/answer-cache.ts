/**
 * AnswerCache: compact peer lists (BEP 15 / BEP 23 entries) of popular swarms, reused for up to
 * a second, by the UDP and the HTTP announce paths (each has its own).
 * Walking a swarm touches one peer record per selected peer, scattered in memory; under load
 * most announces go to a few popular torrents, so their answers are built once and copied. An
 * entry is dropped as soon as its swarm loses a peer (stopped or expired: a removed peer is never
 * returned), when its first peer would expire, when the swarm grew while the answer held fewer
 * peers than an answer may (so small swarms always show their newest peers), and after
 * ANSWER_CACHE_TTL_MS (so answers keep rotating through large swarms).
 */

/** Swarms smaller than this are walked on every announce (cheap anyway). */
export const ANSWER_CACHE_MIN_SWARM = 32;
/** How long an answer is reused. */
export const ANSWER_CACHE_TTL_MS = 1000;
/** Entries kept at most; the cache is emptied when it grows past this. */
const MAX_ENTRIES = 65_536;

export interface CachedAnswer {
  /** `count` compact entries (6 or 18 bytes each), back to back; for HTTP the IPv4 ones. */
  bytes: Buffer;
  count: number;
  /** HTTP answers (both families): the IPv6 entries (18 bytes each); empty for UDP. */
  bytes6: Buffer;
  count6: number;
  removals: number;
  /** Peers in the swarm when the answer was built. */
  swarm: number;
  validUntil: number;
}

export class AnswerCache {
  private readonly entries = new Map<number, CachedAnswer>();

  /**
   * The cached answer for `key` if it is still good for a swarm of `swarm` peers with `removals`
   * removals so far, where an answer holds at most `cap` peers (entries hold `cap + 1`, one to
   * spare for leaving out the requester).
   */
  lookup(key: number, removals: number, swarm: number, cap: number, nowMs: number): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (e === undefined || e.removals !== removals || nowMs >= e.validUntil) return undefined;
    if (e.count + e.count6 <= cap && swarm !== e.swarm) return undefined;
    return e;
  }

  store(key: number, entry: CachedAnswer): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Index of the compact entry (`entry` = 6 or 18 bytes: address, then port big-endian) with this
 * address and port among the `count` entries of `bytes`, or -1: the requester, left out of its
 * own answer.
 */
export function findCompactEntry(
  bytes: Uint8Array,
  count: number,
  entry: number,
  ip: Uint8Array,
  ipOffset: number,
  port: number,
): number {
  const addrLength = entry - 2;
  const hi = port >>> 8;
  const lo = port & 0xff;
  for (let i = 0; i < count; i++) {
    const at = i * entry;
    if (bytes[at + addrLength] !== hi || bytes[at + addrLength + 1] !== lo) continue;
    let same = true;
    for (let b = 0; b < addrLength; b++) {
      if (bytes[at + b] !== ip[ipOffset + b]) {
        same = false;
        break;
      }
    }
    if (same) return i;
  }
  return -1;
}
