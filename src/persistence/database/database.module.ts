/**
 * Nest wiring of the database: `DatabaseModule.forRoot(config.core.database)` opens it (creating
 * and upgrading Torrust's tables) while the application starts, and binds the TypeORM stores to
 * the ports AUTH_KEY_STORE, WHITELIST_STORE and DOWNLOADS_STORE. Global, imported once by the
 * root module. A database that cannot be opened makes application creation fail (DatabaseError).
 */
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { type DataSource } from 'typeorm';
import { AUTH_KEY_STORE } from '../../auth-keys/auth-key.store.js';
import { type DatabaseConfig } from '../../config/configuration.js';
import { DOWNLOADS_STORE } from '../../downloads/downloads.store.js';
import { WHITELIST_STORE } from '../../whitelist/whitelist.store.js';
import { openDatabase } from './data-source.js';
import { DATA_SOURCE, DatabaseService } from './database.service.js';
import { TypeOrmAuthKeyStore } from './typeorm-auth-key.store.js';
import { TypeOrmDownloadsStore } from './typeorm-downloads.store.js';
import { TypeOrmWhitelistStore } from './typeorm-whitelist.store.js';

@Module({})
export class DatabaseModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: DATA_SOURCE,
          useFactory: (): Promise<DataSource> => openDatabase(config, { logger: new Logger('Database') }),
        },
        DatabaseService,
        {
          provide: AUTH_KEY_STORE,
          useFactory: (dataSource: DataSource) => new TypeOrmAuthKeyStore(dataSource),
          inject: [DATA_SOURCE],
        },
        {
          provide: WHITELIST_STORE,
          useFactory: (dataSource: DataSource) => new TypeOrmWhitelistStore(dataSource),
          inject: [DATA_SOURCE],
        },
        {
          provide: DOWNLOADS_STORE,
          useFactory: (dataSource: DataSource) => new TypeOrmDownloadsStore(dataSource),
          inject: [DATA_SOURCE],
        },
      ],
      exports: [DatabaseService, AUTH_KEY_STORE, WHITELIST_STORE, DOWNLOADS_STORE],
    };
  }
}
