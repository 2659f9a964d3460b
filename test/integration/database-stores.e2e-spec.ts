/**
 * The persistence ports against every implementation: in-memory fakes, TypeORM on a real SQLite
 * file and TypeORM on a real MariaDB (started by test/support/mariadb.ts; visibly skipped when
 * none is available). Also: opening databases made by Torrust itself (old and current schema),
 * idempotent migrations, bounded and password-free connection errors, and the Nest module.
 */
import 'reflect-metadata';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import sqlite3 from 'sqlite3';
import { type DataSource } from 'typeorm';
import { AUTH_KEY_STORE, type AuthKeyStore } from '../../src/auth-keys/auth-key.store.js';
import { type DatabaseConfig } from '../../src/config/configuration.js';
import { DOWNLOADS_STORE, type DownloadsStore } from '../../src/downloads/downloads.store.js';
import { MIGRATIONS_TABLE, openDatabase } from '../../src/persistence/database/data-source.js';
import { DatabaseError } from '../../src/persistence/database/database-error.js';
import { DatabaseModule } from '../../src/persistence/database/database.module.js';
import { DatabaseService } from '../../src/persistence/database/database.service.js';
import { TypeOrmAuthKeyStore } from '../../src/persistence/database/typeorm-auth-key.store.js';
import { TypeOrmDownloadsStore } from '../../src/persistence/database/typeorm-downloads.store.js';
import { TypeOrmWhitelistStore } from '../../src/persistence/database/typeorm-whitelist.store.js';
import { WHITELIST_STORE, type WhitelistStore } from '../../src/whitelist/whitelist.store.js';
import { InMemoryAuthKeyStore, InMemoryDownloadsStore, InMemoryWhitelistStore } from '../support/in-memory-stores.js';
import { connectMysql, startMariaDb } from '../support/mariadb.js';
import {
  describeAuthKeyStore,
  describeDownloadsStore,
  describeWhitelistStore,
  sampleInfoHash,
  sampleKey,
} from '../support/store-conformance.js';

const mariadb = await startMariaDb();
const skipMysql: string | false = mariadb === null ? 'no MySQL server: set MYSQL_TEST_URL or install MariaDB' : false;
/** Options of every MySQL test: each one is reported as skipped when there is no server. */
const mysqlOnly = { skip: skipMysql };
after(async () => {
  await mariadb?.stop();
});

// Torrust's own DDL (torrust-tracker migrations/ and src/core/databases/), old and current `keys`.
const TORRUST_SQLITE_DDL = {
  whitelist:
    'CREATE TABLE IF NOT EXISTS whitelist (id INTEGER PRIMARY KEY AUTOINCREMENT, info_hash TEXT NOT NULL UNIQUE)',
  torrents:
    'CREATE TABLE IF NOT EXISTS torrents (id INTEGER PRIMARY KEY AUTOINCREMENT, info_hash TEXT NOT NULL UNIQUE, completed INTEGER DEFAULT 0 NOT NULL)',
  oldKeys:
    'CREATE TABLE IF NOT EXISTS keys (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, valid_until INTEGER NOT NULL)',
  currentKeys:
    'CREATE TABLE IF NOT EXISTS keys (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, valid_until INTEGER)',
};
const TORRUST_MYSQL_DDL = {
  whitelist:
    'CREATE TABLE IF NOT EXISTS whitelist (id integer PRIMARY KEY AUTO_INCREMENT, info_hash VARCHAR(40) NOT NULL UNIQUE)',
  torrents:
    'CREATE TABLE IF NOT EXISTS torrents (id integer PRIMARY KEY AUTO_INCREMENT, info_hash VARCHAR(40) NOT NULL UNIQUE, completed INTEGER DEFAULT 0 NOT NULL)',
  oldKeys:
    'CREATE TABLE IF NOT EXISTS `keys` (`id` INT NOT NULL AUTO_INCREMENT, `key` VARCHAR(32) NOT NULL, `valid_until` INT (10) NOT NULL, PRIMARY KEY (`id`), UNIQUE (`key`))',
  currentKeys:
    'CREATE TABLE IF NOT EXISTS `keys` (`id` INT NOT NULL AUTO_INCREMENT, `key` VARCHAR(32) NOT NULL, `valid_until` INT(10), PRIMARY KEY (`id`), UNIQUE (`key`))',
};

