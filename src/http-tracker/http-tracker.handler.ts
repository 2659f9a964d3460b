/**
 * HttpTrackerHandler: announce and scrape (BEP 3, 23, 7, 48) from the raw request URL to the
 * bencoded body, with Torrust's checks in Torrust's order — query, key format, authentication
 * (private), authorization (listed), client IP — and its failure texts. Framework-free and
 * synchronous: the Fastify routes and the fast path (http-fast-path.ts) only route and send. Failures are HTTP 200 with a
 * `failure reason` body. Compact answers of popular swarms (32+ peers) take their peers from an
 * answer cache (core/answer-cache.ts), as UDP does. Nothing is logged per request.
 */
import { TrackerCore, Admission } from '../core/domain/tracker.js';
import { newAnnounceInput, newSwarmMetadata, type AnnounceEvent } from '../core/domain/types.js';
import { isValidKeyFormat } from '../auth-keys/auth-key.js';
import type { ReverseProxyHeader } from '../config/configuration.js';
import type { ForwardedPeers } from '../forwarding/forwarded-peers.js';
import { AnnounceResponseWriter, ScrapeResponseWriter, encodeFailureResponse } from '../protocol/bencode/index.js';
import {
  HttpAnnounceRequest,
  HttpScrapeRequest,
  parseAnnounceRequest,
  parseScrapeRequest,
  rawQueryOf,
} from '../protocol/http/index.js';
import { RequestKind, type ListenerMetrics } from '../stats/listener-metrics.js';
import type { TrackerCounters } from '../stats/tracker-counters.js';
import { resolveClientIp } from './client-ip.js';
import { ANSWER_CACHE_MIN_SWARM, AnswerCache, AnswerShare } from '../core/answer-cache.js';
import type { AnnounceOutcome } from '../core/domain/swarm-registry.js';
import { hexOf } from '../shared/hex.js';

const LOCATION = 'src/http-tracker/http-tracker.handler.ts';
export const HttpFailure = {
  invalidKeyFormat: `Tracker authentication error: Invalid format for authentication key param. Error in ${LOCATION}`,
  missingKey: `Tracker core error: Tracker core authentication error: Missing authentication key, ${LOCATION}`,
  unknownKey: (key: string) =>
    `Tracker core error: Tracker core authentication error: Failed to read key: ${key}, ${LOCATION}`,
  expiredKey: `Tracker core error: Tracker core authentication error: Key has expired, ${LOCATION}`,
  notWhitelisted: (hex: string) =>
    `Tracker core error: Tracker core whitelist error: The torrent: ${hex}, is not whitelisted, ${LOCATION}`,
  clientIp: `Error resolving peer IP: missing or invalid the right most X-Forwarded-For IP (mandatory on reverse proxy tracker configuration) in ${LOCATION}`,
  /** Extension: `reverse_proxy_header = "x-real-ip"`. */
  clientRealIp: `Error resolving peer IP: missing or invalid X-Real-IP IP (mandatory on reverse proxy tracker configuration) in ${LOCATION}`,
} as const;

export interface TrackerReply {
  /** The bencoded body. */
  body: Buffer;
  /** True when the body is a `failure reason`. */
  failure: boolean;
}

export interface RequestMeta {
  /** The TCP peer address (`request.socket.remoteAddress`). */
  remoteAddress: string | undefined;
  /** The X-Forwarded-For header value(s). */
  forwardedFor: string | string[] | undefined;
  /** The X-Real-IP header value(s) (used with `reverse_proxy_header = "x-real-ip"`). */
  realIp?: string | string[] | undefined;
}

function fail(reason: string): TrackerReply {
  return { body: encodeFailureResponse(reason), failure: true };
}

export class HttpTrackerHandler {
  private readonly announceRequest = new HttpAnnounceRequest();
  private readonly scrapeRequest = new HttpScrapeRequest();
  private readonly input = newAnnounceInput();
  /** The requester's share of a cached answer. */
  private readonly share = new AnswerShare();
  private readonly meta = newSwarmMetadata();
  private readonly clientIp = new Uint8Array(16);
  private readonly announceWriter = new AnnounceResponseWriter();
  private readonly scrapeWriter = new ScrapeResponseWriter();
  private readonly answers = new AnswerCache();

