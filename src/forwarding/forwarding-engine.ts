/**
 * ForwardingEngine: the bounded queue and worker pool between the announce handlers and the
 * upstream trackers, with retries, exponential backoff with jitter and per-forwarder suspension.
 *
 * - `enqueue(input)` is the hot path: it copies the announce (56 bytes and a few numbers) into
 *   a preallocated record pool and pushes the record's index onto each active forwarder's ring.
 *   No allocation, no promise, no logging; when the pool is full the announce is dropped and
 *   counted per forwarder (`queue_full`). Dispatch happens later, on `setImmediate`.
 * - At most `workers` requests are in flight, and one forwarder at most
 *   `max(1, floor(workers / forwarders))` of them, so a hanging upstream cannot starve the others.
 *   Forwarders take turns (round robin).
 * - Each request has `timeout_in_secs`. A timeout, network error, 5xx or unreadable answer is
 *   retried up to `max_retries` times after `min(max, base · 2^(retry-1))`, jittered to 50–100 %.
 * - `suspend_after_failures` consecutive failures suspend the forwarder for
 *   `suspension_in_secs · 2^k` (k = suspensions since its last success; at most
 *   `max_suspension_in_secs`). HTTP 429 suspends at once, for Retry-After when given. While
 *   suspended, its queued and new announces are dropped (counted, `suspended`). After that, it
 *   is probed with one request at a time: a success resumes it, a failure suspends it again.
 * - A tracker `failure reason` / BEP 15 error proves the upstream alive: counted, not retried,
 *   and it resets the consecutive-failure count.
 */
import type { AnnounceInput } from '../core/domain/types.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import {
  FAILURE_REASONS,
  failure,
  type FailureReason,
  type UpstreamAnnounce,
  type UpstreamResult,
  type UpstreamTransport,
} from './upstream.js';

export interface EngineSettings {
  readonly workers: number;
  readonly queueSize: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly suspendAfterFailures: number;
  readonly suspensionMs: number;
  readonly maxSuspensionMs: number;
  /** `numwant` sent upstream. */
  readonly numWant: number;
}

export interface EngineForwarder {
  readonly name: string;
  readonly transport: UpstreamTransport;
}

/** Where successful answers and notable events go. */
export interface EngineListener {
  /** An upstream answered an announce for `infoHash` (a copy). */
  onPeers(forwarder: number, infoHash: Buffer, result: Extract<UpstreamResult, { ok: true }>): void;
  /** The forwarder was suspended (for logs: once per suspension, never per request). */
  onSuspended(forwarder: number, forMs: number, why: string): void;
  /** The forwarder answered again after a suspension. */
  onResumed(forwarder: number): void;
}

/** Upper bounds (seconds) of the upstream request duration histogram. */
export const UPSTREAM_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export type ForwarderState = 'active' | 'suspended' | 'probing';

/** Counters of one forwarder, read by the metrics collector and the status API. */
export class ForwarderStats {
  requests = 0;
  successes = 0;
  /** Indexed like FAILURE_REASONS. */
  readonly failures = new Float64Array(FAILURE_REASONS.length);
  retries = 0;
  peersReceived = 0;
  droppedQueueFull = 0;
  droppedSuspended = 0;
  suspensions = 0;
  /** Bucket counts (not cumulative; the last one is +Inf), then sum (seconds) and count. */
  readonly durations = new Float64Array(UPSTREAM_DURATION_BUCKETS.length + 3);
  lastError: string | null = null;
  lastErrorAt = 0;
  lastSuccessAt = 0;

  observe(seconds: number): void {
    const n = UPSTREAM_DURATION_BUCKETS.length;
    let b = 0;
    while (b < n && seconds > UPSTREAM_DURATION_BUCKETS[b]) b++;
    this.durations[b]++;
    this.durations[n + 1] += seconds;
    this.durations[n + 2]++;
  }

  failuresOf(reason: FailureReason): number {
    return this.failures[FAILURE_REASONS.indexOf(reason)];
  }
}

