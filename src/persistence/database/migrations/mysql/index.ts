/**
 * The MySQL migrations in the order they run. Passed to TypeORM as classes (never globs), so the
 * same code works from dist/ and build/.
 */
import { CreateTorrustTables1795266000000 } from './1795266000000-create-torrust-tables.migration.js';
import { MakeKeysValidUntilNullable1795266060000 } from './1795266060000-make-keys-valid-until-nullable.migration.js';

export const MYSQL_MIGRATIONS = [CreateTorrustTables1795266000000, MakeKeysValidUntilNullable1795266060000];