/** The rows a Torrust tracker may have left behind (a negative expiry is read as its absolute value). */
const TORRUST_ROWS = {
  whitelist: [sampleInfoHash(0xa1), sampleInfoHash(0xa2)],
  torrents: [
    { infoHashHex: sampleInfoHash(0xb1), completed: 3 },
    { infoHashHex: sampleInfoHash(0xb2), completed: 0 },
  ],
  keys: [
    { key: sampleKey('Torrust1'), stored: 1_900_000_000, loaded: 1_900_000_000 },
    { key: sampleKey('Negative2'), stored: -1_800_000_000, loaded: 1_800_000_000 },
  ],
};

interface RawSqlite {
  run(sql: string, params?: unknown[]): Promise<void>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A plain sqlite3 connection, as another program (Torrust, the sqlite3 CLI) would have. */
function rawSqlite(path: string): Promise<RawSqlite> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, (error) => {
      if (error) return reject(error);
      resolve({
        run: (sql, params = []) => new Promise((ok, fail) => db.run(sql, params, (e) => (e ? fail(e) : ok()))),
        all: <T>(sql: string, params: unknown[] = []) =>
          new Promise<T[]>((ok, fail) => db.all(sql, params, (e, rows) => (e ? fail(e) : ok(rows as T[])))),
        close: () => new Promise((ok, fail) => db.close((e) => (e ? fail(e) : ok()))),
      });
    });
  });
}

async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}

/** Collects the lines `openDatabase` logs (one per migration applied). */
function migrationLog(): { lines: string[]; log(message: string): void } {
  const lines: string[] = [];
  return { lines, log: (message) => lines.push(message) };
}

function stores(dataSource: DataSource): { keys: AuthKeyStore; whitelist: WhitelistStore; downloads: DownloadsStore } {
  return {
    keys: new TypeOrmAuthKeyStore(dataSource),
    whitelist: new TypeOrmWhitelistStore(dataSource),
    downloads: new TypeOrmDownloadsStore(dataSource),
  };
}

async function emptyTables(dataSource: DataSource): Promise<void> {
  for (const table of ['whitelist', 'torrents', 'keys'])
    await dataSource.query(`DELETE FROM ${dataSource.driver.escape(table)}`);
}

/** The checks shared by both drivers once a Torrust-made database was opened by us. */
async function assertTorrustRowsLoad(
  dataSource: DataSource,
  extraKeys: { key: string; validUntil: number | null }[],
): Promise<void> {
  const { keys, whitelist, downloads } = stores(dataSource);
  assert.deepEqual((await whitelist.loadAll()).sort(), [...TORRUST_ROWS.whitelist].sort());
  assert.deepEqual(await downloads.loadAll(), TORRUST_ROWS.torrents);
  assert.deepEqual(await keys.loadAll(), [
    ...TORRUST_ROWS.keys.map(({ key, loaded }) => ({ key, validUntil: loaded })),
    ...extraKeys,
  ]);
}

/** Adds a permanent key, closes, reopens: the key and Torrust's rows are still there, no migration re-runs. */
async function assertPermanentKeySurvivesReopen(config: DatabaseConfig, dataSource: DataSource): Promise<void> {
  const permanent = { key: sampleKey('Forever9'), validUntil: null };
  await new TypeOrmAuthKeyStore(dataSource).add(permanent);
  await dataSource.destroy();
  const log = migrationLog();
  const reopened = await openDatabase(config, { logger: log });
  try {
    assert.deepEqual(log.lines, []);
    await assertTorrustRowsLoad(reopened, [permanent]);
  } finally {
    await reopened.destroy();
  }
}

