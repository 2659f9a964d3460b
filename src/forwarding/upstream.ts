/**
 * The port between the forwarding engine and the upstream trackers: one announce to one
 * forwarder in, a result value out (never a rejection for an expected failure). The HTTP(S)
 * and UDP transports implement it; the engine's specs use fakes.
 */
import type { AnnounceEvent } from '../core/domain/types.js';

/** Why an upstream request failed; the `reason` label of `tracker_forwarder_failures_total`. */
export const FAILURE_REASONS = [
  'timeout',
  'network',
  'http_status',
  'rate_limited',
  'invalid_response',
  'tracker_failure',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** One announce as it is sent upstream (a copy the transport may keep). */
export interface UpstreamAnnounce {
  readonly infoHash: Buffer;
  readonly peerId: Buffer;
  readonly port: number;
  readonly uploaded: number;
  readonly downloaded: number;
  readonly left: number;
  readonly event: AnnounceEvent;
  /** Peers asked for (`numwant`, BEP 15 `num_want`). */
  readonly numWant: number;
}

export type UpstreamResult =
  | {
      readonly ok: true;
      /** The upstream's `interval` in seconds, or null when it sent none. */
      readonly intervalSecs: number | null;
      /** Compact IPv4 peers, 6 bytes each (BEP 23). */
      readonly peers4: Buffer;
      /** Compact IPv6 peers, 18 bytes each (BEP 7). */
      readonly peers6: Buffer;
    }
  | {
      readonly ok: false;
      readonly reason: FailureReason;
      /** For the status API and logs; never contains the forwarder's passkey. */
      readonly message: string;
      /** Worth retrying the same announce (timeouts, network errors, 5xx, garbage). */
      readonly retryable: boolean;
      /** HTTP 429's Retry-After, in milliseconds. */
      readonly retryAfterMs?: number;
    };

export interface UpstreamTransport {
  /** Sends one announce; settles with a result. `signal` aborts it (the engine's timeout). */
  announce(request: UpstreamAnnounce, signal: AbortSignal): Promise<UpstreamResult>;
  /** Releases sockets and agents. */
  close(): void;
}

export function failure(
  reason: FailureReason,
  message: string,
  retryable: boolean,
  retryAfterMs?: number,
): UpstreamResult {
  return retryAfterMs === undefined
    ? { ok: false, reason, message, retryable }
    : { ok: false, reason, message, retryable, retryAfterMs };
}
