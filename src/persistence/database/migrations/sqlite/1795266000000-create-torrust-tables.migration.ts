/**
 * SQLite, step 1: Torrust's three tables with exactly the DDL Torrust v3.0.0 runs at every start
 * (src/core/databases/sqlite.rs). `IF NOT EXISTS` makes this a no-op on an existing Torrust
 * database, which has the tables but no migrations table of ours.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateTorrustTables1795266000000 implements MigrationInterface {
  readonly name = 'CreateTorrustTables1795266000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS whitelist (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        info_hash TEXT NOT NULL UNIQUE
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS keys (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        valid_until INTEGER
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS torrents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        info_hash TEXT NOT NULL UNIQUE,
        completed INTEGER DEFAULT 0 NOT NULL
      )`,
    );
  }

  /** Deliberately empty: the tables may predate us (Torrust made them) and hold the operator's data. */
  async down(): Promise<void> {}
}