describe('in-memory stores', () => {
  describeAuthKeyStore('InMemoryAuthKeyStore', () => new InMemoryAuthKeyStore());
  describeWhitelistStore('InMemoryWhitelistStore', () => new InMemoryWhitelistStore());
  describeDownloadsStore('InMemoryDownloadsStore', () => new InMemoryDownloadsStore());

  describe('when told to fail the next call', () => {
    it('rejects that call, stores nothing, and works again afterwards', async () => {
      const keys = new InMemoryAuthKeyStore();
      keys.failNextCall();
      await assert.rejects(keys.add({ key: sampleKey('k'), validUntil: null }), /injected failure/);
      assert.deepEqual(await keys.loadAll(), []);
      await keys.add({ key: sampleKey('k'), validUntil: null });
      assert.equal((await keys.loadAll()).length, 1);
    });

    it('fails with the error it was given, for every kind of store', async () => {
      const whitelist = new InMemoryWhitelistStore([sampleInfoHash(1)]);
      const downloads = new InMemoryDownloadsStore();
      whitelist.failNextCall(new Error('disk full'));
      downloads.failNextCall(new Error('disk full'));
      await assert.rejects(whitelist.remove(sampleInfoHash(1)), /disk full/);
      await assert.rejects(downloads.saveMany([{ infoHashHex: sampleInfoHash(1), completed: 1 }]), /disk full/);
      assert.deepEqual(await whitelist.loadAll(), [sampleInfoHash(1)]);
      assert.deepEqual(await downloads.loadAll(), []);
    });
  });
});

describe('TypeORM stores on a SQLite file', () => {
  let dir: string;
  let dataSource: DataSource;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nbt-sqlite-'));
    // A directory that does not exist yet: it is created, unlike with Torrust.
    dataSource = await openDatabase({ driver: 'sqlite3', path: join(dir, 'lib', 'database', 'sqlite3.db') });
  });
  after(async () => {
    await dataSource?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const fresh = async (): Promise<DataSource> => {
    await emptyTables(dataSource);
    return dataSource;
  };
  describeAuthKeyStore('TypeOrmAuthKeyStore on SQLite', async () => new TypeOrmAuthKeyStore(await fresh()));
  describeWhitelistStore('TypeOrmWhitelistStore on SQLite', async () => new TypeOrmWhitelistStore(await fresh()));
  describeDownloadsStore('TypeOrmDownloadsStore on SQLite', async () => new TypeOrmDownloadsStore(await fresh()));

  it('rejects with a connection error once the database is closed', async () => {
    const closed = await openDatabase({ driver: 'sqlite3', path: join(dir, 'closed.db') });
    await closed.destroy();
    await assert.rejects(new TypeOrmWhitelistStore(closed).loadAll(), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.kind, 'connection');
      assert.match(error.message, /^Failed to connect to Sqlite3 database: /);
      return true;
    });
  });

  it('reports a duplicate key with a Torrust-like SQLite message', async () => {
    const { keys } = stores(await fresh());
    await keys.add({ key: sampleKey('Dup'), validUntil: null });
    await assert.rejects(keys.add({ key: sampleKey('Dup'), validUntil: null }), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.kind, 'duplicate');
      assert.match(error.message, /^The Sqlite3 query was malformed: .*UNIQUE constraint failed: keys\.key/);
      return true;
    });
  });

  it('keeps concurrent operations apart: a rolled-back batch does not take other writes with it', async () => {
    const { keys, whitelist, downloads } = stores(await fresh());
    const bad = [
      ...Array.from({ length: 900 }, (_, i) => ({ infoHashHex: sampleInfoHash(i + 1), completed: 1 })),
      { infoHashHex: null as unknown as string, completed: 1 },
    ];
    const results = await Promise.allSettled([
      downloads.saveMany(bad),
      whitelist.add(sampleInfoHash(0xfeed)),
      keys.add({ key: sampleKey('Concurrent'), validUntil: null }),
      downloads.saveMany([{ infoHashHex: sampleInfoHash(0xbeef), completed: 2 }]),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.deepEqual(await whitelist.loadAll(), [sampleInfoHash(0xfeed)]);
    assert.deepEqual(await keys.loadAll(), [{ key: sampleKey('Concurrent'), validUntil: null }]);
    assert.deepEqual(await downloads.loadAll(), [{ infoHashHex: sampleInfoHash(0xbeef), completed: 2 }]);
  });
});

