/**
 * UdpPacketHandler: one BEP 15 datagram in, at most one datagram out. Decodes with fixed
 * offsets on the received Buffer, checks the connection cookie and the ban list, asks the core
 * (synchronously) and encodes the answer into an exact-size Buffer. No DI look-ups, no
 * promises, no logging above debug per packet; counters are plain increments. Never throws
 * for any input: unexpected failures are caught by the server and counted.
 */
import type { RemoteInfo } from 'node:dgram';
import type { AnnounceOutcome } from '../core/domain/swarm-registry.js';
import { TrackerCore } from '../core/domain/tracker.js';
import { newAnnounceInput, newSwarmMetadata, type AnnounceEvent } from '../core/domain/types.js';
import {
  ACTION_ANNOUNCE,
  ACTION_CONNECT,
  ACTION_SCRAPE,
  ANNOUNCE_RESPONSE_HEADER_SIZE,
  Bep15Request,
  CONNECT_RESPONSE_SIZE,
  OFFSET_INFO_HASH,
  OFFSET_PEER_ID,
  PEER_V4_SIZE,
  PEER_V6_SIZE,
  SCRAPE_RESPONSE_ENTRY_SIZE,
  SCRAPE_RESPONSE_HEADER_SIZE,
  parseErrorEchoesTransactionId,
  parseErrorMessageBytes,
  parseRequest,
  scrapeInfoHashOffset,
  writeAnnounceHeader,
  writeConnectResponse,
  writeErrorResponse,
  writePeerV4,
  writePeerV6,
  writeScrapeEntry,
  writeScrapeHeader,
  type Bep15ParseError,
} from '../protocol/bep15/index.js';
import type { ForwardedPeers } from '../forwarding/forwarded-peers.js';
import { writeSocketIp } from '../shared/ip.js';
import { RequestKind, type ListenerMetrics } from '../stats/listener-metrics.js';
import type { ProcessingTime, TrackerCounters } from '../stats/tracker-counters.js';
import { ANSWER_CACHE_MIN_SWARM, AnswerCache, AnswerShare } from '../core/answer-cache.js';
import { ConnectionCookies, CookieCheck } from './connection-cookie.js';
import { ResponseBuffers } from './response-buffers.js';
import type { IpBans } from './ip-bans.js';
import { hexOf } from '../shared/hex.js';

export class UdpPacketHandler {
  private readonly request = new Bep15Request();
  private readonly input = newAnnounceInput();
  private readonly meta = newSwarmMetadata();
  private readonly clientIp = new Uint8Array(16);
  private readonly cookieBytes = new Uint8Array(8);
  private readonly answers = new AnswerCache();
  /** Where answers are written: a slab the server reuses or abandons after each burst of sends. */
  readonly buffers = new ResponseBuffers();
  /** Whether the answer being built is an error packet. */
  private answeredWithError = false;
  /** The clock, read once per datagram (ms since the epoch). */
  private now = 0;
  /** The requester's share of a cached answer. */
  private readonly share = new AnswerShare();

  constructor(
    private readonly core: TrackerCore,
    private readonly cookies: ConnectionCookies,
    private readonly bans: IpBans,
    private readonly counters: TrackerCounters,
    private readonly metrics: ListenerMetrics,
    /** Announce forwarding; null when no forwarder is configured. */
    private readonly forwarding: ForwardedPeers | null = null,
  ) {
    this.input.sameFamilyOnly = true;
  }

  /**
   * The answer to `msg` from `from`, or null when the datagram is dropped. The answer is one of
   * `buffers`: send it before `buffers.reuse()`.
   */
  handle(msg: Buffer, from: RemoteInfo): Buffer | null {
    const family = writeSocketIp(from.address, this.clientIp);
    const c = this.counters;
    if (family === 0 || from.port === 0) {
      c.udp_requests_discarded++;
      return null;
    }
    if (this.bans.isBanned(from.address)) {
      c.udp_requests_banned++;
      return null;
    }
    if (family === 4) c.udp4_requests++;
    else c.udp6_requests++;

    const started = performance.now();
    this.now = this.core.now();
    const req = this.request;
    const action = parseRequest(msg, req);
    const metrics = this.metrics;
    this.answeredWithError = false;
    let out: Buffer;
    switch (action) {
      case ACTION_CONNECT:
        out = this.connect(req.transactionId, family, from.port);
        this.timed(RequestKind.Connect, c.udpConnectTime, family, started);
        break;
      case ACTION_ANNOUNCE:
        out = this.announce(msg, req, family, from);
        this.timed(RequestKind.Announce, c.udpAnnounceTime, family, started);
        break;
      case ACTION_SCRAPE:
        out = this.scrape(msg, req, family, from);
        this.timed(RequestKind.Scrape, c.udpScrapeTime, family, started);
        break;
      default: {
        const code = action as Bep15ParseError;
        const tx = parseErrorEchoesTransactionId(code) ? req.transactionId : 0;
        out = this.error(tx, parseErrorMessageBytes(code), family);
      }
    }
    metrics.response(family, this.answeredWithError);
    if (family === 4) c.udp4_responses++;
    else c.udp6_responses++;
    return out;
  }

