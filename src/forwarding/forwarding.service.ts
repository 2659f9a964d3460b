/**
 * ForwardingService: composes announce forwarding ("retracker") from the configuration — one
 * transport per `[[forwarders]]` entry (HTTP(S) with a keep-alive agent, or BEP 15 over shared
 * UDP sockets), the ForwardingEngine (queue, workers, retries, suspension) and the
 * ForwardedPeers cache the announce handlers read. Without forwarders everything here is null
 * and the handlers skip forwarding with one null check. Also the status view of the admin API
 * and the numbers of the Prometheus collector.
 */
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Configuration, ForwarderConfig } from '../config/configuration.js';
import { CONFIGURATION } from '../config/config.tokens.js';
import { maskForwarderUri } from '../config/mask.js';
import { parseIp } from '../shared/ip.js';
import { ForwardedPeers } from './forwarded-peers.js';
import { ForwardingEngine, type ForwarderState, type ForwarderStats } from './forwarding-engine.js';
import { registerForwardingMetrics, setForwardingMetricsSource } from './forwarding.metrics.js';
import { HttpForwarder } from './http-forwarder.js';
import { systemScheduler, type Scheduler } from './scheduler.js';
import { UdpClientSockets, UdpForwarder } from './udp-forwarder.js';
import { FAILURE_REASONS, type FailureReason, type UpstreamTransport } from './upstream.js';

/** Most peers kept from one upstream answer, per family. */
export const MAX_STORED_PEERS = 200;
/** Most torrents with cached upstream peers. */
export const MAX_CACHED_TORRENTS = 100_000;
/** How often expired upstream answers are dropped from the cache. */
export const SWEEP_INTERVAL_MS = 5_000;
/** Bounds of the cache time of an upstream answer (its `interval`), in seconds. */
export const MIN_CACHE_SECS = 1;
export const MAX_CACHE_SECS = 86_400;

export interface ForwarderStatus {
  readonly name: string;
  readonly uri: string;
  readonly protocol: ForwarderConfig['protocol'];
  readonly state: ForwarderState;
  readonly suspended_until: string | null;
  readonly consecutive_failures: number;
  readonly suspensions: number;
  readonly requests: number;
  readonly successes: number;
  readonly failures: Record<FailureReason, number>;
  readonly retries: number;
  readonly peers_received: number;
  readonly queue_depth: number;
  readonly in_flight: number;
  readonly dropped: { readonly queue_full: number; readonly suspended: number };
  readonly cached_torrents: number;
  readonly average_duration_ms: number | null;
  readonly last_error: string | null;
  readonly last_error_at: string | null;
  readonly last_success_at: string | null;
}

export interface ForwardingStatus {
  readonly enabled: boolean;
  readonly workers: number;
  readonly queue_size: number;
  readonly queue_depth: number;
  readonly in_flight: number;
  readonly retries_waiting: number;
  readonly cached_torrents: number;
  readonly forwarders: ForwarderStatus[];
}

function iso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}