describe('TypeORM stores on MariaDB', () => {
  let dataSource: DataSource;
  before(async () => {
    if (mariadb !== null) dataSource = await openDatabase({ driver: 'mysql', path: mariadb.url });
  });
  after(async () => {
    await dataSource?.destroy();
  });

  const fresh = async (): Promise<DataSource> => {
    await emptyTables(dataSource);
    return dataSource;
  };
  describeAuthKeyStore('TypeOrmAuthKeyStore on MariaDB', async () => new TypeOrmAuthKeyStore(await fresh()), mysqlOnly);
  describeWhitelistStore(
    'TypeOrmWhitelistStore on MariaDB',
    async () => new TypeOrmWhitelistStore(await fresh()),
    mysqlOnly,
  );
  describeDownloadsStore(
    'TypeOrmDownloadsStore on MariaDB',
    async () => new TypeOrmDownloadsStore(await fresh()),
    mysqlOnly,
  );

  it('rejects with a connection error once the database is closed', mysqlOnly, async () => {
    const closed = await openDatabase({ driver: 'mysql', path: mariadb!.url });
    await closed.destroy();
    await assert.rejects(new TypeOrmWhitelistStore(closed).loadAll(), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.kind, 'connection');
      assert.match(error.message, /^Failed to connect to MySQL database: /);
      return true;
    });
  });

  it('reports a duplicate key with a Torrust-like MySQL message', mysqlOnly, async () => {
    const { keys } = stores(await fresh());
    await keys.add({ key: sampleKey('Dup'), validUntil: null });
    await assert.rejects(keys.add({ key: sampleKey('Dup'), validUntil: null }), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.kind, 'duplicate');
      assert.match(error.message, /^The MySQL query was malformed: Duplicate entry/);
      return true;
    });
  });

  it(
    'keeps concurrent operations apart: a rolled-back batch does not take other writes with it',
    mysqlOnly,
    async () => {
      const { whitelist, downloads } = stores(await fresh());
      const bad = [
        ...Array.from({ length: 900 }, (_, i) => ({ infoHashHex: sampleInfoHash(i + 1), completed: 1 })),
        { infoHashHex: null as unknown as string, completed: 1 },
      ];
      const results = await Promise.allSettled([downloads.saveMany(bad), whitelist.add(sampleInfoHash(0xfeed))]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['rejected', 'fulfilled'],
      );
      assert.deepEqual(await whitelist.loadAll(), [sampleInfoHash(0xfeed)]);
      assert.deepEqual(await downloads.loadAll(), []);
    },
  );
});

