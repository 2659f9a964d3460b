/**
 * AnswerCache: compact peer lists (BEP 15 / BEP 23 entries) of popular swarms, built once and
 * copied for each requester, by the UDP and the HTTP announce paths (each has its own).
 * Walking a swarm touches one peer record per selected peer, scattered in memory; under load
 * most announces go to a few popular torrents, so their answers are built once and copied.
 *
 * An entry is built per torrent, family and requester role, for the largest answer plus one
 * (so that leaving out the requester still fills it). A *full* entry is a sample of a larger
 * swarm and is taken again after ANSWER_CACHE_TTL_MS, so that answers move through the swarm;
 * a smaller entry holds every peer (of its family) and stays exact instead: each newcomer is
 * appended to it as it joins. Any entry goes as soon as its swarm loses a peer (stopped or
 * expired: a removed peer is never returned) or a peer announces another address or port (the
 * registry's answer version), when its first peer would expire, and when the swarm changed in
 * a way it did not follow (a join through the other protocol's cache). Requesters copy from a
 * rotating start, so that small answers (low numwant) differ from one announce to the next,
 * and leave out their own entry: found by a scan, skipped when the entry's 256-bit presence
 * filter shows the requester is not there (most requesters, in a sample of a large swarm).
 */

import type { AnnounceOutcome, SwarmRegistry } from './domain/swarm-registry.js';
import { newAnnounceInput, type AnnounceInput } from './domain/types.js';

/** Swarms smaller than this are walked on every announce (cheap anyway). */
export const ANSWER_CACHE_MIN_SWARM = 32;
/** How long a full entry (a sample of a larger swarm) is reused. */
export const ANSWER_CACHE_TTL_MS = 1000;
/** Entries kept at most; the cache is emptied when it grows past this. */
const MAX_ENTRIES = 65_536;

export interface CachedAnswer {
  /** BEP 23 / BEP 15 IPv4 entries (address, port: 6 bytes each), back to back: the first `count4`. */
  v4: Buffer;
  count4: number;
  /** IPv6 entries (18 bytes each): the first `count6`. */
  v6: Buffer;
  count6: number;
  /** The swarm's answer version when the entry was built (`SwarmRegistry.answerVersionOf`). */
  version: number;
  /** Peers in the swarm when the answer was built (or last grew). */
  swarm: number;
  validUntil: number;
  /** Where the next requester's copy starts, so that partial answers rotate through the entry. */
  start: number;
  /**
   * A 256-bit filter of the entries present (`presenceBit` of each): a requester whose bit is
   * clear has no entry here, so the search for its own entry is skipped.
   */
  present: Int32Array;
}

export class AnswerCache {
  private readonly entries = new Map<number, CachedAnswer>();
  /** The requester an entry is selected for: a family and role, no address. */
  private readonly anyone = { ...newAnnounceInput(), port: -1 };

