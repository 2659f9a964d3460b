/**
 * MySQL, step 2: databases made by Torrust before 2024-07 have `keys.valid_until INT(10) NOT NULL`,
 * which forbids permanent keys. Same change as Torrust's
 * migrations/mysql/20240730183500_…keys_valid_until_nullable.sql, applied only when
 * information_schema says the column is still NOT NULL.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

interface ColumnRow {
  readonly nullable: string;
}

export class MakeKeysValidUntilNullable1795266060000 implements MigrationInterface {
  readonly name = 'MakeKeysValidUntilNullable1795266060000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      `SELECT IS_NULLABLE AS nullable FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'keys' AND COLUMN_NAME = 'valid_until'`,
    )) as ColumnRow[];
    if (rows.length === 0 || rows[0].nullable !== 'NO') return;
    await queryRunner.query('ALTER TABLE `keys` MODIFY `valid_until` INT(10)');
  }

  /** Deliberately empty: permanent keys (NULL) could not be kept under NOT NULL again. */
  async down(): Promise<void> {}
}
