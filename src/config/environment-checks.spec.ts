import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Configuration } from './configuration.js';
import { checkEnvironment } from './environment-checks.js';
import { formatProblems, loadConfiguration } from './loader.js';

const MINIMAL = `
[metadata]
schema_version = "2.0.0"
[logging]
threshold = "info"
[core]
listed = false
private = false
`;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'config-env-'));
}

function configFrom(extra: string): Configuration {
  const result = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML: `${MINIMAL}\n${extra}` }, tempDir());
  if (!result.ok) assert.fail(formatProblems(result.problems, result.source));
  return result.config;
}

function sqliteAt(path: string): Configuration {
  return configFrom(`[core.database]\ndriver = "sqlite3"\npath = ${JSON.stringify(path)}\n`);
}

describe('checkEnvironment', () => {
  describe('TLS files', () => {
    const tlsToml = (cert: string, key: string) => `
[core.database]
path = ":memory:"
[[http_trackers]]
bind_address = "0.0.0.0:7070"
[[http_trackers]]
bind_address = "0.0.0.0:7443"
[http_trackers.tsl_config]
ssl_cert_path = ${JSON.stringify(cert)}
ssl_key_path = ${JSON.stringify(key)}
[http_api]
[http_api.tsl_config]
ssl_cert_path = ${JSON.stringify(cert)}
ssl_key_path = ${JSON.stringify(key)}
`;

    it('accepts readable certificate and key files, relative to the working directory', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'cert.pem'), 'cert');
      writeFileSync(join(dir, 'key.pem'), 'key');
      assert.deepEqual(await checkEnvironment(configFrom(tlsToml('./cert.pem', 'key.pem')), dir), []);
    });

    it('reports each missing file by its key path and file name', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'cert.pem'), 'cert');
      const problems = await checkEnvironment(configFrom(tlsToml('cert.pem', 'missing-key.pem')), dir);
      assert.deepEqual(problems, [
        {
          path: 'http_trackers[1].tsl_config.ssl_key_path',
          value: 'missing-key.pem',
          rule: 'cannot be read: no such file or directory',
        },
        {
          path: 'http_api.tsl_config.ssl_key_path',
          value: 'missing-key.pem',
          rule: 'cannot be read: no such file or directory',
        },
      ]);
    });

    it('reports a directory given as a certificate', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'cert.pem'));
      writeFileSync(join(dir, 'key.pem'), 'key');
      const problems = await checkEnvironment(configFrom(tlsToml('cert.pem', 'key.pem')), dir);
      assert.deepEqual(
        problems.map((p) => [p.path, p.rule]),
        [
          ['http_trackers[1].tsl_config.ssl_cert_path', 'is not a regular file'],
          ['http_api.tsl_config.ssl_cert_path', 'is not a regular file'],
        ],
      );
    });
  });

  describe('the SQLite database', () => {
    it('creates a missing database directory', async () => {
      const dir = tempDir();
      const problems = await checkEnvironment(sqliteAt('./storage/tracker/lib/database/sqlite3.db'), dir);
      assert.deepEqual(problems, []);
      assert.ok(statSync(join(dir, 'storage/tracker/lib/database')).isDirectory());
      assert.equal(existsSync(join(dir, 'storage/tracker/lib/database/sqlite3.db')), false);
    });

    it('accepts an existing, writable database file', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'tracker.db'), '');
      assert.deepEqual(await checkEnvironment(sqliteAt(join(dir, 'tracker.db')), tempDir()), []);
    });

    it('reports a directory that cannot be created (a parent is a regular file)', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'blocker'), '');
      const problems = await checkEnvironment(sqliteAt('blocker/db/sqlite3.db'), dir);
      assert.equal(problems.length, 1);
      assert.equal(problems[0]?.path, 'core.database.path');
      assert.equal(problems[0]?.value, 'blocker/db/sqlite3.db');
      assert.match(problems[0]?.rule ?? '', /^its directory .*blocker\/db cannot be created: /);
    });

    it('reports a database path that is a directory', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'sqlite3.db'));
      const problems = await checkEnvironment(sqliteAt('sqlite3.db'), dir);
      assert.deepEqual(problems, [
        { path: 'core.database.path', value: 'sqlite3.db', rule: 'exists but is not a regular file' },
      ]);
    });

    it('reports a read-only directory when not running as root', { skip: process.getuid?.() === 0 }, async () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'ro'));
      chmodSync(join(dir, 'ro'), 0o500);
      const problems = await checkEnvironment(sqliteAt('ro/sqlite3.db'), dir);
      assert.match(problems[0]?.rule ?? '', /is not writable/);
    });

    it('leaves the in-memory database alone', async () => {
      assert.deepEqual(await checkEnvironment(sqliteAt(':memory:'), tempDir()), []);
    });
  });

  describe('with MySQL', () => {
    it('checks nothing on disk', async () => {
      const dir = tempDir();
      const config = configFrom('[core.database]\ndriver = "mysql"\npath = "mysql://u:p@localhost:3306/db"\n');
      assert.deepEqual(await checkEnvironment(config, dir), []);
      assert.equal(existsSync(join(dir, 'mysql:')), false);
    });
  });
});
