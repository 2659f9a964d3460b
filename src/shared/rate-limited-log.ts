/**
 * A log line that is written at most once per interval, with the number of occurrences
 * since the last one: for failures that can repeat per packet (send errors, bugs hit by
 * garbage input) without flooding the log.
 */
export class RateLimitedLog {
  private last = 0;
  private suppressed = 0;

  constructor(
    private readonly write: (message: string) => void,
    private readonly intervalMs = 60_000,
  ) {}

  report(message: string): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed > 0 ? ` (and ${this.suppressed} more since the last report)` : '';
    this.last = now;
    this.suppressed = 0;
    this.write(message + more);
  }
}
