/**
 * For the forwarding specs: a Scheduler whose clock only moves when told (`advance`), whose
 * deferred calls run on `settle()`, with a fixed "random" number, and a fake upstream whose
 * answers the test gives per request.
 */
import type { Scheduler, TimerHandle } from '../scheduler.js';
import type { UpstreamAnnounce, UpstreamResult, UpstreamTransport } from '../upstream.js';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class ManualScheduler implements Scheduler {
  private current: number;
  private timers: Timer[] = [];
  private deferred: Array<() => void> = [];
  private nextId = 1;
  randomValue = 0.5;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.current + ms, callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  defer(callback: () => void): void {
    this.deferred.push(callback);
  }

  random(): number {
    return this.randomValue;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Runs deferred calls and lets promise callbacks run, until nothing is left to do. */
  async settle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.deferred.length === 0) return;
      const calls = this.deferred;
      this.deferred = [];
      for (const call of calls) call();
    }
  }

  /** Moves the clock by `ms`, firing due timers in order (settling after each). */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await this.settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = end;
    await this.settle();
  }
}

export interface FakeCall {
  readonly request: UpstreamAnnounce;
  readonly signal: AbortSignal;
  answered: boolean;
  answer(result: UpstreamResult): void;
}

/** An upstream that answers only when the test says so (`calls[i].answer(…)`). */
export class FakeUpstream implements UpstreamTransport {
  readonly calls: FakeCall[] = [];
  closed = false;
  /** When set, every request is answered with it at once. */
  autoAnswer: UpstreamResult | null = null;

  announce(request: UpstreamAnnounce, signal: AbortSignal): Promise<UpstreamResult> {
    return new Promise((resolve) => {
      const call: FakeCall = {
        request,
        signal,
        answered: false,
        answer(result) {
          call.answered = true;
          resolve(result);
        },
      };
      this.calls.push(call);
      if (this.autoAnswer !== null) call.answer(this.autoAnswer);
    });
  }

  close(): void {
    this.closed = true;
  }

  /** Calls neither answered nor aborted. */
  get open(): FakeCall[] {
    return this.calls.filter((c) => !c.answered && !c.signal.aborted);
  }
}

export function peersResult(peers4: number[][] = [], intervalSecs: number | null = 1800): UpstreamResult {
  const v4 = Buffer.alloc(peers4.length * 6);
  peers4.forEach((p, i) => {
    v4.set(p.slice(0, 4), i * 6);
    v4.writeUInt16BE(p[4] ?? 0, i * 6 + 4);
  });
  return { ok: true, intervalSecs, peers4: v4, peers6: Buffer.alloc(0) };
}