  /** Counts a handled request of `kind` and the time it took since `started` (ms). */
  private timed(kind: RequestKind, time: ProcessingTime, family: 4 | 6, started: number): void {
    const ms = performance.now() - started;
    time.count++;
    time.totalNs += ms * 1e6;
    this.metrics.request(kind, family);
    this.metrics.observe(kind, ms);
  }

  private connect(transactionId: number, family: 4 | 6, port: number): Buffer {
    const cookie = this.cookieBytes;
    this.cookies.issue(cookie, 0, this.clientIp, family, port, this.now);
    const out = this.buffers.take(CONNECT_RESPONSE_SIZE);
    writeConnectResponse(out, transactionId, cookie, 0);
    if (family === 4) this.counters.udp4_connections_handled++;
    else this.counters.udp6_connections_handled++;
    return out;
  }

  private announce(msg: Buffer, req: Bep15Request, family: 4 | 6, from: RemoteInfo): Buffer {
    const cookieError = this.checkCookie(msg, family, from, 'tracker announce error: ');
    if (cookieError !== null) return this.error(req.transactionId, cookieError, family);
    const core = this.core;
    if (core.policy.listed && !core.isWhitelisted(msg, OFFSET_INFO_HASH)) {
      const text = `tracker announce error: Tracker core whitelist error: The torrent: ${hexOf(msg, OFFSET_INFO_HASH, 20)}, is not whitelisted`;
      return this.error(req.transactionId, Buffer.from(text), family);
    }

    const input = this.input;
    input.infoHash = msg;
    input.infoHashOffset = OFFSET_INFO_HASH;
    input.peerId = msg;
    input.peerIdOffset = OFFSET_PEER_ID;
    input.ip = this.clientIp;
    input.ipOffset = 0;
    input.family = family;
    input.port = req.port;
    input.uploaded = req.uploaded;
    input.downloaded = req.downloaded;
    input.left = req.left;
    input.event = req.event as AnnounceEvent;
    input.peersWanted = req.numWant > 0 ? req.numWant : 0;
    const fwd = this.forwarding;
    if (fwd === null) {
      const outcome = core.announce(input, false, this.now);
      if (outcome.complete + outcome.incomplete >= ANSWER_CACHE_MIN_SWARM && input.family === family) {
        return this.cachedAnswer(req, family, outcome);
      }
      core.registry.selectPeers(outcome.torrent, input, outcome.slot, core.peersWanted(input), true);
      // The selection has the stored family, which external_ip can make differ from the socket's.
      const peers = input.family === family ? outcome.peerCount : this.peersOfFamily(outcome, family);
      return this.answer(req, family, outcome, peers, 0);
    }
    const outcome = core.announce(input, true, this.now);
    fwd.forward(input);
    const peers = this.peersOfFamily(outcome, family);
    return this.answer(req, family, outcome, peers, fwd.select(input, family, peers, outcome, core.registry));
  }

  private peersOfFamily(outcome: AnnounceOutcome, family: 4 | 6): number {
    const registry = this.core.registry;
    let peers = 0;
    for (let i = 0; i < outcome.peerCount; i++) if (registry.peerFamily(outcome.peers[i]) === family) peers++;
    return peers;
  }

  /**
   * The announce answer of a popular swarm from the answer cache: the selection is made (for
   * the largest answer) once per swarm, family and requester role, then copied for each
   * requester, leaving out the requester's own address.
   */
  private cachedAnswer(req: Bep15Request, family: 4 | 6, outcome: AnnounceOutcome): Buffer {
    const core = this.core;
    const input = this.input;
    const entry = family === 4 ? PEER_V4_SIZE : PEER_V6_SIZE;
    const cap = core.policy.maxPeersPerAnnounce;
    const cached = this.answers.peersFor(core.registry, outcome, input, cap, true, this.now);
    // Leave out the requester's own entry (its address and port); copy from a rotating start.
    const share = this.share;
    const n = share.take(cached, family, input, core.peersWanted(input)); // at most `cap`
    const out = this.buffers.take(ANNOUNCE_RESPONSE_HEADER_SIZE + n * entry);
    const offset = writeAnnounceHeader(
      out,
      req.transactionId,
      core.policy.interval,
      outcome.incomplete,
      outcome.complete,
    );
    const runs = share.runs;
    let at = offset;
    for (let r = 0; r < share.runCount; r++) at += share.list.copy(out, at, runs[2 * r], runs[2 * r + 1]);
    if (family === 4) this.counters.udp4_announces_handled++;
    else this.counters.udp6_announces_handled++;
    return out;
  }