  private readonly clientIpFailure: string;

  constructor(
    private readonly core: TrackerCore,
    private readonly counters: TrackerCounters,
    private readonly onReverseProxy: boolean,
    private readonly metrics: ListenerMetrics,
    /** With `onReverseProxy`: which header holds the client IP. */
    private readonly reverseProxyHeader: ReverseProxyHeader = 'x-forwarded-for',
    /** Announce forwarding; null when no forwarder is configured. */
    private readonly forwarding: ForwardedPeers | null = null,
  ) {
    this.clientIpFailure = reverseProxyHeader === 'x-real-ip' ? HttpFailure.clientRealIp : HttpFailure.clientIp;
  }

  /** The client IP into `clientIp`; its family, or 0. */
  private resolveIp(request: RequestMeta): 0 | 4 | 6 {
    const header = this.reverseProxyHeader;
    return resolveClientIp(
      request.remoteAddress,
      header === 'x-real-ip' ? request.realIp : request.forwardedFor,
      this.onReverseProxy,
      this.clientIp,
      header,
    );
  }

  /** `/announce` (key null) or `/announce/{key}`. */
  announce(url: string, key: string | null, request: RequestMeta): TrackerReply {
    return this.measured(RequestKind.Announce, request, this.handleAnnounce(url, key, request));
  }

  /** `/scrape` (key null) or `/scrape/{key}`. */
  scrape(url: string, key: string | null, request: RequestMeta): TrackerReply {
    return this.measured(RequestKind.Scrape, request, this.handleScrape(url, key, request));
  }

  /** Counts a finished request; `handleAnnounce`/`handleScrape` set `started` when they begin. */
  private measured(kind: RequestKind, request: RequestMeta, reply: TrackerReply): TrackerReply {
    const address = request.remoteAddress ?? '';
    const family = address.includes(':') && !address.startsWith('::ffff:') ? 6 : 4;
    this.metrics.request(kind, family);
    this.metrics.response(family, reply.failure);
    if (reply.failure) this.counters.http_failures++;
    this.metrics.observe(kind, performance.now() - this.started);
    return reply;
  }

  private started = 0;

  private handleAnnounce(url: string, key: string | null, request: RequestMeta): TrackerReply {
    this.started = performance.now();
    const req = this.announceRequest;
    const parseFailure = parseAnnounceRequest(rawQueryOf(url), req);
    if (parseFailure !== null) return fail(parseFailure);
    if (key !== null && !isValidKeyFormat(key)) return fail(HttpFailure.invalidKeyFormat);

    const core = this.core;
    switch (core.admitAnnounce(req.infoHash, 0, key)) {
      case Admission.Admitted:
        break;
      case Admission.KeyMissing:
        return fail(HttpFailure.missingKey);
      case Admission.KeyUnknown:
        return fail(HttpFailure.unknownKey(key as string));
      case Admission.KeyExpired:
        return fail(HttpFailure.expiredKey);
      case Admission.NotWhitelisted:
        return fail(HttpFailure.notWhitelisted(hexOf(req.infoHash, 0, 20)));
    }

    const family = this.resolveIp(request);
    if (family === 0) return fail(this.clientIpFailure);

    const input = this.input;
    input.infoHash = req.infoHash;
    input.infoHashOffset = 0;
    input.peerId = req.peerId;
    input.peerIdOffset = 0;
    input.ip = this.clientIp;
    input.ipOffset = 0;
    input.family = family;
    input.port = req.port;
    input.uploaded = req.uploaded;
    input.downloaded = req.downloaded;
    input.left = req.left;
    input.event = req.event as AnnounceEvent;
    input.peersWanted = req.numWant ?? 0;
    input.sameFamilyOnly = false;
    const fwd = this.forwarding;
    const w = this.announceWriter;
    let outcome: AnnounceOutcome;
    if (req.compact && fwd === null) {
      const now = core.now();
      outcome = core.announce(input, false, now);
      w.begin(true, outcome.complete, outcome.incomplete, core.policy.interval, core.policy.intervalMin);
      if (outcome.complete + outcome.incomplete >= ANSWER_CACHE_MIN_SWARM) this.addCachedPeers(outcome, now);
      else {
        core.registry.selectPeers(outcome.torrent, input, outcome.slot, core.peersWanted(input), false);
        this.addSelectedPeers(outcome);
      }
    } else {
      outcome = core.announce(input);
      w.begin(req.compact, outcome.complete, outcome.incomplete, core.policy.interval, core.policy.intervalMin);
      this.addSelectedPeers(outcome);
    }
    // Forwarding: queue the announce upstream; fill the slots left with cached upstream peers.
    // Upstream peers have no peer id, so the dictionary form (which needs one) gets none of them.
    if (fwd !== null) {
      fwd.forward(input);
      if (req.compact && fwd.select(input, 0, outcome.peerCount, outcome, core.registry) > 0) {
        const v4 = fwd.out4;
        for (let i = 0; i < fwd.out4Count; i++) w.addPeerV4(v4, i * 6, v4.readUInt16BE(i * 6 + 4), v4, 0);
        const v6 = fwd.out6;
        for (let i = 0; i < fwd.out6Count; i++) w.addPeerV6(v6, i * 18, v6.readUInt16BE(i * 18 + 16), v6, 0);
      }
    }
    if (family === 4) {
      this.counters.tcp4_announces_handled++;
      this.counters.tcp4_connections_handled++;
    } else {
      this.counters.tcp6_announces_handled++;
      this.counters.tcp6_connections_handled++;
    }
    return { body: w.finish(), failure: false };
  }