@Injectable()
export class ForwardingService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('FORWARDING');
  /** What the announce handlers call; null when no forwarder is configured. */
  readonly peers: ForwardedPeers | null;
  readonly engine: ForwardingEngine | null;
  readonly forwarders: readonly ForwarderConfig[];
  private readonly udpSockets: UdpClientSockets | null;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(@Inject(CONFIGURATION) private readonly config: Configuration) {
    const scheduler: Scheduler = systemScheduler;
    this.forwarders = config.forwarders;
    if (config.forwarders.length === 0) {
      this.peers = null;
      this.engine = null;
      this.udpSockets = null;
      return;
    }
    const settings = config.forwarding;
    const timeoutMs = settings.timeoutInSecs * 1000;
    const sockets = config.forwarders.some((f) => f.protocol === 'udp')
      ? new UdpClientSockets((e) => this.log.debug(`UDP forwarding socket error: ${e.message}`))
      : null;
    this.udpSockets = sockets;
    const transports: UpstreamTransport[] = config.forwarders.map((f) =>
      f.protocol === 'udp' && sockets !== null
        ? new UdpForwarder(f, sockets, timeoutMs)
        : new HttpForwarder(f, settings.workers),
    );
    const defaultTtlSecs = config.core.announcePolicy.interval;
    let peers: ForwardedPeers | null = null;
    const engine = new ForwardingEngine(
      config.forwarders.map((f, i) => ({ name: f.name, transport: transports[i] as UpstreamTransport })),
      {
        workers: settings.workers,
        queueSize: settings.queueSize,
        timeoutMs,
        maxRetries: settings.maxRetries,
        retryBaseDelayMs: settings.retryBaseDelayInSecs * 1000,
        retryMaxDelayMs: settings.retryMaxDelayInSecs * 1000,
        suspendAfterFailures: settings.suspendAfterFailures,
        suspensionMs: settings.suspensionInSecs * 1000,
        maxSuspensionMs: settings.maxSuspensionInSecs * 1000,
        numWant: Math.min(config.core.announcePolicy.maxPeersPerAnnounce, MAX_STORED_PEERS),
      },
      scheduler,
      {
        onPeers: (f, infoHash, result) => {
          const secs = Math.min(MAX_CACHE_SECS, Math.max(MIN_CACHE_SECS, result.intervalSecs ?? defaultTtlSecs));
          peers?.store(f, infoHash, result.peers4, result.peers6, secs * 1000);
        },
        onSuspended: (f, forMs, why) =>
          this.log.warn(`Forwarder ${this.forwarders[f]?.name} suspended for ${Math.round(forMs) / 1000} s: ${why}`),
        onResumed: (f) => this.log.log(`Forwarder ${this.forwarders[f]?.name} answers again`),
      },
    );
    peers = new ForwardedPeers(
      engine,
      {
        forwarders: config.forwarders.length,
        maxPeersPerAnnounce: config.core.announcePolicy.maxPeersPerAnnounce,
        maxStoredPeers: MAX_STORED_PEERS,
        maxTorrents: MAX_CACHED_TORRENTS,
        seed: randomBytes(4).readInt32LE(0),
        ownAddresses: config.forwarders.map((f) => (f.ip === null ? null : (parseIp(f.ip)?.bytes ?? null))),
      },
      () => scheduler.now(),
    );
    this.engine = engine;
    this.peers = peers;
  }

  onModuleInit(): void {
    registerForwardingMetrics();
    setForwardingMetricsSource(this);
    if (this.peers === null) return;
    const peers = this.peers;
    this.sweepTimer = setInterval(() => peers.sweep(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    const list = this.forwarders.map((f) => `${f.name} (${maskForwarderUri(f.uri)})`).join(', ');
    this.log.log(`Forwarding announces to ${this.forwarders.length} forwarder(s): ${list}`);
  }

  onModuleDestroy(): void {
    setForwardingMetricsSource(null, this);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.engine?.close();
    this.udpSockets?.close();
  }

  /** The body of `GET /api/v1/forwarders`. */
  status(): ForwardingStatus {
    const engine = this.engine;
    const settings = this.config.forwarding;
    const forwarders: ForwarderStatus[] = [];
    if (engine !== null) {
      this.forwarders.forEach((f, i) => forwarders.push(this.forwarderStatus(engine, f, i)));
    }
    return {
      enabled: engine !== null,
      workers: settings.workers,
      queue_size: settings.queueSize,
      queue_depth: engine?.queueDepth ?? 0,
      in_flight: engine?.inFlightCount ?? 0,
      retries_waiting: engine?.retriesWaiting ?? 0,
      cached_torrents: this.peers?.cachedTorrents ?? 0,
      forwarders,
    };
  }

  private forwarderStatus(engine: ForwardingEngine, f: ForwarderConfig, i: number): ForwarderStatus {
    const s: ForwarderStats = engine.stats(i);
    const failures = Object.fromEntries(FAILURE_REASONS.map((r, k) => [r, s.failures[k]])) as Record<
      FailureReason,
      number
    >;
    const count = s.durations[s.durations.length - 1];
    const sum = s.durations[s.durations.length - 2];
    return {
      name: f.name,
      uri: maskForwarderUri(f.uri),
      protocol: f.protocol,
      state: engine.state(i),
      suspended_until: iso(engine.suspendedUntil(i)),
      consecutive_failures: engine.consecutiveFailures(i),
      suspensions: s.suspensions,
      requests: s.requests,
      successes: s.successes,
      failures,
      retries: s.retries,
      peers_received: s.peersReceived,
      queue_depth: engine.queueDepthOf(i),
      in_flight: engine.inFlightOf(i),
      dropped: { queue_full: s.droppedQueueFull, suspended: s.droppedSuspended },
      cached_torrents: this.peers?.cachedTorrentsOf(i) ?? 0,
      average_duration_ms: count > 0 ? Math.round((sum / count) * 1e6) / 1e3 : null,
      last_error: s.lastError,
      last_error_at: iso(s.lastErrorAt),
      last_success_at: iso(s.lastSuccessAt),
    };
  }
}