  /**
   * The announce answer from the outcome's selected peers, `peers` of them of the requester's family,
   * plus `forwarded` upstream peers.
   */
  private answer(req: Bep15Request, family: 4 | 6, outcome: AnnounceOutcome, peers: number, forwarded: number): Buffer {
    const core = this.core;
    const fwd = this.forwarding;
    const registry = core.registry;
    const table = registry.peerTable;
    const entry = family === 4 ? PEER_V4_SIZE : PEER_V6_SIZE;
    const out = this.buffers.take(ANNOUNCE_RESPONSE_HEADER_SIZE + (peers + forwarded) * entry);
    const mixed = peers !== outcome.peerCount;
    let offset = writeAnnounceHeader(
      out,
      req.transactionId,
      core.policy.interval,
      outcome.incomplete,
      outcome.complete,
    );
    for (let i = 0; i < outcome.peerCount; i++) {
      const slot = outcome.peers[i];
      if (mixed && registry.peerFamily(slot) !== family) continue;
      offset =
        family === 4
          ? writePeerV4(out, offset, table, registry.peerAddressOffset(slot), registry.peerPort(slot))
          : writePeerV6(out, offset, table, registry.peerAddressOffset(slot), registry.peerPort(slot));
    }
    if (forwarded > 0 && fwd !== null) (family === 4 ? fwd.out4 : fwd.out6).copy(out, offset, 0, forwarded * entry);
    if (family === 4) this.counters.udp4_announces_handled++;
    else this.counters.udp6_announces_handled++;
    return out;
  }

  private scrape(msg: Buffer, req: Bep15Request, family: 4 | 6, from: RemoteInfo): Buffer {
    const cookieError = this.checkCookie(msg, family, from, 'tracker scrape error: ');
    if (cookieError !== null) return this.error(req.transactionId, cookieError, family);
    const n = req.infoHashCount;
    const out = this.buffers.take(SCRAPE_RESPONSE_HEADER_SIZE + n * SCRAPE_RESPONSE_ENTRY_SIZE);
    let offset = writeScrapeHeader(out, req.transactionId);
    const meta = this.meta;
    for (let i = 0; i < n; i++) {
      this.core.scrape(msg, scrapeInfoHashOffset(i), true, meta, this.now);
      offset = writeScrapeEntry(out, offset, meta.complete, meta.downloaded, meta.incomplete);
    }
    if (family === 4) this.counters.udp4_scrapes_handled++;
    else this.counters.udp6_scrapes_handled++;
    return out;
  }

  /** Null when the connection id is good; otherwise the error text (and the error is counted for bans). */
  private checkCookie(msg: Buffer, family: 4 | 6, from: RemoteInfo, prefix: string): Buffer | null {
    const now = this.now;
    const check = this.cookies.check(msg, 0, this.clientIp, family, from.port, now);
    if (check === CookieCheck.Valid) return null;
    this.counters.udp_connection_id_errors++;
    this.bans.recordError(from.address);
    const t = this.cookies.lastIssueTime;
    let reason: string;
    if (check === CookieCheck.Expired)
      reason = `cookie value is expired: ${t}, expected > ${this.cookies.oldestValid(now)}`;
    else if (check === CookieCheck.FromFuture)
      reason = `cookie value is from future: ${t}, expected < ${Math.floor(now / 1000) + 1}`;
    else reason = `cookie value is not normal: ${hexOf(msg, 0, 8)}`;
    return Buffer.from(`${prefix}Connection cookie error: ${reason}`);
  }

  private error(transactionId: number, message: Uint8Array, family: 4 | 6): Buffer {
    const out = this.buffers.take(8 + message.length);
    writeErrorResponse(out, transactionId, message);
    this.answeredWithError = true;
    if (family === 4) this.counters.udp4_errors_handled++;
    else this.counters.udp6_errors_handled++;
    return out;
  }
}
