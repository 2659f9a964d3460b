/**
 * Client errors are not logged one line per request (a tracker under abuse would drown its
 * log); instead, once per interval, one line sums up what changed: UDP error replies, bad
 * connection ids, banned and discarded datagrams, HTTP failure replies. Nothing is written when
 * nothing happened.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HANDLER_COUNTERS } from './stats.module.js';
import type { TrackerCounters } from './tracker-counters.js';

export const CLIENT_ERROR_SUMMARY_INTERVAL_MS = 60_000;

type Snapshot = Record<'udpErrors' | 'badIds' | 'banned' | 'discarded' | 'httpFailures', number>;

@Injectable()
export class ClientErrorSummary implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Client errors');
  private timer: NodeJS.Timeout | null = null;
  private last: Snapshot;

  constructor(@Inject(HANDLER_COUNTERS) private readonly counters: TrackerCounters) {
    this.last = this.snapshot();
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.report(), CLIENT_ERROR_SUMMARY_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Logs the errors since the previous call (if any); returns the line, or null. */
  report(): string | null {
    const now = this.snapshot();
    const previous = this.last;
    const d = (k: keyof Snapshot) => now[k] - previous[k];
    this.last = now;
    const parts: string[] = [];
    if (d('udpErrors') > 0) parts.push(`${d('udpErrors')} UDP error replies (${d('badIds')} for bad connection ids)`);
    if (d('banned') > 0) parts.push(`${d('banned')} UDP datagrams dropped from banned IPs`);
    if (d('discarded') > 0) parts.push(`${d('discarded')} UDP datagrams discarded`);
    if (d('httpFailures') > 0) parts.push(`${d('httpFailures')} HTTP failure replies`);
    if (parts.length === 0) return null;
    const line = `Since the last report: ${parts.join(', ')}`;
    this.logger.log(line);
    return line;
  }

  private snapshot(): Snapshot {
    const c = this.counters;
    return {
      udpErrors: c.udp4_errors_handled + c.udp6_errors_handled,
      badIds: c.udp_connection_id_errors,
      banned: c.udp_requests_banned,
      discarded: c.udp_requests_discarded,
      httpFailures: c.http_failures,
    };
  }
}
