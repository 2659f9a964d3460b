/**
 * SQLite, step 2: databases made by Torrust before 2024-07 have `keys.valid_until INTEGER NOT NULL`,
 * which forbids permanent keys. SQLite cannot drop a NOT NULL constraint, so this does Torrust's
 * own table copy (migrations/sqlite/20240730183500_…keys_valid_until_nullable.sql): create
 * `keys_new`, copy every row (ids kept), drop `keys`, rename. Only when the column is NOT NULL.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

interface TableInfoRow {
  readonly name: string;
  readonly notnull: number;
}

export class MakeKeysValidUntilNullable1795266060000 implements MigrationInterface {
  readonly name = 'MakeKeysValidUntilNullable1795266060000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const columns = (await queryRunner.query(`PRAGMA table_info(keys)`)) as TableInfoRow[];
    const validUntil = columns.find((column) => column.name === 'valid_until');
    if (validUntil === undefined || Number(validUntil.notnull) === 0) return;

    // A keys_new left over from an interrupted Torrust migration holds only copies of rows of `keys`.
    await queryRunner.query(`DROP TABLE IF EXISTS keys_new`);
    await queryRunner.query(
      `CREATE TABLE keys_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        valid_until INTEGER
      )`,
    );
    await queryRunner.query(`INSERT INTO keys_new (id, key, valid_until) SELECT id, key, valid_until FROM keys`);
    await queryRunner.query(`DROP TABLE keys`);
    await queryRunner.query(`ALTER TABLE keys_new RENAME TO keys`);
  }

  /** Deliberately empty: permanent keys (NULL) could not be kept under NOT NULL again. */
  async down(): Promise<void> {}
}
