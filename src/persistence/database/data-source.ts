/**
 * Opens the operator's database (`core.database`): an SQLite file or a MySQL URL, the same
 * database a Torrust Tracker uses. Tables are created and upgraded by our own TypeORM migrations
 * (never `synchronize`), recorded in the extra table `typeorm_migrations`, which Torrust ignores.
 *
 * Choices (see also docs and the README's compatibility notes):
 * - SQLite keeps its default rollback journal, as Torrust leaves it: the database stays one file
 *   that operators can copy, and both trackers can open it. All our access goes through one
 *   connection, one operation at a time (database-access.ts), so WAL would buy nothing. A busy
 *   timeout lets an external reader (sqlite3 CLI, a backup) hold a lock briefly.
 * - The SQLite file's directory is created if missing (Torrust requires it to exist).
 * - MySQL: a small pool, `connectTimeout` 5 s, UTC, integers as numbers. A database that cannot
 *   be reached makes `openDatabase` reject within about 10 s, with a message that names
 *   `core.database.path`, shows the URL with its password masked, and the cause.
 */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { type DatabaseConfig } from '../../config/configuration.js';
import { closeDataSource } from './database-access.js';
import { DatabaseError, describeCause, driverCodeOf } from './database-error.js';
import { AuthKeyEntity } from './entities/auth-key.entity.js';
import { TorrentEntity } from './entities/torrent.entity.js';
import { WhitelistEntity } from './entities/whitelist.entity.js';
import { MYSQL_MIGRATIONS } from './migrations/mysql/index.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';
import { maskDatabasePath, parseMysqlUrl } from './mysql-url.js';

/** TypeORM's record of applied migrations: an extra table next to Torrust's three. */
export const MIGRATIONS_TABLE = 'typeorm_migrations';
/** MySQL: time allowed to establish one connection. */
export const MYSQL_CONNECT_TIMEOUT_MS = 5_000;
/** Whole `openDatabase` connection phase, in case a server accepts the connection and then stalls. */
export const OPEN_DEADLINE_MS = 2 * MYSQL_CONNECT_TIMEOUT_MS;
/** SQLite: how long a statement waits for a lock held by another process. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const MYSQL_POOL_SIZE = 4;

const ENTITIES = [AuthKeyEntity, TorrentEntity, WhitelistEntity];

export interface OpenDatabaseOptions {
  /** Receives one line per migration applied (a Nest `Logger` fits). */
  readonly logger?: { log(message: string): void };
}

/** `Sqlite3 database "./storage/…/sqlite3.db"` or `MySQL database mysql://user:***@host:3306/db`. */
export function describeDatabase(config: DatabaseConfig): string {
  return config.driver === 'mysql'
    ? `MySQL database ${maskDatabasePath(config.path)}`
    : `Sqlite3 database ${JSON.stringify(config.path)}`;
}

function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    // TypeORM's logger prints SQL parameters (keys); failures are reported through DatabaseError.
    logging: false,
  } as const;
  if (config.driver === 'mysql') {
    const url = parseMysqlUrl(config.path);
    return {
      ...common,
      type: 'mysql',
      connectorPackage: 'mysql2',
      host: url.host,
      port: url.port,
      username: url.user,
      password: url.password,
      database: url.database,
      migrations: MYSQL_MIGRATIONS,
      connectTimeout: MYSQL_CONNECT_TIMEOUT_MS,
      poolSize: MYSQL_POOL_SIZE,
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      extra: { enableKeepAlive: true, maxIdle: MYSQL_POOL_SIZE, idleTimeout: 60_000 },
    };
  }
  return {
    ...common,
    type: 'sqlite',
    database: config.path,
    migrations: SQLITE_MIGRATIONS,
    busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
    enableWAL: false,
  };
}

/**
 * A DataSource for `core.database`, not yet connected. Throws a DatabaseError (kind `config`)
 * when the MySQL URL cannot be used.
 */
export function createDataSource(config: DatabaseConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}

function secretsOf(config: DatabaseConfig): string[] {
  if (config.driver !== 'mysql') return [];
  try {
    const { password } = parseMysqlUrl(config.path);
    return [password, encodeURIComponent(password)];
  } catch {
    return [];
  }
}

async function withDeadline<T>(work: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Releases whatever a failed `initialize` may have left open (a MySQL pool), ignoring errors. */
async function dispose(dataSource: DataSource): Promise<void> {
  try {
    if (dataSource.isInitialized) await closeDataSource(dataSource);
    else await dataSource.driver.disconnect();
  } catch {
    // nothing left to release
  }
}

/**
 * Connects to `core.database`, creates Torrust's tables if missing and upgrades old ones, and
 * returns the ready DataSource. Rejects with a DatabaseError whose message names
 * `core.database.path` (password masked) and the cause; nothing is left open on failure.
 */
export async function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<DataSource> {
  const where = `${describeDatabase(config)} (core.database.path)`;
  const secrets = secretsOf(config);
  const dataSource = createDataSource(config);
  const initializing = dataSource.initialize();
  try {
    await withDeadline(initializing, OPEN_DEADLINE_MS, `no answer within ${OPEN_DEADLINE_MS / 1000} s`);
  } catch (error) {
    // If the deadline won, release the connection whenever initialize finally settles.
    initializing.then(
      () => dispose(dataSource),
      () => dispose(dataSource),
    );
    const verb = config.driver === 'mysql' ? 'connect to' : 'open';
    throw new DatabaseError(
      `Failed to ${verb} ${where}: ${describeCause(error, secrets)}`,
      'connection',
      driverCodeOf(error),
    );
  }
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) options.logger?.log(`Applied database migration ${migration.name}`);
  } catch (error) {
    await dispose(dataSource);
    throw new DatabaseError(
      `Failed to prepare the tables of ${where}: ${describeCause(error, secrets)}`,
      'migration',
      driverCodeOf(error),
    );
  }
  return dataSource;
}
