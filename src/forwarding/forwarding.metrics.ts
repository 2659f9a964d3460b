/**
 * Prometheus metrics of announce forwarding, in the pattern of stats/prometheus.collector.ts:
 * computed when Prometheus scrapes, from the plain counters of the ForwardingEngine (nothing
 * per request). Registered once per process in prom-client's default registry, which `/metrics`
 * serves; they read the forwarding of the last application started in the process.
 */
import * as client from 'prom-client';
import { UPSTREAM_DURATION_BUCKETS, type ForwardingEngine } from './forwarding-engine.js';
import { FAILURE_REASONS } from './upstream.js';

interface Source {
  readonly engine: ForwardingEngine | null;
}

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

let current: Source | null = null;

/** Makes `source` the one exported (null: none, unless another took over meanwhile). */
export function setForwardingMetricsSource(source: Source | null, previous?: Source): void {
  if (source !== null) current = source;
  else if (previous === undefined || current === previous) current = null;
}

function collected(
  name: string,
  help: string,
  type: 'counter' | 'gauge' | 'histogram',
  samples: (engine: ForwardingEngine) => Sample[],
) {
  return {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => {
      const engine = current?.engine ?? null;
      return { name, help, type, aggregator: 'sum', values: engine === null ? [] : samples(engine) };
    },
    reset: () => undefined,
  };
}

function perForwarder(engine: ForwardingEngine, value: (f: number) => number): Sample[] {
  const out: Sample[] = [];
  for (let f = 0; f < engine.forwarderCount; f++) out.push({ labels: { forwarder: engine.name(f) }, value: value(f) });
  return out;
}

export const FORWARDING_METRICS = [
  collected('tracker_forwarder_requests_total', 'Announces sent to a forwarder (retries included).', 'counter', (e) =>
    perForwarder(e, (f) => e.stats(f).requests),
  ),
  collected(
    'tracker_forwarder_failures_total',
    'Failed forwarder requests, by reason (timeout, network, http_status, rate_limited, invalid_response, tracker_failure).',
    'counter',
    (e) => {
      const out: Sample[] = [];
      for (let f = 0; f < e.forwarderCount; f++) {
        FAILURE_REASONS.forEach((reason, k) =>
          out.push({ labels: { forwarder: e.name(f), reason }, value: e.stats(f).failures[k] }),
        );
      }
      return out;
    },
  ),
  collected('tracker_forwarder_retries_total', 'Forwarder requests scheduled again after a failure.', 'counter', (e) =>
    perForwarder(e, (f) => e.stats(f).retries),
  ),
  collected(
    'tracker_forwarder_request_duration_seconds',
    'Time until a forwarder answered, failed or timed out.',
    'histogram',
    (e) => {
      const out: Sample[] = [];
      const n = UPSTREAM_DURATION_BUCKETS.length;
      for (let f = 0; f < e.forwarderCount; f++) {
        const d = e.stats(f).durations;
        const forwarder = e.name(f);
        let running = 0;
        for (let b = 0; b <= n; b++) {
          running += d[b];
          out.push({
            metricName: 'tracker_forwarder_request_duration_seconds_bucket',
            labels: { forwarder, le: b < n ? UPSTREAM_DURATION_BUCKETS[b] : '+Inf' },
            value: running,
          });
        }
        out.push({
          metricName: 'tracker_forwarder_request_duration_seconds_sum',
          labels: { forwarder },
          value: d[n + 1],
        });
        out.push({
          metricName: 'tracker_forwarder_request_duration_seconds_count',
          labels: { forwarder },
          value: d[n + 2],
        });
      }
      return out;
    },
  ),
  collected('tracker_forwarder_peers_received_total', 'Peers received from a forwarder.', 'counter', (e) =>
    perForwarder(e, (f) => e.stats(f).peersReceived),
  ),
  collected('tracker_forwarder_suspended', '1 while a forwarder is suspended, else 0.', 'gauge', (e) =>
    perForwarder(e, (f) => (e.state(f) === 'suspended' ? 1 : 0)),
  ),
  collected(
    'tracker_forwarder_suspensions_total',
    'Times a forwarder was suspended (failures or HTTP 429).',
    'counter',
    (e) => perForwarder(e, (f) => e.stats(f).suspensions),
  ),
  collected('tracker_forwarder_queue_depth', 'Announces waiting to be sent to a forwarder.', 'gauge', (e) =>
    perForwarder(e, (f) => e.queueDepthOf(f)),
  ),
  collected(
    'tracker_forwarding_queue_depth',
    'Announces waiting to be forwarded, over all forwarders.',
    'gauge',
    (e) => [{ labels: {}, value: e.queueDepth }],
  ),
  collected(
    'tracker_forwarding_dropped_total',
    'Announces not forwarded: queue full, or the forwarder suspended.',
    'counter',
    (e) => {
      const out: Sample[] = [];
      for (let f = 0; f < e.forwarderCount; f++) {
        const s = e.stats(f);
        out.push({ labels: { forwarder: e.name(f), reason: 'queue_full' }, value: s.droppedQueueFull });
        out.push({ labels: { forwarder: e.name(f), reason: 'suspended' }, value: s.droppedSuspended });
      }
      return out;
    },
  ),
] as const;

/** Registers the forwarding metrics in prom-client's registry once per process. */
export function registerForwardingMetrics(): void {
  for (const metric of FORWARDING_METRICS) {
    if (!client.register.getSingleMetric(metric.name)) {
      client.register.registerMetric(metric as unknown as client.Metric);
    }
  }
}
