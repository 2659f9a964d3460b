/**
 * The tracker as an operator runs it: the compiled entry point in a child process, configured
 * through the environment. Startup refusals (exit 1 before any socket), graceful SIGTERM and
 * SIGINT (exit 0, pending completed counts flushed, database closed).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sqlite3 from 'sqlite3';
import { percentEncode } from '../../src/protocol/http/percent.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../../src/main.js');
const HASH = Buffer.from('9c38422213e30bff212b30c360d26f9a02136422', 'hex');
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tracker-process-'));
  dirs.push(dir);
  return dir;
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(env: NodeJS.ProcessEnv, cwd: string): Run {
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  const timeout = new Promise<T>((_, reject) => {
    setTimeout(() => reject(new Error(`timed out: ${what}`)), ms).unref();
  });
  return Promise.race([p, timeout]);
}

function baseToml(db: string, extra = ''): string {
  return [
    '[metadata]',
    'schema_version = "2.0.0"',
    '[logging]',
    'threshold = "info"',
    '[core]',
    'listed = false',
    'private = false',
    '[core.database]',
    `path = ${JSON.stringify(db)}`,
    '[core.tracker_policy]',
    'persistent_torrent_completed_stat = true',
    '[[http_trackers]]',
    'bind_address = "127.0.0.1:0"',
    '[health_check_api]',
    'bind_address = "127.0.0.1:0"',
    extra,
  ].join('\n');
}

function query(db: string, sql: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const conn = new sqlite3.Database(db, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      conn.all(sql, (e, rows) => {
        conn.close();
        if (e) reject(e);
        else resolve(rows);
      });
    });
  });
}

async function announce(base: string, peer: string, event: string, left: number): Promise<string> {
  const url = `${base}/announce?info_hash=${percentEncode(HASH)}&peer_id=${peer}&port=6881&left=${left}&event=${event}`;
  const res = await fetch(url);
  return Buffer.from(await res.arrayBuffer()).toString('latin1');
}

describe('the tracker process', () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`drains on ${signal}: exits 0 and flushes pending completed counts`, async () => {
      const dir = tempDir();
      const db = join(dir, 'db', 'tracker.db');
      const tracker = run({ TORRUST_TRACKER_CONFIG_TOML: baseToml(db) }, dir);
      try {
        const base = await waitFor(
          () => /HTTP TRACKER: Started on: (http:\/\/\S+)/.exec(tracker.stdout())?.[1],
          'the HTTP listener',
        );
        assert.match(await announce(base, '-qB00000000000000001', 'started', 100), /incompletei1e/);
        assert.match(await announce(base, '-qB00000000000000001', 'completed', 0), /completei1e/);
        tracker.child.kill(signal);
        assert.equal(await withTimeout(tracker.exited, 15_000, 'exit after the signal'), 0);
      } finally {
        tracker.child.kill('SIGKILL');
      }
      assert.deepEqual(await query(db, 'SELECT info_hash, completed FROM torrents'), [
        { info_hash: HASH.toString('hex'), completed: 1 },
      ]);
    });
  }

  it('keeps completed counts across a restart', async () => {
    const dir = tempDir();
    const db = join(dir, 'tracker.db');
    for (const expected of [1, 2]) {
      const tracker = run({ TORRUST_TRACKER_CONFIG_TOML: baseToml(db) }, dir);
      try {
        const base = await waitFor(
          () => /HTTP TRACKER: Started on: (http:\/\/\S+)/.exec(tracker.stdout())?.[1],
          'the HTTP listener',
        );
        const peer = `-qB0000000000000000${expected}`;
        await announce(base, peer, 'started', 100);
        const body = await announce(base, peer, 'completed', 0);
        assert.ok(body.includes('completei1e'), body);
        const scrape = await fetch(`${base}/scrape?info_hash=${percentEncode(HASH)}`);
        assert.match(Buffer.from(await scrape.arrayBuffer()).toString('latin1'), new RegExp(`downloadedi${expected}e`));
        tracker.child.kill('SIGTERM');
        assert.equal(await withTimeout(tracker.exited, 15_000, 'exit'), 0);
      } finally {
        tracker.child.kill('SIGKILL');
      }
    }
  });

  describe('refuses to start, with exit code 1 and the problem on stderr, before opening any socket', () => {
    async function refused(env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
      const tracker = run(env, cwd);
      const code = await withTimeout(tracker.exited, 20_000, 'exit');
      assert.equal(code, 1, `stdout: ${tracker.stdout()}\nstderr: ${tracker.stderr()}`);
      assert.doesNotMatch(tracker.stdout(), /Started on/);
      return tracker.stderr();
    }

    it('for an unparsable TOML document', async () => {
      const dir = tempDir();
      const stderr = await refused({ TORRUST_TRACKER_CONFIG_TOML: '[core\nlisted = ' }, dir);
      assert.match(stderr, /Invalid configuration/);
    });

    it('naming every problem: key path, value and rule', async () => {
      const dir = tempDir();
      const toml = baseToml(
        join(dir, 'x.db'),
        '[[udp_trackers]]\nbind_address = "0.0.0.0:70000"\n[core.private_mode]\ncheck_keys_expiration = true',
      );
      const stderr = await refused(
        { TORRUST_TRACKER_CONFIG_TOML: toml, TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER: 'postgres' },
        dir,
      );
      assert.match(stderr, /udp_trackers\[0\]\.bind_address: "0\.0\.0\.0:70000"/);
      assert.match(stderr, /core\.private_mode/);
      assert.match(stderr, /core\.database\.driver: "postgres"/);
    });

    it('for a missing file given by TORRUST_TRACKER_CONFIG_TOML_PATH (mandatory options missing)', async () => {
      const dir = tempDir();
      const stderr = await refused({ TORRUST_TRACKER_CONFIG_TOML_PATH: join(dir, 'nope.toml') }, dir);
      assert.match(stderr, /Missing mandatory configuration option\. Option path: metadata\.schema_version/);
    });

    it('for a TLS certificate that does not exist', async () => {
      const dir = tempDir();
      const toml = baseToml(
        join(dir, 'x.db'),
        `[[http_trackers]]\nbind_address = "127.0.0.1:0"\n[http_trackers.tsl_config]\nssl_cert_path = "${dir}/none.pem"\nssl_key_path = "${dir}/none.key"`,
      );
      const stderr = await refused({ TORRUST_TRACKER_CONFIG_TOML: toml }, dir);
      assert.match(stderr, /http_trackers\[1\]\.tsl_config\.ssl_cert_path/);
    });

    it('for a database directory that cannot be created', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'file'), 'not a directory');
      const stderr = await refused({ TORRUST_TRACKER_CONFIG_TOML: baseToml(join(dir, 'file', 'db.sqlite')) }, dir);
      assert.match(stderr, /core\.database\.path/);
    });

    it('for an unreachable MySQL server, naming the key and hiding the password', async () => {
      const dir = tempDir();
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const toml = baseToml('unused');
      const stderr = await refused(
        {
          TORRUST_TRACKER_CONFIG_TOML: toml,
          TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER: 'mysql',
          TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__PATH: `mysql://tracker:s3cret@127.0.0.1:${port}/torrust`,
        },
        dir,
      );
      assert.match(stderr, /core\.database\.path/);
      assert.doesNotMatch(stderr, /s3cret/);
    });
  });
});
