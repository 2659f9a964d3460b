/**
 * The periodic cleanup of inactive peers (`inactive_peer_cleanup_interval`, 0 disables it):
 * expires peers older than `max_peer_timeout` and removes peerless torrents when
 * `remove_peerless_torrents` is on. The work is cut into slices of a few milliseconds with
 * the event loop free in between, so announces keep flowing while a million peers expire.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { CoreConfig } from '../config/configuration.js';
import { CORE_CONFIG } from '../config/config.tokens.js';
import type { Clock } from './domain/ports.js';
import { SwarmRegistry } from './domain/swarm-registry.js';
import { CLOCK } from './core.tokens.js';

const SLICE_MS = 5;
/** Torrents visited plus peers removed per registry call (about a millisecond of work). */
const WORK_PER_STEP = 256;

@Injectable()
export class SwarmCleanupJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SwarmCleanupJob.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly registry: SwarmRegistry,
    @Inject(CORE_CONFIG) private readonly core: CoreConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.core.inactivePeerCleanupInterval;
    if (seconds === 0) {
      this.logger.log('Inactive peer cleanup is disabled (inactive_peer_cleanup_interval = 0)');
      return;
    }
    this.timer = setInterval(() => void this.run(), seconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Runs one full cleanup pass (unless one is already running); resolves when done. */
  run(): Promise<void> {
    if (!this.running) {
      this.running = this.pass().finally(() => (this.running = null));
    }
    return this.running;
  }

  private async pass(): Promise<void> {
    const started = performance.now();
    const before = this.registry.totalsView.torrents;
    const now = this.clock.nowMs();
    const removePeerless = this.core.trackerPolicy.removePeerlessTorrents;
    const keepWithDownloads = this.core.trackerPolicy.persistentTorrentCompletedStat;
    let next = 0;
    while (next >= 0 && !this.stopped) {
      const sliceEnd = performance.now() + SLICE_MS;
      while (next >= 0 && performance.now() < sliceEnd) {
        next = this.registry.cleanupStep(now, next, WORK_PER_STEP, removePeerless, keepWithDownloads);
      }
      if (next >= 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const removed = before - this.registry.totalsView.torrents;
    this.logger.debug?.(
      `Cleanup pass done in ${(performance.now() - started).toFixed(1)} ms; ${removed} torrents removed`,
    );
  }
}
