/**
 * The open database as the rest of the application may see it, without TypeORM: a `ping()` for
 * the readiness probe, the driver's name for error texts, and closing at shutdown. Closing runs
 * in `onApplicationShutdown`, the last shutdown phase, so writers that flush in
 * `onModuleDestroy`/`beforeApplicationShutdown` (completed counts) still reach the database.
 */
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { closeDataSource, driverNameOf, execute } from './database-access.js';
import { type DriverName } from './database-error.js';

/** Injection token of the open TypeORM DataSource (used inside persistence/ only). */
export const DATA_SOURCE = Symbol('DataSource');

@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** `Sqlite3` or `MySQL`, as in Torrust's error texts. */
  get driverName(): DriverName {
    return driverNameOf(this.dataSource);
  }

  /** Resolves when the database answers `SELECT 1`; rejects with a DatabaseError otherwise. */
  async ping(): Promise<void> {
    await execute(this.dataSource, (manager) => manager.query('SELECT 1'));
  }

  /** Closes the database after the operations already queued; later calls do nothing. */
  close(): Promise<void> {
    return closeDataSource(this.dataSource);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
