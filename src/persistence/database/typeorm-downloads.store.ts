/**
 * DownloadsStore on Torrust's `torrents` table (SQLite or MySQL): persisted completed counts.
 * `saveMany` upserts with Torrust's statements (`ON CONFLICT(info_hash) DO UPDATE` on SQLite,
 * `ON DUPLICATE KEY UPDATE` on MySQL), many rows per statement, all batches in one transaction.
 */
import { type DataSource } from 'typeorm';
import { type DownloadsEntry, type DownloadsStore } from '../../downloads/downloads.store.js';
import { execute, executeInTransaction, isSqlite } from './database-access.js';
import { TorrentEntity } from './entities/torrent.entity.js';

/** Rows per statement: 2 parameters each stays far below SQLite's oldest limit of 999. */
export const UPSERT_BATCH_SIZE = 400;

function upsertStatement(rows: number, sqlite: boolean): string {
  const values = Array.from({ length: rows }, () => '(?, ?)').join(', ');
  return sqlite
    ? `INSERT INTO torrents (info_hash, completed) VALUES ${values} ON CONFLICT(info_hash) DO UPDATE SET completed = excluded.completed`
    : `INSERT INTO torrents (info_hash, completed) VALUES ${values} ON DUPLICATE KEY UPDATE completed = VALUES(completed)`;
}

export class TypeOrmDownloadsStore implements DownloadsStore {
  constructor(private readonly dataSource: DataSource) {}

  loadAll(): Promise<DownloadsEntry[]> {
    return execute(this.dataSource, async (manager) => {
      const rows = await manager.getRepository(TorrentEntity).find({
        select: { id: true, infoHash: true, completed: true },
        order: { id: 'ASC' },
      });
      return rows.map((row) => ({ infoHashHex: row.infoHash.toLowerCase(), completed: Number(row.completed) }));
    });
  }

  saveMany(entries: readonly DownloadsEntry[]): Promise<void> {
    // The same torrent twice in one call: the last value wins, as if saved one after the other.
    const latest = new Map<string, number>();
    for (const entry of entries) {
      latest.delete(entry.infoHashHex);
      latest.set(entry.infoHashHex, entry.completed);
    }
    if (latest.size === 0) return Promise.resolve();
    const rows = [...latest];
    const sqlite = isSqlite(this.dataSource);
    return executeInTransaction(this.dataSource, async (manager) => {
      for (let start = 0; start < rows.length; start += UPSERT_BATCH_SIZE) {
        const batch = rows.slice(start, start + UPSERT_BATCH_SIZE);
        await manager.query(upsertStatement(batch.length, sqlite), batch.flat());
      }
    });
  }
}