describe('opening a database made by Torrust (SQLite)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nbt-torrust-sqlite-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function torrustSqlite(name: string, keysDdl: string): Promise<DatabaseConfig> {
    const path = join(dir, name);
    const raw = await rawSqlite(path);
    for (const ddl of [TORRUST_SQLITE_DDL.whitelist, keysDdl, TORRUST_SQLITE_DDL.torrents]) await raw.run(ddl);
    for (const hash of TORRUST_ROWS.whitelist) await raw.run('INSERT INTO whitelist (info_hash) VALUES (?)', [hash]);
    for (const { infoHashHex, completed } of TORRUST_ROWS.torrents) {
      await raw.run('INSERT INTO torrents (info_hash, completed) VALUES (?1, ?2)', [infoHashHex, completed]);
    }
    for (const { key, stored } of TORRUST_ROWS.keys) {
      await raw.run('INSERT INTO keys (key, valid_until) VALUES (?1, ?2)', [key, stored]);
    }
    await raw.close();
    return { driver: 'sqlite3', path };
  }

  for (const [variant, ddl] of [
    ['old schema (keys.valid_until NOT NULL)', TORRUST_SQLITE_DDL.oldKeys],
    ['current schema', TORRUST_SQLITE_DDL.currentKeys],
  ] as const) {
    describe(variant, () => {
      it('loads its rows, accepts a permanent key, and keeps everything across a reopen', async () => {
        const config = await torrustSqlite(`${variant.split(' ')[0]}.db`, ddl);
        const dataSource = await openDatabase(config);
        await assertTorrustRowsLoad(dataSource, []);
        await assertPermanentKeySurvivesReopen(config, dataSource);

        const raw = await rawSqlite(config.path);
        try {
          const columns = await raw.all<{ name: string; notnull: number }>('PRAGMA table_info(keys)');
          assert.equal(columns.find((c) => c.name === 'valid_until')?.notnull, 0);
          // Torrust's own statements still work on the file, and the key ids were kept.
          const rows = await raw.all<{ id: number; key: string }>('SELECT id, key FROM keys ORDER BY id');
          assert.deepEqual(
            rows.map((r) => r.key),
            [...TORRUST_ROWS.keys.map((k) => k.key), sampleKey('Forever9')],
          );
          assert.deepEqual(
            rows.map((r) => r.id),
            [1, 2, 3],
          );
          const tables = await raw.all<{ name: string }>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
          );
          assert.deepEqual(
            tables.map((t) => t.name),
            ['keys', 'torrents', MIGRATIONS_TABLE, 'whitelist'].sort(),
          );
        } finally {
          await raw.close();
        }
      });
    });
  }

  it('creates the tables of a new database and runs its migrations only once', async () => {
    const config: DatabaseConfig = { driver: 'sqlite3', path: join(dir, 'new.db') };
    const first = migrationLog();
    await (await openDatabase(config, { logger: first })).destroy();
    assert.equal(first.lines.length, 2);
    const second = migrationLog();
    const dataSource = await openDatabase(config, { logger: second });
    try {
      assert.deepEqual(second.lines, []);
      const applied = await dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
      assert.equal(applied.length, 2);
    } finally {
      await dataSource.destroy();
    }
  });

  it('rejects a file that is not a database with a message naming core.database.path', async () => {
    const path = join(dir, 'not-a-database.db');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, 'this is not an SQLite file, it is plain text long enough to have a header....');
    await assert.rejects(openDatabase({ driver: 'sqlite3', path }), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.match(error.message, /core\.database\.path/);
      assert.match(error.message, /not a database/);
      return true;
    });
  });
});

describe('opening a database made by Torrust (MariaDB)', () => {
  async function torrustMysql(keysDdl: string): Promise<DatabaseConfig> {
    const url = await mariadb!.newDatabase();
    const raw = await connectMysql(url);
    try {
      for (const ddl of [TORRUST_MYSQL_DDL.torrents, keysDdl, TORRUST_MYSQL_DDL.whitelist]) await raw.query(ddl);
      for (const hash of TORRUST_ROWS.whitelist)
        await raw.query('INSERT INTO whitelist (info_hash) VALUES (?)', [hash]);
      for (const { infoHashHex, completed } of TORRUST_ROWS.torrents) {
        await raw.query('INSERT INTO torrents (info_hash, completed) VALUES (?, ?)', [infoHashHex, completed]);
      }
      for (const { key, stored } of TORRUST_ROWS.keys) {
        await raw.query('INSERT INTO `keys` (`key`, valid_until) VALUES (?, ?)', [key, stored]);
      }
    } finally {
      await raw.end();
    }
    return { driver: 'mysql', path: url };
  }

  for (const [variant, ddl] of [
    ['old schema (keys.valid_until NOT NULL)', TORRUST_MYSQL_DDL.oldKeys],
    ['current schema', TORRUST_MYSQL_DDL.currentKeys],
  ] as const) {
    describe(variant, () => {
      it('loads its rows, accepts a permanent key, and keeps everything across a reopen', mysqlOnly, async () => {
        const config = await torrustMysql(ddl);
        const dataSource = await openDatabase(config);
        await assertTorrustRowsLoad(dataSource, []);
        await assertPermanentKeySurvivesReopen(config, dataSource);

        const raw = await connectMysql(config.path);
        try {
          const [columns] = await raw.query(
            `SELECT IS_NULLABLE AS nullable, COLUMN_TYPE AS type FROM information_schema.COLUMNS
              WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'keys' AND COLUMN_NAME = 'valid_until'`,
          );
          assert.deepEqual(columns, [{ nullable: 'YES', type: 'int(10)' }]);
          const [rows] = await raw.query('SELECT id, `key` FROM `keys` ORDER BY id');
          assert.deepEqual(
            (rows as { key: string }[]).map((r) => r.key),
            [...TORRUST_ROWS.keys.map((k) => k.key), sampleKey('Forever9')],
          );
        } finally {
          await raw.end();
        }
      });
    });
  }

  it('creates the tables of a new database and runs its migrations only once', mysqlOnly, async () => {
    const config: DatabaseConfig = { driver: 'mysql', path: await mariadb!.newDatabase() };
    const first = migrationLog();
    await (await openDatabase(config, { logger: first })).destroy();
    assert.equal(first.lines.length, 2);
    const second = migrationLog();
    const dataSource = await openDatabase(config, { logger: second });
    try {
      assert.deepEqual(second.lines, []);
      const applied = await dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
      assert.equal(applied.length, 2);
    } finally {
      await dataSource.destroy();
    }
  });

  it('rejects wrong credentials without showing the password', mysqlOnly, async () => {
    const url = new URL(mariadb!.url);
    url.password = 'WrongPassword123';
    await assert.rejects(openDatabase({ driver: 'mysql', path: url.href }), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.kind, 'connection');
      assert.match(error.message, /core\.database\.path/);
      assert.match(error.message, /Access denied/);
      assert.ok(!error.message.includes('WrongPassword123'), error.message);
      return true;
    });
  });
});