  store(key: number, entry: CachedAnswer): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, entry);
  }

  /**
   * The cached peers of the announce in `outcome` (just applied to `registry`) for a requester of
   * `requester`'s family and role, selected on a miss — for anyone in that role (nobody left out:
   * port -1 matches no peer) and one peer more than an answer holds, so that leaving out each
   * requester still fills it. `sameFamilyOnly`: UDP answers carry the requester's family only.
   */
  peersFor(
    registry: SwarmRegistry,
    outcome: AnnounceOutcome,
    requester: Pick<AnnounceInput, 'family' | 'left' | 'event' | 'ip' | 'ipOffset' | 'port'>,
    cap: number,
    sameFamilyOnly: boolean,
    nowMs: number,
  ): CachedAnswer {
    const t = outcome.torrent;
    const key = t * 4 + (requester.family === 6 ? 2 : 0) + (requester.left <= 0 ? 1 : 0);
    const version = registry.answerVersionOf(t);
    const swarm = outcome.complete + outcome.incomplete;
    if (outcome.inserted) this.joined(t, version, swarm, requester, cap, sameFamilyOnly, nowMs);
    const hit = this.entries.get(key);
    // A full answer (cap + 1 entries) does not change when the swarm grows.
    if (isLive(hit, version, nowMs) && (hit.swarm === swarm || hit.count4 + hit.count6 > cap)) return hit;
    const anyone = this.anyone;
    anyone.family = requester.family;
    anyone.left = requester.left;
    anyone.event = requester.event;
    registry.selectPeers(t, anyone, -1, cap + 1, sameFamilyOnly);
    let count4 = 0;
    for (let i = 0; i < outcome.peerCount; i++) if (registry.peerFamily(outcome.peers[i]) === 4) count4++;
    const count6 = outcome.peerCount - count4;
    const v4 = Buffer.allocUnsafe(count4 * 6);
    const v6 = Buffer.allocUnsafe(count6 * 18);
    const table = registry.peerTable;
    const present = new Int32Array(8);
    let o4 = 0;
    let o6 = 0;
    for (let i = 0; i < outcome.peerCount; i++) {
      const slot = outcome.peers[i];
      const at = registry.peerAddressOffset(slot);
      const port = registry.peerPort(slot);
      const v4Peer = registry.peerFamily(slot) === 4;
      markPresent(present, table[at + (v4Peer ? 3 : 15)], port);
      if (v4Peer) {
        for (let b = 0; b < 4; b++) v4[o4 + b] = table[at + b];
        v4[o4 + 4] = port >>> 8;
        v4[o4 + 5] = port & 0xff;
        o4 += 6;
      } else {
        for (let b = 0; b < 16; b++) v6[o6 + b] = table[at + b];
        v6[o6 + 16] = port >>> 8;
        v6[o6 + 17] = port & 0xff;
        o6 += 18;
      }
    }
    // A full answer is a sample of a larger swarm: taken again after the time to live, so that
    // answers move through the swarm. A smaller one holds every peer (of the family) and stays
    // exact while it lives: it grows with each newcomer and goes with any removal or move.
    const full = outcome.peerCount > cap;
    const expiry = registry.nextExpiryOf(t);
    const validUntil = full ? Math.min(nowMs + ANSWER_CACHE_TTL_MS, expiry) : expiry;
    const entry: CachedAnswer = { v4, count4, v6, count6, version, swarm, validUntil, start: 0, present };
    this.store(key, entry);
    return entry;
  }

  /**
   * The requester just joined torrent `t` (now `swarm` peers): the live entries that held the
   * swarm as it was before take it in (those of its family, when entries hold one family only).
   */
  private joined(
    t: number,
    version: number,
    swarm: number,
    requester: Pick<AnnounceInput, 'family' | 'ip' | 'ipOffset' | 'port'>,
    cap: number,
    sameFamilyOnly: boolean,
    nowMs: number,
  ): void {
    for (let k = 0; k < 4; k++) {
      const e = this.entries.get(t * 4 + k);
      if (!isLive(e, version, nowMs) || e.swarm !== swarm - 1) continue;
      e.swarm = swarm;
      const entryFamily = k & 2 ? 6 : 4;
      if (e.count4 + e.count6 > cap || (sameFamilyOnly && entryFamily !== requester.family)) continue;
      appendEntry(e, requester);
      // Now a full entry: a sample from here on, rotated like the others.
      if (e.count4 + e.count6 > cap) e.validUntil = Math.min(e.validUntil, nowMs + ANSWER_CACHE_TTL_MS);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Whether `e` may still answer for a swarm at answer version `version` at `nowMs`. */
function isLive(e: CachedAnswer | undefined, version: number, nowMs: number): e is CachedAnswer {
  return e !== undefined && e.version === version && nowMs < e.validUntil;
}

/** Appends the requester's compact entry (address, port) to its family's list in `answer`. */
function appendEntry(
  answer: CachedAnswer,
  requester: Pick<AnnounceInput, 'family' | 'ip' | 'ipOffset' | 'port'>,
): void {
  const v6 = requester.family === 6;
  const width = v6 ? 18 : 6;
  const count = v6 ? answer.count6 : answer.count4;
  let bytes = v6 ? answer.v6 : answer.v4;
  if ((count + 1) * width > bytes.length) {
    const grown = Buffer.allocUnsafe(Math.max(8, count * 2) * width);
    bytes.copy(grown, 0, 0, count * width);
    bytes = grown;
  }
  const at = count * width;
  for (let b = 0; b < width - 2; b++) bytes[at + b] = requester.ip[requester.ipOffset + b];
  markPresent(answer.present, bytes[at + width - 3], requester.port);
  bytes[at + width - 2] = requester.port >>> 8;
  bytes[at + width - 1] = requester.port & 0xff;
  if (v6) {
    answer.v6 = bytes;
    answer.count6 = count + 1;
  } else {
    answer.v4 = bytes;
    answer.count4 = count + 1;
  }
}

/**
 * A requester's share of one list (one family) of a cached answer, as byte ranges of that list:
 * `list[runs[2i] .. runs[2i + 1]]` for each i below `runCount` (at most 3). It holds up to the
 * wanted number of entries, leaves out the requester's own entry, and starts where the previous
 * requester's share ended (wrapping around), so that small answers differ from one announce to
 * the next; a share of every entry starts at the first. One instance per consumer, reused.
 */
export class AnswerShare {
  /** The list the runs are ranges of: the answer's `v4` or `v6`. */
  list: Buffer = Buffer.alloc(0);
  readonly runs = new Int32Array(6);
  runCount = 0;

  /**
   * Takes up to `wanted` entries of `answer`'s list of `family`, leaving out `requester`'s own
   * entry (null: none to leave out); returns how many were taken.
   */
  take(
    answer: CachedAnswer,
    family: 4 | 6,
    requester: Pick<AnnounceInput, 'ip' | 'ipOffset' | 'port'> | null,
    wanted: number,
  ): number {
    const v6 = family === 6;
    const list = v6 ? answer.v6 : answer.v4;
    const count = v6 ? answer.count6 : answer.count4;
    const width = v6 ? 18 : 6;
    const skip =
      requester !== null && mayBePresent(answer.present, requester.ip[requester.ipOffset + width - 3], requester.port)
        ? findCompactEntry(list, count, width, requester.ip, requester.ipOffset, requester.port)
        : -1;
    const available = skip < 0 ? count : count - 1;
    const n = Math.max(0, Math.min(wanted, available));
    let from = 0;
    if (n < available) {
      from = answer.start % count;
      answer.start = from + n;
    }
    this.list = list;
    this.runCount = rotatedRuns(count, width, skip, from, n, this.runs);
    return n;
  }
}

/**
 * Splits a copy of `n` of the `count` entries (`width` bytes each) of a cached list, starting at
 * entry `from` and wrapping around, leaving out entry `skip` (-1: none), into byte ranges:
 * `runs[2i] .. runs[2i + 1]` for each returned i (at most 3 runs; `runs` holds 6 numbers).
 */
function rotatedRuns(count: number, width: number, skip: number, from: number, n: number, runs: Int32Array): number {
  const most = skip >= 0 && skip < count ? count - 1 : count;
  const wanted = Math.min(n, most); // never more than there is: the loop below would not end
  let r = 0;
  let i = from;
  let taken = 0;
  while (taken < wanted) {
    if (i >= count) i = 0;
    if (i === skip) {
      i++;
      continue;
    }
    const begin = i;
    do {
      i++;
      taken++;
    } while (taken < wanted && i < count && i !== skip);
    runs[r++] = begin * width;
    runs[r++] = i * width;
  }
  return r >> 1;
}

/**
 * The presence-filter bit (0..255) of a peer: from the last byte of its address and its port,
 * the parts that differ most between peers.
 */
export function presenceBit(lastAddressByte: number, port: number): number {
  return (port ^ (port >>> 8) ^ (lastAddressByte << 3) ^ (lastAddressByte >>> 5)) & 0xff;
}

/** Records a peer (the last byte of its address, its port) in a presence filter. */
export function markPresent(present: Int32Array, lastAddressByte: number, port: number): void {
  const bit = presenceBit(lastAddressByte, port);
  present[bit >>> 5] |= 1 << (bit & 31);
}

/** Whether a presence filter may hold the peer; false: it certainly does not. */
function mayBePresent(present: Int32Array, lastAddressByte: number, port: number): boolean {
  const bit = presenceBit(lastAddressByte, port);
  return (present[bit >>> 5] & (1 << (bit & 31))) !== 0;
}

/**
 * Index of the compact entry (`entry` = 6 or 18 bytes: address, then port big-endian) with this
 * address and port among the `count` entries of `bytes`, or -1: the requester, left out of its
 * own answer.
 */
function findCompactEntry(
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