  /** Adds the peers the registry selected into `outcome` to the body being written. */
  private addSelectedPeers(outcome: AnnounceOutcome): void {
    const registry = this.core.registry;
    const table = registry.peerTable;
    const w = this.announceWriter;
    for (let i = 0; i < outcome.peerCount; i++) {
      const slot = outcome.peers[i];
      w.addPeer(
        registry.peerFamily(slot),
        table,
        registry.peerAddressOffset(slot),
        registry.peerPort(slot),
        table,
        registry.peerIdOffset(slot),
      );
    }
  }

  /**
   * Compact peers of a popular swarm from the answer cache: selected (for the largest answer,
   * plus one spare) once per swarm, requester family and role, then copied for each requester —
   * the requester's family first, as a walk would — leaving out the requester's own entry.
   */
  private addCachedPeers(outcome: AnnounceOutcome, now: number): void {
    const core = this.core;
    const input = this.input;
    const family = input.family;
    const cached = this.answers.peersFor(core.registry, outcome, input, core.policy.maxPeersPerAnnounce, false, now);
    // The requester's family first (its own entry left out), then the other family.
    const w = this.announceWriter;
    const share = this.share;
    const runs = share.runs;
    const left = core.peersWanted(input);
    const own = share.take(cached, family, input, left);
    for (let r = 0; r < share.runCount; r++) w.appendCompact(family, share.list, runs[2 * r], runs[2 * r + 1]);
    const otherFamily = family === 4 ? 6 : 4;
    share.take(cached, otherFamily, null, left - own);
    for (let r = 0; r < share.runCount; r++) w.appendCompact(otherFamily, share.list, runs[2 * r], runs[2 * r + 1]);
  }

  private handleScrape(url: string, key: string | null, request: RequestMeta): TrackerReply {
    this.started = performance.now();
    const req = this.scrapeRequest;
    const parseFailure = parseScrapeRequest(rawQueryOf(url), req);
    if (parseFailure !== null) return fail(parseFailure);
    if (key !== null && !isValidKeyFormat(key)) return fail(HttpFailure.invalidKeyFormat);
    const family = this.resolveIp(request);
    if (family === 0) return fail(this.clientIpFailure);

    const core = this.core;
    const allowed = core.scrapeAllowed(key);
    const w = this.scrapeWriter;
    const meta = this.meta;
    w.begin();
    for (let i = 0; i < req.count; i++) {
      core.scrape(req.infoHashes, i * 20, allowed, meta);
      w.add(req.infoHashes, i * 20, meta.complete, meta.downloaded, meta.incomplete);
    }
    if (family === 4) {
      this.counters.tcp4_scrapes_handled++;
      this.counters.tcp4_connections_handled++;
    } else {
      this.counters.tcp6_scrapes_handled++;
      this.counters.tcp6_connections_handled++;
    }
    return { body: w.finish(), failure: false };
  }
}