describe('connecting to a MySQL server that is not there', () => {
  it('fails quickly, naming core.database.path and masking the password', async () => {
    const port = await closedPort();
    const path = `mysql://tracker:Sup3rS3cret@127.0.0.1:${port}/torrust_tracker`;
    const started = Date.now();
    await assert.rejects(openDatabase({ driver: 'mysql', path }), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.kind, 'connection');
      assert.match(error.message, /core\.database\.path/);
      assert.ok(error.message.includes(`mysql://tracker:***@127.0.0.1:${port}/torrust_tracker`), error.message);
      assert.match(error.message, /ECONNREFUSED/);
      assert.ok(!error.message.includes('Sup3rS3cret'), error.message);
      return true;
    });
    assert.ok(Date.now() - started < 11_000, `took ${Date.now() - started} ms`);
  });

  it('rejects an unusable URL before connecting, without the password', async () => {
    for (const path of ['mysql://tracker:Sup3rS3cret@db:3306/', 'postgres://tracker:Sup3rS3cret@db/x', 'not a url']) {
      await assert.rejects(openDatabase({ driver: 'mysql', path }), (error: unknown) => {
        assert.ok(error instanceof DatabaseError);
        assert.equal(error.kind, 'config');
        assert.match(error.message, /^core\.database\.path: /);
        assert.ok(!error.message.includes('Sup3rS3cret'), error.message);
        return true;
      });
    }
  });
});

describe('DatabaseModule', () => {
  it('opens the database at startup, binds the stores to their ports, and closes at shutdown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nbt-module-'));
    try {
      const app = await NestFactory.createApplicationContext(
        DatabaseModule.forRoot({ driver: 'sqlite3', path: join(dir, 'tracker.db') }),
        { logger: false },
      );
      const keys = app.get<AuthKeyStore>(AUTH_KEY_STORE);
      const whitelist = app.get<WhitelistStore>(WHITELIST_STORE);
      const downloads = app.get<DownloadsStore>(DOWNLOADS_STORE);
      const database = app.get(DatabaseService);
      await database.ping();
      assert.equal(database.driverName, 'Sqlite3');
      await keys.add({ key: sampleKey('Module'), validUntil: null });
      await whitelist.add(sampleInfoHash(1));
      await downloads.saveMany([{ infoHashHex: sampleInfoHash(1), completed: 1 }]);
      await app.close();
      await assert.rejects(
        database.ping(),
        (error: unknown) => error instanceof DatabaseError && error.kind === 'connection',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
