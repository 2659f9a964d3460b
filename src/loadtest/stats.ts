/** Counters of one worker (or of all, merged), sent between threads as a plain object. */
import { LatencyHistogram } from './histogram.js';

export interface StatsSnapshot {
  requests: number;
  responses: number;
  announces: number;
  scrapes: number;
  timeouts: number;
  errorResponses: number;
  invalid: number;
  network: number;
  /** Whether anything came back from the target (any reply, even an error). */
  answered: boolean;
  /** Seconds during which requests were issued. */
  elapsed: number;
  counts: number[];
  max: number;
}

export class Stats {
  requests = 0;
  responses = 0;
  announces = 0;
  scrapes = 0;
  timeouts = 0;
  errorResponses = 0;
  invalid = 0;
  network = 0;
  answered = false;
  elapsed = 0;
  readonly latency = new LatencyHistogram();

  snapshot(): StatsSnapshot {
    return {
      requests: this.requests,
      responses: this.responses,
      announces: this.announces,
      scrapes: this.scrapes,
      timeouts: this.timeouts,
      errorResponses: this.errorResponses,
      invalid: this.invalid,
      network: this.network,
      answered: this.answered,
      elapsed: this.elapsed,
      counts: [...this.latency.counts],
      max: this.latency.max,
    };
  }
}

/** Sums snapshots (elapsed: the longest). */
export function mergeSnapshots(list: readonly StatsSnapshot[]): { totals: StatsSnapshot; latency: LatencyHistogram } {
  const latency = new LatencyHistogram();
  const t: StatsSnapshot = {
    requests: 0,
    responses: 0,
    announces: 0,
    scrapes: 0,
    timeouts: 0,
    errorResponses: 0,
    invalid: 0,
    network: 0,
    answered: false,
    elapsed: 0,
    counts: [],
    max: 0,
  };
  for (const s of list) {
    t.requests += s.requests;
    t.responses += s.responses;
    t.announces += s.announces;
    t.scrapes += s.scrapes;
    t.timeouts += s.timeouts;
    t.errorResponses += s.errorResponses;
    t.invalid += s.invalid;
    t.network += s.network;
    t.answered ||= s.answered;
    t.elapsed = Math.max(t.elapsed, s.elapsed);
    latency.merge(s);
  }
  t.counts = latency.counts;
  t.max = latency.max;
  return { totals: t, latency };
}
