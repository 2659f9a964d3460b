/**
 * DownloadsService: persistence of completed counts (`persistent_torrent_completed_stat`).
 * At startup every persisted count is loaded into the swarm registry (Torrust v3.0.0 forgets
 * to do this; see the README's compatibility notes). Changed counts are written behind, in
 * one batch per interval and once more at shutdown, never on the announce path. A failed
 * batch is kept and retried at the next interval.
 */
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import type { CoreConfig } from '../config/configuration.js';
import { CORE_CONFIG } from '../config/config.tokens.js';
import { SwarmRegistry } from '../core/domain/swarm-registry.js';
import { DOWNLOADS_STORE, type DownloadsStore } from './downloads.store.js';

/** How often changed completed counts are written to the database. */
export const DOWNLOADS_FLUSH_INTERVAL_MS = 2000;

export interface DownloadsFlushStats {
  /** Batches written. */
  flushes: number;
  /** Batches that failed (and were kept for the next try). */
  failures: number;
  /** Torrent counts written. */
  rowsWritten: number;
}

@Injectable()
export class DownloadsService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DownloadsService.name);
  private readonly enabled: boolean;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private lastFailureLog = 0;
  readonly stats: DownloadsFlushStats = { flushes: 0, failures: 0, rowsWritten: 0 };

  constructor(
    private readonly registry: SwarmRegistry,
    @Inject(DOWNLOADS_STORE) private readonly store: DownloadsStore,
    @Inject(CORE_CONFIG) core: CoreConfig,
  ) {
    this.enabled = core.trackerPolicy.persistentTorrentCompletedStat;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    const rows = await this.store.loadAll();
    for (const row of rows) this.registry.loadDownloads(Buffer.from(row.infoHashHex, 'hex'), 0, row.completed);
    this.logger.log(`Loaded ${rows.length} persisted completed counts`);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.flush(), DOWNLOADS_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.enabled) return;
    await this.flush();
    const pending = this.registry.dirtyDownloadsCount;
    if (pending > 0) this.logger.error(`${pending} completed counts could not be written at shutdown`);
  }

  /** Counts waiting to be written. */
  get queueDepth(): number {
    return this.registry.dirtyDownloadsCount;
  }

  /** Writes every changed count now (waits for a flush already under way first). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.writeBatch().finally(() => (this.flushing = null));
    await this.flushing;
  }

  private async writeBatch(): Promise<void> {
    const batch = this.registry.drainDirtyDownloads();
    if (batch.length === 0) return;
    try {
      await this.store.saveMany(
        batch.map((e) => ({ infoHashHex: Buffer.from(e.infoHash).toString('hex'), completed: e.downloaded })),
      );
      this.stats.flushes++;
      this.stats.rowsWritten += batch.length;
    } catch (err) {
      for (const e of batch) this.registry.markDownloadsDirty(e.infoHash, 0);
      this.stats.failures++;
      const now = Date.now();
      if (now - this.lastFailureLog > 60_000) {
        this.lastFailureLog = now;
        this.logger.warn(`Writing ${batch.length} completed counts failed, will retry: ${(err as Error).message}`);
      }
    }
  }
}
