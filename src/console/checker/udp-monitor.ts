/**
 * `tracker-client check monitor udp`: repeats a connect + announce probe against one UDP tracker
 * every interval until the duration is used up or SIGINT arrives, as Torrust's newer CLI does.
 * Each probe is one JSON line on stderr (`{"event":"probe",…}`); the summary with latency
 * statistics is one JSON line on stdout.
 */
import { TrackerRequestError, errorMessage } from '../cli-error.js';
import { renderJson } from '../json-output.js';
import { resolveAddress } from '../resolve.js';
import { CHECKER_TRANSACTION_ID, UdpTrackerClient, defaultAnnounceParams } from '../udp/udp-tracker-client.js';

export interface UdpMonitorConfig {
  /** The tracker URL as printed (`udp://host:port`). */
  url: string;
  host: string;
  port: number;
  intervalMs: number;
  timeoutMs: number;
  durationMs: number;
  infoHash: Buffer;
  peerId: Buffer;
}

/** Probe statistics; integer milliseconds, average and percentage rounded down (Torrust). */
export class MonitorStats {
  total = 0;
  timeouts = 0;
  successes = 0;
  minMs: number | null = null;
  maxMs: number | null = null;
  sumMs = 0;
  lastMs: number | null = null;

  recordSuccess(ms: number): void {
    this.total++;
    this.successes++;
    this.sumMs += ms;
    this.minMs = this.minMs === null ? ms : Math.min(this.minMs, ms);
    this.maxMs = this.maxMs === null ? ms : Math.max(this.maxMs, ms);
    this.lastMs = ms;
  }

  recordTimeout(): void {
    this.total++;
    this.timeouts++;
    this.lastMs = null;
  }

  recordError(): void {
    this.total++;
    this.lastMs = null;
  }

  averageMs(): number | null {
    return this.successes === 0 ? null : Math.floor(this.sumMs / this.successes);
  }

  /** Timeouts over all probes (errors count in the total), rounded down. */
  timeoutPercent(): number {
    return this.total === 0 ? 0 : Math.floor((this.timeouts * 100) / this.total);
  }

  toJson() {
    return {
      total: this.total,
      timeouts: this.timeouts,
      timeout_percent: this.timeoutPercent(),
      min_ms: this.minMs,
      max_ms: this.maxMs,
      average_ms: this.averageMs(),
      last_ms: this.lastMs,
    };
  }
}

export type ProbeOutcome = { status: 'ok' } | { status: 'timeout' } | { status: 'error'; message: string };

export async function probeUdpTracker(c: UdpMonitorConfig): Promise<ProbeOutcome> {
  let client: UdpTrackerClient | undefined;
  try {
    const remote = await resolveAddress(c.host, c.port, c.timeoutMs);
    client = await UdpTrackerClient.open(remote, c.timeoutMs);
    const connectionId = await client.connect(CHECKER_TRANSACTION_ID);
    await client.announce(CHECKER_TRANSACTION_ID, connectionId, defaultAnnounceParams(c.infoHash, c.peerId));
    return { status: 'ok' };
  } catch (error) {
    if (error instanceof TrackerRequestError && error.timeout) return { status: 'timeout' };
    return { status: 'error', message: errorMessage(error) };
  } finally {
    client?.close();
  }
}

export interface MonitorIo {
  /** One line (without newline) per probe: stderr. */
  progress(line: string): void;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
  now?: () => number;
  probe?: (c: UdpMonitorConfig) => Promise<ProbeOutcome>;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<'slept' | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve('aborted');
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve('slept');
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs the probes; resolves with the summary line (JSON, no newline) for stdout. */
export async function runUdpMonitor(c: UdpMonitorConfig, io: MonitorIo): Promise<string> {
  const now = io.now ?? Date.now;
  const probe = io.probe ?? probeUdpTracker;
  const startedAt = now();
  const stats = new MonitorStats();
  let interrupted = false;
  for (let sequence = 1; now() - startedAt < c.durationMs; sequence++) {
    const probeStarted = now();
    const outcome = await abortable(probe(c), io.signal);
    if (outcome === 'aborted') {
      interrupted = true;
      break;
    }
    const elapsed = Math.max(0, Math.floor(now() - probeStarted));
    if (outcome.status === 'ok') stats.recordSuccess(elapsed);
    else if (outcome.status === 'timeout') stats.recordTimeout();
    else stats.recordError();
    io.progress(
      renderJson(
        {
          event: 'probe',
          sequence,
          url: c.url,
          status: outcome.status,
          elapsed_ms: outcome.status === 'ok' ? elapsed : null,
          ...(outcome.status === 'error' ? { message: outcome.message } : {}),
        },
        'compact',
      ),
    );
    const remaining = c.durationMs - (now() - startedAt);
    if (remaining <= 0) break;
    if ((await sleep(Math.min(c.intervalMs, remaining), io.signal)) === 'aborted') {
      interrupted = true;
      break;
    }
  }
  return renderJson(
    {
      udp_trackers: [
        {
          url: c.url,
          status: {
            code: 'ok',
            message: interrupted ? 'monitor interrupted' : 'monitor completed',
            stats: stats.toJson(),
          },
        },
      ],
    },
    'compact',
  );
}
