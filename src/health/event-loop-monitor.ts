/**
 * EventLoopMonitor: samples the event-loop delay (node:perf_hooks) for the liveness probe. A
 * tracker whose loop is stuck cannot answer the probe at all; one that answers but whose loop
 * recently stalled for longer than the limit is reported down too, so Kubernetes restarts it.
 */
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** A stall longer than this within the last window makes the process not live. */
export const LIVENESS_MAX_EVENT_LOOP_DELAY_MS = 5_000;
const WINDOW_MS = 30_000;

@Injectable()
export class EventLoopMonitor implements OnModuleDestroy {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private previousMaxMs = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.previousMaxMs = this.histogram.max / 1e6;
      this.histogram.reset();
    }, WINDOW_MS);
    this.timer.unref();
  }

  /** The longest delay seen in the current and the previous window, in milliseconds. */
  get maxDelayMs(): number {
    return Math.max(this.previousMaxMs, this.histogram.max / 1e6);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
