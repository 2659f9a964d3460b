/** The final JSON summary and the human-readable progress line. */
import type { LatencyHistogram } from './histogram.js';
import type { LoadtestOptions } from './options.js';
import type { StatsSnapshot } from './stats.js';

export interface LoadtestSummary {
  mode: string;
  target: string;
  duration: number;
  requests: number;
  responses: number;
  rps: number;
  announce_rps: number;
  scrape_rps: number;
  errors: { timeouts: number; error_responses: number; invalid: number; network: number };
  latency_us: { p50: number; p90: number; p99: number; max: number };
  workers: number;
  concurrency: number;
}

function rate(count: number, seconds: number): number {
  return seconds > 0 ? Math.round((count / seconds) * 10) / 10 : 0;
}

export function buildSummary(o: LoadtestOptions, totals: StatsSnapshot, latency: LatencyHistogram): LoadtestSummary {
  const duration = Math.round((totals.elapsed || o.duration) * 1000) / 1000;
  return {
    mode: o.mode,
    target: o.target,
    duration,
    requests: totals.requests,
    responses: totals.responses,
    rps: rate(totals.responses, duration),
    announce_rps: rate(totals.announces, duration),
    scrape_rps: rate(totals.scrapes, duration),
    errors: {
      timeouts: totals.timeouts,
      error_responses: totals.errorResponses,
      invalid: totals.invalid,
      network: totals.network,
    },
    latency_us: {
      p50: latency.percentile(50),
      p90: latency.percentile(90),
      p99: latency.percentile(99),
      max: Math.round(latency.max),
    },
    workers: o.workers,
    concurrency: o.concurrency,
  };
}

export function errorCount(s: StatsSnapshot): number {
  return s.timeouts + s.errorResponses + s.invalid + s.network;
}

/** One progress line: rate over the last interval, total errors, p50/p99 so far. */
export function progressLine(seconds: number, rps: number, totals: StatsSnapshot, latency: LatencyHistogram): string {
  return (
    `[${seconds.toFixed(0).padStart(3)} s] ${Math.round(rps).toString().padStart(8)} rps  ` +
    `responses ${totals.responses}  errors ${errorCount(totals)}  ` +
    `p50 ${latency.percentile(50)} µs  p99 ${latency.percentile(99)} µs`
  );
}
