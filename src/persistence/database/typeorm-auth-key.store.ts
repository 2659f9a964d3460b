/**
 * AuthKeyStore on Torrust's `keys` table (SQLite or MySQL). Mirrors Torrust's statements:
 * load = `SELECT key, valid_until FROM keys` with negative expiries read as their absolute
 * value; add = plain INSERT, so an existing key fails on the UNIQUE constraint. Unlike Torrust
 * v3.0.0 on MySQL, permanent keys (NULL) work on both drivers.
 */
import { type DataSource } from 'typeorm';
import { type AuthKeyRecord, type AuthKeyStore } from '../../auth-keys/auth-key.store.js';
import { execute, isSqlite } from './database-access.js';
import { AuthKeyEntity } from './entities/auth-key.entity.js';

export class TypeOrmAuthKeyStore implements AuthKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  loadAll(): Promise<AuthKeyRecord[]> {
    return execute(this.dataSource, async (manager) => {
      const rows = await manager.getRepository(AuthKeyEntity).find({
        select: { id: true, key: true, validUntil: true },
        order: { id: 'ASC' },
      });
      return rows.map((row) => ({
        key: row.key,
        // Torrust reads the column as i64 and takes `unsigned_abs()`.
        validUntil: row.validUntil === null ? null : Math.abs(Number(row.validUntil)),
      }));
    });
  }

  add(record: AuthKeyRecord): Promise<void> {
    return execute(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(AuthKeyEntity)
        .values({ key: record.key, validUntil: record.validUntil })
        .updateEntity(false)
        .execute();
    });
  }

  remove(key: string): Promise<boolean> {
    return execute(this.dataSource, async (manager) => {
      const column = this.dataSource.driver.escape('key');
      // MySQL's default collation is case-insensitive: compare bytes so that only this exact key
      // goes, as on SQLite and in the in-memory key set.
      const condition = isSqlite(this.dataSource) ? `${column} = :key` : `${column} = CAST(:key AS BINARY)`;
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(AuthKeyEntity)
        .where(condition, { key })
        .execute();
      return (result.affected ?? 0) > 0;
    });
  }
}
