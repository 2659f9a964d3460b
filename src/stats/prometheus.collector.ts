/**
 * The tracker's Prometheus metrics (prom-client registry, served at `/metrics` with
 * @willsoto/nestjs-prometheus). Nothing here runs per request: each metric is computed when
 * Prometheus scrapes, from the counters the handlers increment, the per-listener metrics, the
 * swarm totals the registry maintains incrementally, the ban list and the write-behind queue.
 * Metric names follow Prometheus conventions (`_total` counters, base units); the README lists
 * them.
 */
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import * as client from 'prom-client';
import { SwarmRegistry } from '../core/domain/swarm-registry.js';
import { DownloadsService } from '../downloads/downloads.service.js';
import {
  DURATION_BUCKETS_SECONDS,
  ListenerMetricsRegistry,
  REQUEST_KIND_NAMES,
  RequestKind,
} from './listener-metrics.js';
import { TrackerCounters } from './tracker-counters.js';
import { UdpBanGauge } from './udp-ban-gauge.js';

type Labels = Record<string, string | number>;
type Sample = { labels: Labels; value: number; metricName?: string };

interface Sources {
  registry: SwarmRegistry;
  listeners: ListenerMetricsRegistry;
  counters: TrackerCounters;
  bans: UdpBanGauge;
  downloads: DownloadsService;
}

/** The application whose numbers are exported (the last one started in this process). */
let current: Sources | null = null;

const FAMILIES = ['inet', 'inet6'] as const;

/** A metric whose samples are computed at scrape time. */
function collected(
  name: string,
  help: string,
  type: 'counter' | 'gauge' | 'histogram',
  samples: (s: Sources) => Sample[],
) {
  return {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: current ? samples(current) : [] }),
    reset: () => undefined,
  };
}

export const TRACKER_METRICS = [
  collected(
    'tracker_requests_total',
    'Requests handled, by protocol, address family, kind and listener.',
    'counter',
    (s) =>
      s.listeners.list().flatMap((m) =>
        REQUEST_KIND_NAMES.flatMap((kind, k) =>
          m.protocol === 'http' && kind === 'connect'
            ? []
            : FAMILIES.map((family, f) => ({
                labels: { protocol: m.protocol, family, kind, listener: m.listener },
                value: m.requests[k * 2 + f],
              })),
        ),
      ),
  ),
  collected(
    'tracker_responses_total',
    'Responses sent (errors included), by protocol, family and listener.',
    'counter',
    (s) =>
      s.listeners.list().flatMap((m) =>
        FAMILIES.map((family, f) => ({
          labels: { protocol: m.protocol, family, listener: m.listener },
          value: m.responses[f],
        })),
      ),
  ),
  collected(
    'tracker_errors_total',
    'Error responses (UDP error packets, HTTP failure reasons), by protocol, family and listener.',
    'counter',
    (s) =>
      s.listeners.list().flatMap((m) =>
        FAMILIES.map((family, f) => ({
          labels: { protocol: m.protocol, family, listener: m.listener },
          value: m.errors[f],
        })),
      ),
  ),
  collected('tracker_request_duration_seconds', 'Time to handle a request, by protocol and kind.', 'histogram', (s) => {
    const out: Sample[] = [];
    for (const protocol of ['udp', 'http'] as const) {
      for (const kind of [RequestKind.Connect, RequestKind.Announce, RequestKind.Scrape]) {
        if (protocol === 'http' && kind === RequestKind.Connect) continue;
        const buckets = new Array<number>(DURATION_BUCKETS_SECONDS.length + 1).fill(0);
        let sum = 0;
        let count = 0;
        for (const m of s.listeners.list()) {
          if (m.protocol !== protocol) continue;
          const h = m.histogram(kind);
          h.buckets.forEach((v, i) => (buckets[i] += v));
          sum += h.sum;
          count += h.count;
        }
        const labels = { protocol, kind: REQUEST_KIND_NAMES[kind] };
        buckets.forEach((value, i) =>
          out.push({
            metricName: 'tracker_request_duration_seconds_bucket',
            labels: { ...labels, le: i < DURATION_BUCKETS_SECONDS.length ? DURATION_BUCKETS_SECONDS[i] : '+Inf' },
            value,
          }),
        );
        out.push({ metricName: 'tracker_request_duration_seconds_sum', labels, value: sum });
        out.push({ metricName: 'tracker_request_duration_seconds_count', labels, value: count });
      }
    }
    return out;
  }),
  collected(
    'tracker_udp_banned_requests_total',
    'UDP datagrams dropped because their source IP is banned.',
    'counter',
    (s) => [{ labels: {}, value: s.counters.udp_requests_banned }],
  ),
  collected(
    'tracker_udp_discarded_requests_total',
    'UDP datagrams dropped before handling (source port 0).',
    'counter',
    (s) => [{ labels: {}, value: s.counters.udp_requests_discarded }],
  ),
  collected('tracker_udp_banned_ips', 'IPs currently banned for repeated bad connection ids.', 'gauge', (s) => [
    { labels: {}, value: s.bans.bannedIps },
  ]),
  collected(
    'tracker_udp_handler_failures_total',
    'UDP datagrams whose handling failed unexpectedly (bugs).',
    'counter',
    (s) => [{ labels: {}, value: s.counters.udp_handler_failures }],
  ),
  collected('tracker_torrents', 'Torrents in memory.', 'gauge', (s) => [
    { labels: {}, value: s.registry.totalsView.torrents },
  ]),
  collected('tracker_peers', 'Peers in memory, by role.', 'gauge', (s) => [
    { labels: { role: 'seeder' }, value: s.registry.totalsView.seeders },
    { labels: { role: 'leecher' }, value: s.registry.totalsView.leechers },
  ]),
  collected(
    'tracker_downloads',
    'Completed downloads of the torrents in memory (persisted counts included).',
    'gauge',
    (s) => [{ labels: {}, value: s.registry.totalsView.downloaded }],
  ),
  collected(
    'tracker_database_write_queue_depth',
    'Completed counts waiting to be written to the database.',
    'gauge',
    (s) => [{ labels: {}, value: s.downloads.queueDepth }],
  ),
  collected('tracker_database_writes_total', 'Completed counts written to the database.', 'counter', (s) => [
    { labels: {}, value: s.downloads.stats.rowsWritten },
  ]),
  collected(
    'tracker_database_write_failures_total',
    'Batches of completed counts whose write failed (retried).',
    'counter',
    (s) => [{ labels: {}, value: s.downloads.stats.failures }],
  ),
] as const;

/** Registers the tracker metrics in prom-client's registry once per process. */
function registerOnce(): void {
  for (const metric of TRACKER_METRICS) {
    if (!client.register.getSingleMetric(metric.name))
      client.register.registerMetric(metric as unknown as client.Metric);
  }
}

@Injectable()
export class PrometheusCollector implements OnModuleInit, OnModuleDestroy {
  private readonly sources: Sources;

  constructor(
    registry: SwarmRegistry,
    listeners: ListenerMetricsRegistry,
    counters: TrackerCounters,
    bans: UdpBanGauge,
    downloads: DownloadsService,
  ) {
    this.sources = { registry, listeners, counters, bans, downloads };
  }

  onModuleInit(): void {
    registerOnce();
    current = this.sources;
  }

  onModuleDestroy(): void {
    if (current === this.sources) current = null;
  }

  /** The whole exposition text (what `/metrics` serves). */
  metrics(): Promise<string> {
    return client.register.metrics();
  }
}