class ForwarderSlot {
  readonly stats = new ForwarderStats();
  /** Ring of record indices, with the attempt number of each job. */
  readonly ring: Int32Array;
  readonly attempts: Uint8Array;
  head = 0;
  length = 0;
  inFlight = 0;
  consecutiveFailures = 0;
  suspendedUntil = 0;
  /** Suspensions since the last success (the exponent of the next suspension). */
  level = 0;
  probing = false;

  constructor(
    readonly name: string,
    readonly transport: UpstreamTransport,
    capacity: number,
  ) {
    this.ring = new Int32Array(capacity);
    this.attempts = new Uint8Array(capacity);
  }

  push(record: number, attempt: number): void {
    const i = (this.head + this.length) % this.ring.length;
    this.ring[i] = record;
    this.attempts[i] = attempt;
    this.length++;
  }
}

export class ForwardingEngine {
  private readonly slots: ForwarderSlot[];
  private readonly perForwarderCap: number;
  // The record pool: one announce each, shared by the jobs of every forwarder.
  private readonly infoHashes: Buffer;
  private readonly peerIds: Buffer;
  private readonly ports: Uint16Array;
  private readonly numbers: Float64Array;
  private readonly events: Uint8Array;
  private readonly refs: Int32Array;
  private readonly free: Int32Array;
  private freeCount: number;
  private readonly accepting: Uint8Array;
  private inFlight = 0;
  private waitingRetries = 0;
  private rr = 0;
  private pumpScheduled = false;
  private closed = false;
  private readonly timers = new Set<TimerHandle>();
  private readonly controllers = new Set<AbortController>();
  private readonly pumpFn = () => this.pump();

