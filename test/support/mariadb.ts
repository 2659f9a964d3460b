/**
 * A MySQL-compatible server for tests. With env MYSQL_TEST_URL (CI starts a server; the user
 * must be allowed to CREATE/DROP DATABASE) it creates fresh uniquely named databases there.
 * Otherwise, if MariaDB is installed, it starts a throwaway `mariadbd` in a temp dir on a free
 * port with a real user and password (like an operator's URL). Otherwise it returns null and
 * prints a loud warning: the MySQL half of the suites is then skipped (MYSQL_TEST_URL=off forces
 * that, for a quick local run).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import mysql, { type Connection } from 'mysql2/promise';

export interface MariaDbServer {
  /** `mysql://user:password@127.0.0.1:port/database` of a fresh, empty database. */
  readonly url: string;
  /** Creates another fresh, empty database on the same server and returns its URL. */
  newDatabase(): Promise<string>;
  /** Drops the databases created here and stops the server if it was started here. */
  stop(): Promise<void>;
}

/** Startup of a local server (install + start + first connection) must finish within this. */
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** The test user of a local server; the password needs percent-encoding, as real ones often do. */
const TEST_USER = 'tracker';
const TEST_PASSWORD = 'p@ss:w/rd%42';

function findExecutable(names: readonly string[]): string | null {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/libexec',
    '/usr/bin',
  ];
  for (const name of names) {
    for (const dir of dirs) {
      if (dir === '') continue;
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

function uniqueDatabaseName(): string {
  return `nbt_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function urlFor(base: { user: string; password: string; host: string; port: number }, database: string): string {
  const host = base.host.includes(':') ? `[${base.host}]` : base.host;
  return `mysql://${encodeURIComponent(base.user)}:${encodeURIComponent(base.password)}@${host}:${base.port}/${database}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}

function run(file: string, args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

/** A plain mysql2 connection to a `mysql://` URL (percent-encoded parts decoded), for test setup. */
export function connectMysql(url: string): Promise<Connection> {
  const parsed = new URL(url);
  return mysql.createConnection({
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
    connectTimeout: 10_000,
  });
}

/** Uses the server of MYSQL_TEST_URL: one fresh database per `newDatabase()`, dropped on stop. */
async function useExistingServer(testUrl: string): Promise<MariaDbServer> {
  const parsed = new URL(testUrl);
  const base = {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 3306 : Number(parsed.port),
  };
  parsed.pathname = '/';
  const admin = await connectMysql(parsed.href);
  const created: string[] = [];
  const newDatabase = async (): Promise<string> => {
    const name = uniqueDatabaseName();
    await admin.query(`CREATE DATABASE \`${name}\``);
    created.push(name);
    return urlFor(base, name);
  };
  const url = await newDatabase();
  return {
    url,
    newDatabase,
    async stop() {
      for (const name of created) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts a throwaway mariadbd in a temp dir; everything is removed on stop. */
async function startLocalServer(mariadbd: string, installDb: string): Promise<MariaDbServer> {
  const startedAt = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'nbt-mariadb-'));
  const dataDir = join(dir, 'data');
  const socketPath = join(dir, 'mariadbd.sock');
  const errorLog = join(dir, 'error.log');
  const runAsRoot = process.getuid?.() === 0;
  const userArgs = runAsRoot ? ['--user=root'] : [];
  let child: ChildProcess | undefined;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  const cleanup = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child !== undefined) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await run(
      installDb,
      [
        '--no-defaults',
        '--auth-root-authentication-method=normal',
        `--datadir=${dataDir}`,
        '--skip-test-db',
        '--skip-name-resolve',
        ...userArgs,
      ],
      STARTUP_TIMEOUT_MS,
    );
    const port = await freePort();
    child = spawn(
      mariadbd,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socketPath}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--pid-file=${join(dir, 'mariadbd.pid')}`,
        `--log-error=${errorLog}`,
        '--skip-name-resolve',
        '--skip-log-bin',
        '--performance-schema=OFF',
        '--innodb-buffer-pool-size=32M',
        '--innodb-flush-log-at-trx-commit=0',
        ...userArgs,
      ],
      { stdio: 'ignore' },
    );
    process.once('exit', killOnExit);

    // Wait until it accepts connections (root over the socket), or fail with its log.
    let admin: Connection | undefined;
    while (admin === undefined) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const log = await readFile(errorLog, 'utf8').catch(() => '');
        throw new Error(`mariadbd exited during startup:\n${log.slice(-2_000)}`);
      }
      if (Date.now() - startedAt > STARTUP_TIMEOUT_MS) {
        throw new Error(`mariadbd did not accept connections within ${STARTUP_TIMEOUT_MS / 1000} s`);
      }
      try {
        admin = await mysql.createConnection({ socketPath, user: 'root', connectTimeout: 1_000 });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const connection = admin;
    await connection.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [TEST_USER, TEST_PASSWORD]);
    const base = { user: TEST_USER, password: TEST_PASSWORD, host: '127.0.0.1', port };
    const newDatabase = async (): Promise<string> => {
      const name = uniqueDatabaseName();
      await connection.query(`CREATE DATABASE \`${name}\``);
      await connection.query(`GRANT ALL PRIVILEGES ON \`${name}\`.* TO ?@'%'`, [TEST_USER]);
      return urlFor(base, name);
    };
    const url = await newDatabase();
    const elapsed = Date.now() - startedAt;
    if (process.env.MARIADB_TEST_VERBOSE) console.log(`mariadbd started on 127.0.0.1:${port} in ${elapsed} ms`);
    return {
      url,
      newDatabase,
      async stop() {
        await connection.end().catch(() => undefined);
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function skipped(reason: string): null {
  const line = '!'.repeat(78);
  console.warn(
    [
      line,
      `!!! MySQL/MariaDB tests SKIPPED: ${reason}`,
      '!!! Set MYSQL_TEST_URL=mysql://user:pass@host:port/ (a user allowed to CREATE DATABASE)',
      '!!! or install MariaDB (mariadbd, mariadb-install-db) to run the MySQL half of the suites.',
      line,
    ].join('\n'),
  );
  return null;
}

/**
 * A MySQL server for the MySQL half of the database tests, or null (with a loud warning) when
 * neither MYSQL_TEST_URL is set nor MariaDB is installed. Throws when a server should be
 * available but cannot be used, so a broken setup fails instead of silently skipping.
 */
export async function startMariaDb(): Promise<MariaDbServer | null> {
  const testUrl = process.env.MYSQL_TEST_URL;
  if (testUrl === 'off') return skipped('MYSQL_TEST_URL=off.');
  if (testUrl !== undefined && testUrl !== '') return useExistingServer(testUrl);
  const mariadbd = findExecutable(['mariadbd', 'mysqld']);
  const installDb = findExecutable(['mariadb-install-db', 'mysql_install_db']);
  if (mariadbd === null || installDb === null) {
    return skipped('MYSQL_TEST_URL is not set and no mariadbd / mariadb-install-db was found.');
  }
  return startLocalServer(mariadbd, installDb);
}
