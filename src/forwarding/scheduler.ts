/**
 * Time and randomness for the forwarding engine, as a port so that the queue, backoff and
 * suspension logic runs under a fake clock in its specs. The system implementation uses
 * wall-clock milliseconds, unref'd timers (they never keep the process alive) and setImmediate.
 */

export type TimerHandle = object | number;

export interface Scheduler {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** Runs `callback` once the current work is done (setImmediate). */
  defer(callback: () => void): void;
  /** A number in [0, 1) (backoff jitter). */
  random(): number;
}

export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  defer: (callback) => void setImmediate(callback),
  random: () => Math.random(),
};
