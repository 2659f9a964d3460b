/**
 * Per-listener request metrics for Prometheus, updated on the hot paths with plain increments
 * into typed arrays (no prom-client call per request): requests by kind and family, responses,
 * error responses, and processing-time histograms with fixed buckets. The Prometheus collector
 * reads them when scraped.
 */

export type Protocol = 'udp' | 'http';

export const RequestKind = { Connect: 0, Announce: 1, Scrape: 2 } as const;
export type RequestKind = (typeof RequestKind)[keyof typeof RequestKind];
export const REQUEST_KIND_NAMES = ['connect', 'announce', 'scrape'] as const;

/** Upper bounds of the processing-time buckets, in seconds (+Inf is implicit). */
export const DURATION_BUCKETS_SECONDS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1,
] as const;
const BUCKETS = DURATION_BUCKETS_SECONDS.length;

export class ListenerMetrics {
  /** The listener's URL (`udp://127.0.0.1:6969`), set when it is bound. */
  listener = '';
  /** index = kind * 2 + (IPv6 ? 1 : 0) */
  readonly requests = new Float64Array(6);
  /** index = IPv6 ? 1 : 0 */
  readonly responses = new Float64Array(2);
  readonly errors = new Float64Array(2);
  /** Per kind: BUCKETS + 1 cumulative-later bucket counts, then sum (seconds) and count. */
  readonly durations = new Float64Array(3 * (BUCKETS + 3));

  constructor(readonly protocol: Protocol) {}

  request(kind: RequestKind, family: 4 | 6): void {
    this.requests[kind * 2 + (family === 6 ? 1 : 0)]++;
  }

  response(family: 4 | 6, error: boolean): void {
    const f = family === 6 ? 1 : 0;
    this.responses[f]++;
    if (error) this.errors[f]++;
  }

  /** Records the time one request of `kind` took, in milliseconds. */
  observe(kind: RequestKind, ms: number): void {
    const seconds = ms / 1000;
    const base = kind * (BUCKETS + 3);
    let b = 0;
    while (b < BUCKETS && seconds > DURATION_BUCKETS_SECONDS[b]) b++;
    this.durations[base + b]++;
    this.durations[base + BUCKETS + 1] += seconds;
    this.durations[base + BUCKETS + 2]++;
  }

  /** Cumulative bucket counts (Prometheus `le` semantics), sum and count of one kind. */
  histogram(kind: RequestKind): { buckets: number[]; sum: number; count: number } {
    const base = kind * (BUCKETS + 3);
    const buckets: number[] = [];
    let running = 0;
    for (let b = 0; b <= BUCKETS; b++) {
      running += this.durations[base + b];
      buckets.push(running);
    }
    return { buckets, sum: this.durations[base + BUCKETS + 1], count: this.durations[base + BUCKETS + 2] };
  }
}

/** Every listener's metrics; empty when `tracker_usage_statistics = false`. */
export class ListenerMetricsRegistry {
  private readonly all: ListenerMetrics[] = [];

  constructor(private readonly enabled: boolean) {}

  /** Metrics for a new listener (a detached, never-read object when statistics are off). */
  create(protocol: Protocol): ListenerMetrics {
    const metrics = new ListenerMetrics(protocol);
    if (this.enabled) this.all.push(metrics);
    return metrics;
  }

  list(): readonly ListenerMetrics[] {
    return this.all;
  }
}
