/**
 * WhitelistStore on Torrust's `whitelist` table (SQLite or MySQL), info hashes as 40-character
 * lowercase hex. Adding is a single idempotent statement (`ON CONFLICT DO NOTHING` /
 * `ON DUPLICATE KEY UPDATE` with no change), so a present hash is never written twice.
 */
import { type DataSource } from 'typeorm';
import { type WhitelistStore } from '../../whitelist/whitelist.store.js';
import { execute, isSqlite } from './database-access.js';
import { WhitelistEntity } from './entities/whitelist.entity.js';

const ADD_SQLITE = 'INSERT INTO whitelist (info_hash) VALUES (?) ON CONFLICT(info_hash) DO NOTHING';
const ADD_MYSQL = 'INSERT INTO whitelist (info_hash) VALUES (?) ON DUPLICATE KEY UPDATE info_hash = info_hash';

export class TypeOrmWhitelistStore implements WhitelistStore {
  constructor(private readonly dataSource: DataSource) {}

  loadAll(): Promise<string[]> {
    return execute(this.dataSource, async (manager) => {
      const rows = await manager.getRepository(WhitelistEntity).find({
        select: { id: true, infoHash: true },
        order: { id: 'ASC' },
      });
      return rows.map((row) => row.infoHash.toLowerCase());
    });
  }

  has(infoHashHex: string): Promise<boolean> {
    return execute(this.dataSource, (manager) =>
      manager.getRepository(WhitelistEntity).existsBy({ infoHash: infoHashHex }),
    );
  }

  add(infoHashHex: string): Promise<void> {
    return execute(this.dataSource, async (manager) => {
      await manager.query(isSqlite(this.dataSource) ? ADD_SQLITE : ADD_MYSQL, [infoHashHex]);
    });
  }

  remove(infoHashHex: string): Promise<boolean> {
    return execute(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(WhitelistEntity)
        .where({ infoHash: infoHashHex })
        .execute();
      return (result.affected ?? 0) > 0;
    });
  }
}
