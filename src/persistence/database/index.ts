/**
 * Public surface of persistence/database: the Nest module, the health-facing service, the error
 * type and the plain functions to open a database outside Nest (tools, tests).
 */
export { DatabaseModule } from './database.module.js';
export { DatabaseService } from './database.service.js';
export { DatabaseError, type DatabaseErrorKind, type DriverName } from './database-error.js';
export { createDataSource, describeDatabase, openDatabase, type OpenDatabaseOptions } from './data-source.js';
export { maskDatabasePath } from './mysql-url.js';
export { TypeOrmAuthKeyStore } from './typeorm-auth-key.store.js';
export { TypeOrmDownloadsStore } from './typeorm-downloads.store.js';
export { TypeOrmWhitelistStore } from './typeorm-whitelist.store.js';
