/**
 * MySQL, step 1: Torrust's three tables with exactly the DDL Torrust v3.0.0 runs at every start
 * (src/core/databases/mysql.rs). `IF NOT EXISTS` makes this a no-op on an existing Torrust
 * database, which has the tables but no migrations table of ours.
 */
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateTorrustTables1795266000000 implements MigrationInterface {
  readonly name = 'CreateTorrustTables1795266000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS torrents (
        id integer PRIMARY KEY AUTO_INCREMENT,
        info_hash VARCHAR(40) NOT NULL UNIQUE,
        completed INTEGER DEFAULT 0 NOT NULL
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS \`keys\` (
        \`id\` INT NOT NULL AUTO_INCREMENT,
        \`key\` VARCHAR(32) NOT NULL,
        \`valid_until\` INT(10),
        PRIMARY KEY (\`id\`),
        UNIQUE (\`key\`)
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS whitelist (
        id integer PRIMARY KEY AUTO_INCREMENT,
        info_hash VARCHAR(40) NOT NULL UNIQUE
      )`,
    );
  }

  /** Deliberately empty: the tables may predate us (Torrust made them) and hold the operator's data. */
  async down(): Promise<void> {}
}