  constructor(
    forwarders: readonly EngineForwarder[],
    private readonly settings: EngineSettings,
    private readonly scheduler: Scheduler,
    private readonly listener: EngineListener,
  ) {
    const cap = settings.queueSize;
    this.slots = forwarders.map((f) => new ForwarderSlot(f.name, f.transport, cap));
    this.perForwarderCap = Math.max(1, Math.floor(settings.workers / Math.max(1, forwarders.length)));
    this.infoHashes = Buffer.alloc(cap * 20);
    this.peerIds = Buffer.alloc(cap * 20);
    this.ports = new Uint16Array(cap);
    this.numbers = new Float64Array(cap * 3);
    this.events = new Uint8Array(cap);
    this.refs = new Int32Array(cap);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap; i++) this.free[i] = cap - 1 - i;
    this.freeCount = cap;
    this.accepting = new Uint8Array(forwarders.length);
  }

  get forwarderCount(): number {
    return this.slots.length;
  }

  /** Queues one announce for every forwarder that is not suspended. Hot path: see the module comment. */
  enqueue(input: AnnounceInput): void {
    if (this.closed) return;
    const slots = this.slots;
    const now = this.scheduler.now();
    const accepting = this.accepting;
    let targets = 0;
    for (let f = 0; f < slots.length; f++) {
      const slot = slots[f];
      if (slot.suspendedUntil > now) {
        slot.stats.droppedSuspended++;
        accepting[f] = 0;
      } else {
        accepting[f] = 1;
        targets++;
      }
    }
    if (targets === 0) return;
    if (this.freeCount === 0) {
      for (let f = 0; f < slots.length; f++) if (accepting[f] === 1) slots[f].stats.droppedQueueFull++;
      return;
    }
    const r = this.free[--this.freeCount];
    const hashes = this.infoHashes;
    const ids = this.peerIds;
    const h = input.infoHash;
    const ho = input.infoHashOffset;
    const p = input.peerId;
    const po = input.peerIdOffset;
    const base = r * 20;
    for (let i = 0; i < 20; i++) {
      hashes[base + i] = h[ho + i];
      ids[base + i] = p[po + i];
    }
    this.ports[r] = input.port;
    this.numbers[r * 3] = input.uploaded;
    this.numbers[r * 3 + 1] = input.downloaded;
    this.numbers[r * 3 + 2] = input.left;
    this.events[r] = input.event;
    this.refs[r] = targets;
    for (let f = 0; f < slots.length; f++) if (accepting[f] === 1) slots[f].push(r, 0);
    this.schedulePump();
  }

  /** Jobs waiting in the forwarders' queues (not in flight, not waiting for a retry). */
  get queueDepth(): number {
    let n = 0;
    for (const s of this.slots) n += s.length;
    return n;
  }

  get inFlightCount(): number {
    return this.inFlight;
  }

  get retriesWaiting(): number {
    return this.waitingRetries;
  }

  /** Announces held in the pool (queued, in flight or waiting for a retry). */
  get recordsInUse(): number {
    return this.settings.queueSize - this.freeCount;
  }

  stats(f: number): ForwarderStats {
    return this.slots[f].stats;
  }

  name(f: number): string {
    return this.slots[f].name;
  }

  state(f: number): ForwarderState {
    const slot = this.slots[f];
    if (slot.suspendedUntil > this.scheduler.now()) return 'suspended';
    return slot.probing ? 'probing' : 'active';
  }

  /** End of the current suspension (ms since the epoch), or 0 when not suspended. */
  suspendedUntil(f: number): number {
    const slot = this.slots[f];
    return slot.suspendedUntil > this.scheduler.now() ? slot.suspendedUntil : 0;
  }

  consecutiveFailures(f: number): number {
    return this.slots[f].consecutiveFailures;
  }

  queueDepthOf(f: number): number {
    return this.slots[f].length;
  }

  inFlightOf(f: number): number {
    return this.slots[f].inFlight;
  }

  /** Stops: no new work, timers cleared, requests in flight aborted, transports closed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) this.scheduler.clearTimer(t);
    this.timers.clear();
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
    for (const s of this.slots) s.transport.close();
  }

  // -------------------------------------------------------------------------------------------

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    this.scheduler.defer(this.pumpFn);
  }

  private pump(): void {
    this.pumpScheduled = false;
    if (this.closed) return;
    const slots = this.slots;
    const n = slots.length;
    const workers = this.settings.workers;
    const now = this.scheduler.now();
    let progressed = true;
    while (this.inFlight < workers && progressed) {
      progressed = false;
      for (let k = 0; k < n && this.inFlight < workers; k++) {
        const f = (this.rr + k) % n;
        const slot = slots[f];
        if (slot.length === 0) continue;
        if (slot.suspendedUntil > now) {
          this.dropQueued(slot);
          continue;
        }
        if (slot.inFlight >= (slot.probing ? 1 : this.perForwarderCap)) continue;
        const record = slot.ring[slot.head];
        const attempt = slot.attempts[slot.head];
        slot.head = (slot.head + 1) % slot.ring.length;
        slot.length--;
        this.start(f, record, attempt);
        progressed = true;
      }
      this.rr = (this.rr + 1) % n;
    }
  }

  private requestOf(r: number): UpstreamAnnounce {
    const base = r * 20;
    return {
      infoHash: Buffer.from(this.infoHashes.subarray(base, base + 20)),
      peerId: Buffer.from(this.peerIds.subarray(base, base + 20)),
      port: this.ports[r],
      uploaded: this.numbers[r * 3],
      downloaded: this.numbers[r * 3 + 1],
      left: this.numbers[r * 3 + 2],
      event: this.events[r] as UpstreamAnnounce['event'],
      numWant: this.settings.numWant,
    };
  }

  private start(f: number, record: number, attempt: number): void {
    const slot = this.slots[f];
    const request = this.requestOf(record);
    const controller = new AbortController();
    this.inFlight++;
    slot.inFlight++;
    slot.stats.requests++;
    const started = performance.now();
    let settled = false;
    const settle = (result: UpstreamResult) => {
      if (settled) return;
      settled = true;
      this.scheduler.clearTimer(timer);
      this.timers.delete(timer);
      this.controllers.delete(controller);
      this.inFlight--;
      slot.inFlight--;
      slot.stats.observe((performance.now() - started) / 1000);
      if (!this.closed) this.finish(f, record, attempt, request.infoHash, result);
      this.schedulePump();
    };
    const timer = this.scheduler.setTimer(() => {
      controller.abort();
      settle(failure('timeout', `no answer within ${this.settings.timeoutMs / 1000} s`, true));
    }, this.settings.timeoutMs);
    this.timers.add(timer);
    this.controllers.add(controller);
    let pending: Promise<UpstreamResult>;
    try {
      pending = slot.transport.announce(request, controller.signal);
    } catch (error) {
      pending = Promise.reject(error as Error);
    }
    pending.then(settle, (error: unknown) =>
      settle(failure('network', error instanceof Error ? error.message : String(error), true)),
    );
  }

  private finish(f: number, record: number, attempt: number, infoHash: Buffer, result: UpstreamResult): void {
    const slot = this.slots[f];
    const stats = slot.stats;
    const now = this.scheduler.now();
    if (result.ok) {
      stats.successes++;
      stats.lastSuccessAt = now;
      stats.peersReceived += result.peers4.length / 6 + result.peers6.length / 18;
      this.recovered(f);
      this.release(record);
      this.listener.onPeers(f, infoHash, result);
      return;
    }
    stats.failures[FAILURE_REASONS.indexOf(result.reason)]++;
    stats.lastError = `${result.reason}: ${result.message}`;
    stats.lastErrorAt = now;
    if (result.reason === 'tracker_failure') {
      // The upstream answered: it is alive, the announce itself was refused.
      this.recovered(f);
      this.release(record);
      return;
    }
    if (result.reason === 'rate_limited') {
      this.suspend(f, result.retryAfterMs, 'HTTP 429 Too Many Requests');
      this.release(record);
      return;
    }
    slot.consecutiveFailures++;
    if (slot.probing || slot.consecutiveFailures >= this.settings.suspendAfterFailures) {
      this.suspend(f, undefined, `${slot.consecutiveFailures} consecutive failures, last ${stats.lastError}`);
      this.release(record);
      return;
    }
    if (result.retryable && attempt < this.settings.maxRetries && slot.suspendedUntil <= now) {
      this.retryLater(f, record, attempt + 1);
      return;
    }
    this.release(record);
  }

  /** The upstream answered: consecutive failures and the suspension exponent start over. */
  private recovered(f: number): void {
    const slot = this.slots[f];
    const wasProbing = slot.probing;
    slot.consecutiveFailures = 0;
    slot.level = 0;
    slot.probing = false;
    if (wasProbing) this.listener.onResumed(f);
  }

  /** Delay before retry number `retry` (1-based): min(max, base · 2^(retry-1)), jittered to 50-100 %. */
  retryDelayMs(retry: number): number {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.settings;
    const full = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** (retry - 1));
    return full / 2 + (this.scheduler.random() * full) / 2;
  }

  /** Length of the next suspension without Retry-After: min(max, base · 2^level). */
  suspensionMs(level: number): number {
    return Math.min(this.settings.maxSuspensionMs, this.settings.suspensionMs * 2 ** level);
  }

  private retryLater(f: number, record: number, attempt: number): void {
    const slot = this.slots[f];
    slot.stats.retries++;
    this.waitingRetries++;
    const timer = this.scheduler.setTimer(() => {
      this.timers.delete(timer);
      this.waitingRetries--;
      if (this.closed) return;
      if (slot.suspendedUntil > this.scheduler.now()) {
        slot.stats.droppedSuspended++;
        this.release(record);
        return;
      }
      slot.push(record, attempt);
      this.schedulePump();
    }, this.retryDelayMs(attempt));
    this.timers.add(timer);
  }

  private suspend(f: number, retryAfterMs: number | undefined, why: string): void {
    const slot = this.slots[f];
    const forMs =
      retryAfterMs !== undefined
        ? Math.min(retryAfterMs, this.settings.maxSuspensionMs)
        : this.suspensionMs(slot.level);
    slot.level++;
    slot.stats.suspensions++;
    slot.suspendedUntil = this.scheduler.now() + forMs;
    slot.probing = true;
    slot.consecutiveFailures = 0;
    this.dropQueued(slot);
    this.listener.onSuspended(f, forMs, why);
  }

  private dropQueued(slot: ForwarderSlot): void {
    while (slot.length > 0) {
      const record = slot.ring[slot.head];
      slot.head = (slot.head + 1) % slot.ring.length;
      slot.length--;
      slot.stats.droppedSuspended++;
      this.release(record);
    }
  }

  private release(record: number): void {
    if (--this.refs[record] === 0) this.free[this.freeCount++] = record;
  }
}
