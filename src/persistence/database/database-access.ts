/**
 * How the stores reach the DataSource: every operation goes through `execute` (or
 * `executeInTransaction`), which maps failures to DatabaseError and, for SQLite, runs operations
 * one at a time. TypeORM's SQLite driver shares ONE connection between all query runners, so
 * without this a concurrent statement would run inside (and roll back with) another's transaction.
 */
import { type DataSource, type EntityManager } from 'typeorm';
import { type DriverName, toDatabaseError } from './database-error.js';

/** The tail of the SQLite operation queue of each DataSource. */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

export function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'sqlite';
}

export function driverNameOf(dataSource: DataSource): DriverName {
  return isSqlite(dataSource) ? 'Sqlite3' : 'MySQL';
}

function serialized<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (!isSqlite(dataSource)) return work();
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const result = previous.then(work, work);
  sqliteQueues.set(
    dataSource,
    result.then(
      () => undefined,
      () => undefined,
    ),
  );
  return result;
}

/** Runs one store operation; failures reject with a DatabaseError. */
export async function execute<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await serialized(dataSource, () => work(dataSource.manager));
  } catch (error) {
    throw toDatabaseError(error, driverNameOf(dataSource));
  }
}

/** Runs one store operation in a transaction: all or nothing. */
export async function executeInTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  try {
    return await serialized(dataSource, () => dataSource.transaction(work));
  } catch (error) {
    throw toDatabaseError(error, driverNameOf(dataSource));
  }
}

/** Closes the DataSource after the operations already queued; closing twice is harmless. */
export async function closeDataSource(dataSource: DataSource): Promise<void> {
  await serialized(dataSource, async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
}
