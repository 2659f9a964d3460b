import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration } from './configuration.js';
import {
  type ConfigProblem,
  type ConfigResult,
  DEFAULT_CONFIG_TOML_PATH,
  formatProblems,
  loadConfiguration,
  parseSocketAddress,
} from './loader.js';

const MINIMAL = `
[metadata]
schema_version = "2.0.0"

[logging]
threshold = "info"

[core]
listed = false
private = false
`;

const OVERRIDE = 'TORRUST_TRACKER_CONFIG_OVERRIDE_';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'config-loader-'));
}

function load(toml: string, env: NodeJS.ProcessEnv = {}): ConfigResult {
  return loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML: toml, ...env }, tempDir());
}

function loadOk(toml: string, env: NodeJS.ProcessEnv = {}): Configuration {
  const result = load(toml, env);
  if (!result.ok) assert.fail(formatProblems(result.problems, result.source));
  return result.config;
}

function loadProblems(toml: string, env: NodeJS.ProcessEnv = {}): readonly ConfigProblem[] {
  const result = load(toml, env);
  if (result.ok) assert.fail('expected configuration problems');
  return result.problems;
}

/** MINIMAL with extra TOML appended (tables after [core] belong to the document root). */
function withMinimal(extra: string): string {
  return `${MINIMAL}\n${extra}`;
}

function problemAt(problems: readonly ConfigProblem[], path: string): ConfigProblem {
  const found = problems.find((p) => p.path === path);
  if (!found) assert.fail(`no problem at ${path}; got:\n${formatProblems(problems)}`);
  return found;
}

describe('loadConfiguration', () => {
  describe('choosing the source', () => {
    it('reads TORRUST_TRACKER_CONFIG_TOML and ignores any file', () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'file.toml'), MINIMAL.replace('"info"', '"debug"'));
      const result = loadConfiguration(
        {
          TORRUST_TRACKER_CONFIG_TOML: MINIMAL.replace('"info"', '"warn"'),
          TORRUST_TRACKER_CONFIG_TOML_PATH: 'file.toml',
        },
        dir,
      );
      assert.ok(result.ok);
      assert.equal(result.config.logging.threshold, 'warn');
      assert.equal(result.source, 'environment variable TORRUST_TRACKER_CONFIG_TOML');
    });

    it('reads the file at TORRUST_TRACKER_CONFIG_TOML_PATH, relative to the working directory', () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'etc'));
      writeFileSync(join(dir, 'etc', 'tracker.toml'), MINIMAL.replace('"info"', '"debug"'));
      const result = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML_PATH: './etc/tracker.toml' }, dir);
      assert.ok(result.ok);
      assert.equal(result.config.logging.threshold, 'debug');
      assert.equal(result.source, './etc/tracker.toml');
    });

    it('reads an absolute TORRUST_TRACKER_CONFIG_TOML_PATH', () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'tracker.toml'), MINIMAL.replace('"info"', '"error"'));
      const result = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML_PATH: join(dir, 'tracker.toml') }, tempDir());
      assert.ok(result.ok);
      assert.equal(result.config.logging.threshold, 'error');
    });

    it('falls back to the development file under the working directory', () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'share/default/config'), { recursive: true });
      writeFileSync(join(dir, DEFAULT_CONFIG_TOML_PATH), MINIMAL.replace('"info"', '"trace"'));
      const result = loadConfiguration({}, dir);
      assert.ok(result.ok);
      assert.equal(result.config.logging.threshold, 'trace');
      assert.equal(result.source, DEFAULT_CONFIG_TOML_PATH);
    });

    it('treats a missing file as an empty document, so the mandatory options are missing', () => {
      const result = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML_PATH: 'nowhere.toml' }, tempDir());
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.deepEqual(
        result.problems.map((p) => p.path),
        ['metadata.schema_version', 'logging.threshold', 'core.private', 'core.listed'],
      );
      assert.match(result.source, /^nowhere\.toml \(file not found/);
    });

    it('loads a missing file when overrides give every mandatory option', () => {
      const result = loadConfiguration(
        {
          TORRUST_TRACKER_CONFIG_TOML_PATH: 'nowhere.toml',
          [`${OVERRIDE}METADATA__SCHEMA_VERSION`]: '2.0.0',
          [`${OVERRIDE}LOGGING__THRESHOLD`]: 'info',
          [`${OVERRIDE}CORE__PRIVATE`]: 'false',
          [`${OVERRIDE}CORE__LISTED`]: 'true',
        },
        tempDir(),
      );
      assert.ok(result.ok);
      assert.equal(result.config.core.listed, true);
      assert.equal(result.overrides.length, 4);
    });

    it('reports a file that cannot be read, naming it', () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'a-directory.toml'));
      const result = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML_PATH: 'a-directory.toml' }, dir);
      assert.ok(!result.ok);
      assert.equal(result.problems.length, 1);
      assert.equal(result.problems[0]?.path, 'a-directory.toml');
      assert.match(result.problems[0]?.rule ?? '', /^cannot be read: /);
    });
  });

  describe('the shipped configuration files', () => {
    const shipped = fileURLToPath(new URL('../../../share/default/config/', import.meta.url));
    const files = readdirSync(shipped).filter((name) => name.endsWith('.toml'));

    it('include the five Torrust file names', () => {
      assert.deepEqual(files.sort(), [
        'tracker.container.mysql.toml',
        'tracker.container.sqlite3.toml',
        'tracker.development.sqlite3.toml',
        'tracker.e2e.container.sqlite3.toml',
        'tracker.udp.benchmarking.toml',
      ]);
    });

    for (const name of files) {
      it(`loads ${name} without problems`, () => {
        const result = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML_PATH: join(shipped, name) }, tempDir());
        if (!result.ok) assert.fail(formatProblems(result.problems, result.source));
      });
    }

    it('configures the development file as the issue asks (API on loopback only)', () => {
      const result = loadConfiguration({
        TORRUST_TRACKER_CONFIG_TOML_PATH: join(shipped, 'tracker.development.sqlite3.toml'),
      });
      assert.ok(result.ok);
      const { config } = result;
      assert.equal(config.logging.threshold, 'info');
      assert.deepEqual(
        config.udpTrackers.map((u) => u.bindAddress.text),
        ['0.0.0.0:6969'],
      );
      assert.deepEqual(
        config.httpTrackers.map((h) => h.bindAddress.text),
        ['0.0.0.0:7070'],
      );
      assert.equal(config.httpApi?.bindAddress.text, '127.0.0.1:1212');
      assert.deepEqual(config.httpApi?.accessTokens, { admin: 'MyAccessToken' });
      assert.equal(config.healthCheckApi.bindAddress.text, '127.0.0.1:1313');
      assert.deepEqual(config.core.database, { driver: 'sqlite3', path: './storage/tracker/lib/database/sqlite3.db' });
    });

    it('points the MySQL container file at the compose database', () => {
      const result = loadConfiguration({
        TORRUST_TRACKER_CONFIG_TOML_PATH: join(shipped, 'tracker.container.mysql.toml'),
      });
      assert.ok(result.ok);
      assert.deepEqual(result.config.core.database, {
        driver: 'mysql',
        path: 'mysql://db_user:db_user_secret_password@mysql:3306/torrust_tracker',
      });
    });
  });

  describe('given only the mandatory options', () => {
    it('applies the documented default of every other key', () => {
      const config = loadOk(MINIMAL);
      const expected: Configuration = {
        metadata: { app: 'torrust-tracker', purpose: 'configuration', schemaVersion: '2.0.0' },
        logging: { threshold: 'info', style: 'text' },
        core: {
          inactivePeerCleanupInterval: 600,
          listed: false,
          private: false,
          trackerUsageStatistics: true,
          announcePolicy: { interval: 120, intervalMin: 120, maxPeersPerAnnounce: 74 },
          database: { driver: 'sqlite3', path: './storage/tracker/lib/database/sqlite3.db' },
          net: { externalIp: null, onReverseProxy: false, reverseProxyHeader: 'x-forwarded-for' },
          privateMode: null,
          trackerPolicy: { maxPeerTimeout: 900, persistentTorrentCompletedStat: false, removePeerlessTorrents: true },
        },
        udpTrackers: [],
        udpTrackerServer: { connectionIdSecret: '', maxConnectionIdErrorsPerIp: 10, ipBansResetIntervalInSecs: 3600 },
        httpTrackers: [],
        httpApi: null,
        healthCheckApi: { bindAddress: { host: '127.0.0.1', port: 1313, family: 4, text: '127.0.0.1:1313' } },
        shutdown: { drainDelayInSecs: 0, gracePeriodInSecs: 10 },
        forwarders: [],
        forwarding: {
          workers: 8,
          queueSize: 10_000,
          timeoutInSecs: 5,
          maxRetries: 2,
          retryBaseDelayInSecs: 1,
          retryMaxDelayInSecs: 30,
          suspendAfterFailures: 5,
          suspensionInSecs: 30,
          maxSuspensionInSecs: 600,
          forwardersFile: null,
        },
      };
      assert.deepEqual(config, expected);
    });

    it('reads the extensions [logging] style and [shutdown], and refuses bad values', () => {
      const config = loadOk(
        withMinimal('[shutdown]\ndrain_delay_in_secs = 5\ngrace_period_in_secs = 30\n').replace(
          'threshold = "info"',
          'threshold = "info"\nstyle = "json"',
        ),
      );
      assert.equal(config.logging.style, 'json');
      assert.deepEqual(config.shutdown, { drainDelayInSecs: 5, gracePeriodInSecs: 30 });
      const bad = loadConfiguration(
        {
          TORRUST_TRACKER_CONFIG_TOML: withMinimal('[shutdown]\ngrace_period_in_secs = 0\n').replace(
            'threshold = "info"',
            'threshold = "info"\nstyle = "xml"',
          ),
        },
        '/',
      );
      assert.equal(bad.ok, false);
      if (!bad.ok) {
        assert.deepEqual(bad.problems.map((p) => p.path).sort(), ['logging.style', 'shutdown.grace_period_in_secs']);
      }
    });

    it('gives listeners declared without keys their default addresses', () => {
      const config = loadOk(withMinimal('[[udp_trackers]]\n[[http_trackers]]\n[http_api]\n'));
      assert.equal(config.udpTrackers[0]?.bindAddress.text, '0.0.0.0:6969');
      assert.equal(config.udpTrackers[0]?.cookieLifetime, 120);
      assert.equal(config.httpTrackers[0]?.bindAddress.text, '0.0.0.0:7070');
      assert.equal(config.httpTrackers[0]?.tls, null);
      assert.equal(config.httpApi?.bindAddress.text, '127.0.0.1:1212');
      assert.deepEqual(config.httpApi?.accessTokens, {});
    });

    it('ignores unknown keys', () => {
      const config = loadOk(withMinimal('[whatever]\nx = 1\n[core.net]\nsomething_new = true\n'));
      assert.equal(config.core.net.onReverseProxy, false);
    });
  });

  describe('reading values', () => {
    it('reads every key of every table', () => {
      const config = loadOk(`
[metadata]
app = "torrust-tracker"
purpose = "configuration"
schema_version = "2.0.0"
[logging]
threshold = "trace"
[core]
inactive_peer_cleanup_interval = 0
listed = true
private = true
tracker_usage_statistics = false
[core.announce_policy]
interval = 300
interval_min = 60
max_peers_per_announce = 50
[core.database]
driver = "mysql"
path = "mysql://user:p%40ss@db.example:3307/tracker"
[core.net]
external_ip = "203.0.113.7"
on_reverse_proxy = true
[core.private_mode]
check_keys_expiration = false
[core.tracker_policy]
max_peer_timeout = 1800
persistent_torrent_completed_stat = true
remove_peerless_torrents = false
[[udp_trackers]]
bind_address = "[::]:6969"
cookie_lifetime = 300
[[udp_trackers]]
bind_address = "127.0.0.1:0"
[udp_tracker_server]
connection_id_secret = "shared"
max_connection_id_errors_per_ip = 3
ip_bans_reset_interval_in_secs = 60
[[http_trackers]]
bind_address = "0.0.0.0:7443"
[http_trackers.tsl_config]
ssl_cert_path = "./cert.pem"
ssl_key_path = "./key.pem"
[http_api]
bind_address = "[::1]:1212"
[http_api.access_tokens]
admin = "a"
reader = "b"
[health_check_api]
bind_address = "0.0.0.0:1313"
`);
      assert.equal(config.logging.threshold, 'trace');
      assert.deepEqual(config.core, {
        inactivePeerCleanupInterval: 0,
        listed: true,
        private: true,
        trackerUsageStatistics: false,
        announcePolicy: { interval: 300, intervalMin: 60, maxPeersPerAnnounce: 50 },
        database: { driver: 'mysql', path: 'mysql://user:p%40ss@db.example:3307/tracker' },
        net: { externalIp: '203.0.113.7', onReverseProxy: true, reverseProxyHeader: 'x-forwarded-for' },
        privateMode: { checkKeysExpiration: false },
        trackerPolicy: { maxPeerTimeout: 1800, persistentTorrentCompletedStat: true, removePeerlessTorrents: false },
      });
      assert.deepEqual(config.udpTrackers, [
        { bindAddress: { host: '::', port: 6969, family: 6, text: '[::]:6969' }, cookieLifetime: 300 },
        { bindAddress: { host: '127.0.0.1', port: 0, family: 4, text: '127.0.0.1:0' }, cookieLifetime: 120 },
      ]);
      assert.deepEqual(config.udpTrackerServer, {
        connectionIdSecret: 'shared',
        maxConnectionIdErrorsPerIp: 3,
        ipBansResetIntervalInSecs: 60,
      });
      assert.deepEqual(config.httpTrackers[0]?.tls, { certPath: './cert.pem', keyPath: './key.pem' });
      assert.equal(config.httpApi?.bindAddress.text, '[::1]:1212');
      assert.deepEqual(config.httpApi?.accessTokens, { admin: 'a', reader: 'b' });
      assert.equal(config.healthCheckApi.bindAddress.text, '0.0.0.0:1313');
    });

    describe('external_ip', () => {
      for (const unset of ['0.0.0.0', '::', '0:0::0']) {
        it(`treats ${unset} as not set (null)`, () => {
          const config = loadOk(withMinimal(`[core.net]\nexternal_ip = "${unset}"\n`));
          assert.equal(config.core.net.externalIp, null);
        });
      }

      it('keeps a concrete IPv6 address, in canonical form', () => {
        const config = loadOk(withMinimal('[core.net]\nexternal_ip = "2001:DB8:0:0::1"\n'));
        assert.equal(config.core.net.externalIp, '2001:db8::1');
      });
    });
  });

  describe('environment overrides', () => {
    it('override booleans, integers and strings, lower-casing the path', () => {
      const config = loadOk(MINIMAL, {
        [`${OVERRIDE}CORE__LISTED`]: 'true',
        [`${OVERRIDE}CORE__ANNOUNCE_POLICY__INTERVAL`]: '42',
        [`${OVERRIDE}LOGGING__THRESHOLD`]: 'debug',
      });
      assert.equal(config.core.listed, true);
      assert.equal(config.core.announcePolicy.interval, 42);
      assert.equal(config.logging.threshold, 'debug');
    });

    it('win over the TOML document', () => {
      const config = loadOk(withMinimal('[core.database]\ndriver = "sqlite3"\npath = "a.db"\n'), {
        [`${OVERRIDE}CORE__DATABASE__DRIVER`]: 'mysql',
        [`${OVERRIDE}CORE__DATABASE__PATH`]: 'mysql://root:secret@localhost:3306/tracker',
      });
      assert.deepEqual(config.core.database, { driver: 'mysql', path: 'mysql://root:secret@localhost:3306/tracker' });
    });

    it('replace an API access token', () => {
      const config = loadOk(withMinimal('[http_api]\n[http_api.access_tokens]\nadmin = "MyAccessToken"\n'), {
        [`${OVERRIDE}HTTP_API__ACCESS_TOKENS__ADMIN`]: 'NewToken',
      });
      assert.deepEqual(config.httpApi?.accessTokens, { admin: 'NewToken' });
    });

    it('read a numeric-looking value as text where a string is expected', () => {
      const config = loadOk(withMinimal('[http_api]\n'), { [`${OVERRIDE}HTTP_API__ACCESS_TOKENS__ADMIN`]: '12345' });
      assert.deepEqual(config.httpApi?.accessTokens, { admin: '12345' });
    });

    it('unquote a quoted string', () => {
      const config = loadOk(withMinimal('[http_api]\n'), { [`${OVERRIDE}HTTP_API__ACCESS_TOKENS__ADMIN`]: '"true"' });
      assert.deepEqual(config.httpApi?.accessTokens, { admin: 'true' });
    });

    it('create missing tables', () => {
      const config = loadOk(MINIMAL, {
        [`${OVERRIDE}HTTP_API__BIND_ADDRESS`]: '127.0.0.1:9999',
        [`${OVERRIDE}CORE__PRIVATE_MODE__CHECK_KEYS_EXPIRATION`]: 'false',
        [`${OVERRIDE}CORE__PRIVATE`]: 'true',
      });
      assert.equal(config.httpApi?.bindAddress.text, '127.0.0.1:9999');
      assert.deepEqual(config.core.privateMode, { checkKeysExpiration: false });
    });

    describe('addressing arrays of tables by index (extension)', () => {
      const twoUdp = withMinimal(
        '[[udp_trackers]]\nbind_address = "0.0.0.0:6969"\n[[udp_trackers]]\nbind_address = "0.0.0.0:6970"\n',
      );

      it('change an existing entry', () => {
        const config = loadOk(twoUdp, { [`${OVERRIDE}UDP_TRACKERS__1__BIND_ADDRESS`]: '127.0.0.1:0' });
        assert.deepEqual(
          config.udpTrackers.map((u) => u.bindAddress.text),
          ['0.0.0.0:6969', '127.0.0.1:0'],
        );
      });

      it('append an entry at the next index, creating the array if needed', () => {
        const config = loadOk(MINIMAL, {
          [`${OVERRIDE}HTTP_TRACKERS__0__BIND_ADDRESS`]: '127.0.0.1:7071',
          [`${OVERRIDE}UDP_TRACKERS__0__COOKIE_LIFETIME`]: '60',
        });
        assert.deepEqual(
          config.httpTrackers.map((h) => h.bindAddress.text),
          ['127.0.0.1:7071'],
        );
        assert.deepEqual(
          config.udpTrackers.map((u) => [u.bindAddress.text, u.cookieLifetime]),
          [['0.0.0.0:6969', 60]],
        );
      });

      it('refuse an index that would leave a gap', () => {
        const problems = loadProblems(twoUdp, { [`${OVERRIDE}UDP_TRACKERS__5__BIND_ADDRESS`]: '127.0.0.1:0' });
        const problem = problemAt(problems, `${OVERRIDE}UDP_TRACKERS__5__BIND_ADDRESS`);
        assert.match(problem.rule, /udp_trackers has 2 entries; index 5 would leave a gap/);
      });

      it('refuse a key where an index is needed', () => {
        const problems = loadProblems(twoUdp, { [`${OVERRIDE}UDP_TRACKERS__BIND_ADDRESS`]: '127.0.0.1:0' });
        assert.match(problemAt(problems, `${OVERRIDE}UDP_TRACKERS__BIND_ADDRESS`).rule, /is an array/);
      });
    });

    it('name the variable when its value is invalid', () => {
      const problems = loadProblems(MINIMAL, { [`${OVERRIDE}CORE__LISTED`]: 'yes' });
      assert.deepEqual(problems, [
        { path: 'core.listed', value: 'yes', rule: `is not a boolean (set by ${OVERRIDE}CORE__LISTED)` },
      ]);
    });

    it('refuse a path through a value that is not a table', () => {
      const problems = loadProblems(MINIMAL, { [`${OVERRIDE}CORE__LISTED__X`]: '1' });
      assert.match(problemAt(problems, `${OVERRIDE}CORE__LISTED__X`).rule, /core\.listed is not a table/);
    });

    it('refuse an empty path segment', () => {
      const problems = loadProblems(MINIMAL, { [`${OVERRIDE}CORE____LISTED`]: 'true' });
      assert.match(problemAt(problems, `${OVERRIDE}CORE____LISTED`).rule, /empty path segment/);
    });
  });

  describe('when a mandatory option is missing', () => {
    const cases: Array<[string, string]> = [
      ['metadata.schema_version', MINIMAL.replace('schema_version = "2.0.0"', '')],
      ['logging.threshold', MINIMAL.replace('threshold = "info"', '')],
      ['core.private', MINIMAL.replace('private = false', '')],
      ['core.listed', MINIMAL.replace('listed = false', '')],
    ];
    for (const [path, toml] of cases) {
      it(`reports ${path} with Torrust's text`, () => {
        assert.deepEqual(loadProblems(toml), [
          { path, rule: `Missing mandatory configuration option. Option path: ${path}` },
        ]);
      });
    }
  });

  describe('when the schema version is not 2.0.0', () => {
    it("reports Torrust's unsupported version text", () => {
      assert.deepEqual(loadProblems(MINIMAL.replace('"2.0.0"', '"3.0.0"')), [
        { path: 'metadata.schema_version', rule: 'Unsupported configuration version: 3.0.0' },
      ]);
    });
  });

  describe('when a value is invalid', () => {
    it('reports unparsable TOML once, naming the source and the position', () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'broken.toml'), '[core]\nlisted = \n');
      const result = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML_PATH: 'broken.toml' }, dir);
      assert.ok(!result.ok);
      assert.equal(result.problems.length, 1);
      assert.equal(result.problems[0]?.path, 'broken.toml');
      assert.match(result.problems[0]?.rule ?? '', /^is not valid TOML: .+ \(line 2, column \d+\)$/);
    });

    it('reports a wrong type with the value', () => {
      const problems = loadProblems(MINIMAL.replace('listed = false', 'listed = "yes"'));
      assert.deepEqual(problems, [{ path: 'core.listed', value: 'yes', rule: 'is not a boolean' }]);
      assert.equal(formatProblems(problems).split('\n')[1], '  core.listed: "yes" is not a boolean');
    });

    it('reports a table given where a scalar is expected, and a scalar where a table is', () => {
      const problems = loadProblems(`http_api = 5\nudp_trackers = "x"\n${MINIMAL}`);
      assert.equal(problemAt(problems, 'http_api').rule, 'is not a table');
      assert.equal(problemAt(problems, 'udp_trackers').rule, 'is not an array of tables');
    });

    describe('socket addresses', () => {
      const bad: Array<[string, RegExp]> = [
        ['0.0.0.0:70000', /port must be 0-65535/],
        ['localhost:6969', /host names are not accepted/],
        ['tracker.example.com:6969', /host names are not accepted/],
        ['0.0.0.0', /expected ip:port/],
        [':::6969', /in brackets/],
        ['[::1]6969', /expected \[ipv6\]:port/],
        ['[fe80::1%eth0]:6969', /not an IPv6 address/],
        ['256.0.0.1:6969', /not an IPv4 address/],
        ['0.0.0.0:-1', /port must be a number/],
      ];
      for (const [text, reason] of bad) {
        it(`rejects ${text}`, () => {
          const problems = loadProblems(withMinimal(`[[udp_trackers]]\nbind_address = "${text}"\n`));
          const problem = problemAt(problems, 'udp_trackers[0].bind_address');
          assert.equal(problem.value, text);
          assert.match(problem.rule, /^is not a valid socket address \(/);
          assert.match(problem.rule, reason);
        });
      }

      it('accepts IPv4, bracketed IPv6 and port 0', () => {
        assert.deepEqual(parseSocketAddress('[::]:6969'), { host: '::', port: 6969, family: 6, text: '[::]:6969' });
        assert.deepEqual(parseSocketAddress('[::ffff:7f00:1]:1'), {
          host: '::ffff:127.0.0.1',
          port: 1,
          family: 6,
          text: '[::ffff:127.0.0.1]:1',
        });
        assert.deepEqual(parseSocketAddress('127.0.0.1:0'), {
          host: '127.0.0.1',
          port: 0,
          family: 4,
          text: '127.0.0.1:0',
        });
      });
    });

    it('reports integers out of range, negative or fractional', () => {
      const problems = loadProblems(
        withMinimal(`
[core.announce_policy]
interval = 4294967296
interval_min = -1
max_peers_per_announce = 0
[core.tracker_policy]
max_peer_timeout = 1.5
[udp_tracker_server]
ip_bans_reset_interval_in_secs = 99999999999999999999
`),
      );
      assert.match(problemAt(problems, 'core.announce_policy.interval').rule, /from 0 to 4294967295/);
      assert.equal(problemAt(problems, 'core.announce_policy.interval_min').value, -1);
      assert.match(problemAt(problems, 'core.announce_policy.max_peers_per_announce').rule, /from 1 to/);
      assert.equal(problemAt(problems, 'core.tracker_policy.max_peer_timeout').rule, 'is not an integer');
      assert.match(problemAt(problems, 'udp_tracker_server.ip_bans_reset_interval_in_secs').rule, /out of range/);
    });

    it('reports an unknown database driver', () => {
      const problems = loadProblems(withMinimal('[core.database]\ndriver = "postgresql"\n'));
      assert.deepEqual(problems, [
        {
          path: 'core.database.driver',
          value: 'postgresql',
          rule: 'is not a supported driver (sqlite3, mysql)',
        },
      ]);
    });

    describe('MySQL paths', () => {
      const bad = [
        './storage/sqlite3.db',
        'postgres://u:p@host:5432/db',
        'mysql://u:p@host:3306',
        'mysql://u:p@host:3306/db/extra',
      ];
      for (const path of bad) {
        it(`rejects ${path}`, () => {
          const problems = loadProblems(withMinimal(`[core.database]\ndriver = "mysql"\npath = "${path}"\n`));
          assert.match(problemAt(problems, 'core.database.path').rule, /^is not a valid MySQL URL: /);
        });
      }

      it('accepts a percent-encoded user and password', () => {
        const config = loadOk(
          withMinimal('[core.database]\ndriver = "mysql"\npath = "mysql://us%3Aer:p%40ss%2Fword@db:3306/tracker"\n'),
        );
        assert.equal(config.core.database.driver, 'mysql');
      });

      it('rejects the default SQLite path when only the driver is switched to mysql', () => {
        const problems = loadProblems(withMinimal('[core.database]\ndriver = "mysql"\n'));
        assert.equal(problemAt(problems, 'core.database.path').value, './storage/tracker/lib/database/sqlite3.db');
      });
    });

    describe('the private_mode section', () => {
      it('is refused when core.private is false, with Torrust text', () => {
        assert.deepEqual(loadProblems(withMinimal('[core.private_mode]\ncheck_keys_expiration = true\n')), [
          {
            path: 'core.private_mode',
            rule: 'set, but core.private is false: Private mode section in configuration can only be included when the tracker is running in private mode.',
          },
        ]);
      });

      it('is accepted when core.private is true', () => {
        const config = loadOk(
          withMinimal('[core.private_mode]\ncheck_keys_expiration = false\n').replace(
            'private = false',
            'private = true',
          ),
        );
        assert.deepEqual(config.core.privateMode, { checkKeysExpiration: false });
      });
    });

    it('reports an unknown log threshold', () => {
      const problems = loadProblems(MINIMAL.replace('"info"', '"verbose"'));
      assert.deepEqual(problems, [
        {
          path: 'logging.threshold',
          value: 'verbose',
          rule: 'is not a log threshold (off, error, warn, info, debug, trace)',
        },
      ]);
    });

    for (const ip of ['example.com', '1.2.3', '', '10.0.0.1/8']) {
      it(`reports external_ip = "${ip}"`, () => {
        const problems = loadProblems(withMinimal(`[core.net]\nexternal_ip = "${ip}"\n`));
        assert.deepEqual(problems, [{ path: 'core.net.external_ip', value: ip, rule: 'is not an IP address' }]);
      });
    }

    it('reports a tsl_config without both paths', () => {
      const problems = loadProblems(
        withMinimal(
          '[[http_trackers]]\n[http_trackers.tsl_config]\nssl_cert_path = "cert.pem"\n[http_api]\n[http_api.tsl_config]\n',
        ),
      );
      assert.deepEqual(
        problems.map((p) => p.path),
        [
          'http_trackers[0].tsl_config.ssl_key_path',
          'http_api.tsl_config.ssl_cert_path',
          'http_api.tsl_config.ssl_key_path',
        ],
      );
    });

    it('reports an empty API access token', () => {
      const problems = loadProblems(withMinimal('[http_api.access_tokens]\nadmin = ""\n'));
      assert.deepEqual(
        problems.map((p) => p.path),
        ['http_api.access_tokens.admin'],
      );
    });

    it('reports metadata app and purpose other than Torrust values', () => {
      const problems = loadProblems(MINIMAL.replace('[metadata]', '[metadata]\napp = "other"\npurpose = "x"'));
      assert.deepEqual(
        problems.map((p) => p.path),
        ['metadata.app', 'metadata.purpose'],
      );
    });
  });

  describe('when several values are invalid', () => {
    const toml = `
[metadata]
schema_version = "2.0.0"
[logging]
threshold = "loud"
[core]
listed = "yes"
private = false
[core.private_mode]
check_keys_expiration = true
[core.database]
driver = "oracle"
[[udp_trackers]]
bind_address = "0.0.0.0:70000"
[[http_trackers]]
bind_address = "localhost:7070"
`;

    it('reports every problem, not only the first', () => {
      assert.deepEqual(
        loadProblems(toml).map((p) => p.path),
        [
          'logging.threshold',
          'core.database.driver',
          'core.listed',
          'udp_trackers[0].bind_address',
          'http_trackers[0].bind_address',
          'core.private_mode',
        ],
      );
    });

    it('formats them one per line, with the source', () => {
      const result = load(toml);
      assert.ok(!result.ok);
      assert.equal(
        formatProblems(result.problems, result.source),
        [
          'Invalid configuration (6 problems) from environment variable TORRUST_TRACKER_CONFIG_TOML:',
          '  logging.threshold: "loud" is not a log threshold (off, error, warn, info, debug, trace)',
          '  core.database.driver: "oracle" is not a supported driver (sqlite3, mysql)',
          '  core.listed: "yes" is not a boolean',
          '  udp_trackers[0].bind_address: "0.0.0.0:70000" is not a valid socket address (port must be 0-65535)',
          '  http_trackers[0].bind_address: "localhost:7070" is not a valid socket address (the host must be an IP address; host names are not accepted)',
          '  core.private_mode: set, but core.private is false: Private mode section in configuration can only be included when the tracker is running in private mode.',
        ].join('\n'),
      );
    });

    it('says "1 problem" for one', () => {
      assert.match(formatProblems([{ path: 'a', rule: 'b' }]), /^Invalid configuration \(1 problem\):\n {2}a: b$/);
    });
  });

  describe('problems never show a secret', () => {
    it('masks tokens, the connection id secret and the MySQL password', () => {
      const problems = loadProblems(
        withMinimal(`
[core.database]
driver = "mysql"
path = "mysql://root:hunter2@db:3306"
[udp_tracker_server]
connection_id_secret = 123456
[http_api.access_tokens]
admin = 987654
`),
      );
      const text = formatProblems(problems);
      assert.equal(problems.length, 3);
      for (const secret of ['hunter2', '123456', '987654']) assert.ok(!text.includes(secret), text);
      assert.match(text, /core\.database\.path: "mysql:\/\/root:\*\*\*@db:3306" is not a valid MySQL URL/);
      assert.match(text, /udp_tracker_server\.connection_id_secret: "\*\*\*" is not a string/);
      assert.match(text, /http_api\.access_tokens\.admin: "\*\*\*" is not a string/);
    });

    it('masks a secret set by an override', () => {
      const problems = loadProblems(MINIMAL, {
        [`${OVERRIDE}CORE__DATABASE__DRIVER`]: 'mysql',
        [`${OVERRIDE}CORE__DATABASE__PATH`]: 'mysql://root:hunter2@db',
      });
      assert.ok(!formatProblems(problems).includes('hunter2'));
    });
  });

  describe('announce forwarding (extension)', () => {
    it('reads [[forwarders]] and [forwarding], names defaulting to the uri host[:port]', () => {
      const config = loadOk(
        withMinimal(`
[forwarding]
workers = 4
queue_size = 100
timeout_in_secs = 0.5
max_retries = 0
retry_base_delay_in_secs = 0.25
retry_max_delay_in_secs = 2
suspend_after_failures = 3
suspension_in_secs = 10
max_suspension_in_secs = 60
[[forwarders]]
uri = "udp://tracker.example:6969/announce"
ip = "198.51.100.7"
[[forwarders]]
uri = "http://[2001:db8::1]:8080/announce"
host = "retracker.local"
name = "lan"
[[forwarders]]
uri = "https://tracker.example/announce?passkey=abc"
`),
      );
      assert.deepEqual(config.forwarding, {
        workers: 4,
        queueSize: 100,
        timeoutInSecs: 0.5,
        maxRetries: 0,
        retryBaseDelayInSecs: 0.25,
        retryMaxDelayInSecs: 2,
        suspendAfterFailures: 3,
        suspensionInSecs: 10,
        maxSuspensionInSecs: 60,
        forwardersFile: null,
      });
      assert.deepEqual(config.forwarders, [
        {
          name: 'tracker.example:6969',
          uri: 'udp://tracker.example:6969/announce',
          protocol: 'udp',
          hostname: 'tracker.example',
          port: 6969,
          ip: '198.51.100.7',
          host: null,
          fromFile: false,
        },
        {
          name: 'lan',
          uri: 'http://[2001:db8::1]:8080/announce',
          protocol: 'http',
          hostname: '2001:db8::1',
          port: 8080,
          ip: null,
          host: 'retracker.local',
          fromFile: false,
        },
        {
          name: 'tracker.example',
          uri: 'https://tracker.example/announce?passkey=abc',
          protocol: 'https',
          hostname: 'tracker.example',
          port: 443,
          ip: null,
          host: null,
          fromFile: false,
        },
      ]);
    });

    it('is off without forwarders', () => {
      assert.deepEqual(loadOk(MINIMAL).forwarders, []);
    });

    it('makes derived names unique and refuses a duplicate explicit name', () => {
      const config = loadOk(
        withMinimal(
          '[[forwarders]]\nuri = "http://h:1/announce"\n[[forwarders]]\nuri = "http://h:1/announce"\nip = "10.0.0.1"\n',
        ),
      );
      assert.deepEqual(
        config.forwarders.map((f) => f.name),
        ['h:1', 'h:1#2'],
      );
      const problems = loadProblems(
        withMinimal('[[forwarders]]\nuri = "udp://a:1"\nname = "x"\n[[forwarders]]\nuri = "udp://b:1"\nname = "x"\n'),
      );
      assert.equal(problemAt(problems, 'forwarders[1].name').rule, 'is already the name of forwarders[0]');
    });

    it('names every invalid entry, with every other problem', () => {
      const problems = loadProblems(
        withMinimal(`
[core.net]
reverse_proxy_header = "forwarded"
[forwarding]
workers = 0
timeout_in_secs = -1
retry_base_delay_in_secs = 5
retry_max_delay_in_secs = 1
[[forwarders]]
uri = "http://ok.example/announce"
[[forwarders]]
uri = "ftp://x"
[[forwarders]]
uri = "udp://no-port.example/announce"
[[forwarders]]
uri = "udp://t.example:6969"
ip = "2001:db8::1"
host = "x"
[[forwarders]]
ip = "not-an-ip"
[[forwarders]]
uri = "not a url"
`),
      );
      const text = formatProblems(problems);
      assert.match(text, /^ {2}forwarders\[1\]\.uri: "ftp:\/\/x" is not an http, https or udp URL$/m);
      assert.match(text, /^ {2}forwarders\[2\]\.uri: "udp:\/\/no-port\.example\/announce" needs a port/m);
      assert.match(text, /^ {2}forwarders\[3\]\.ip: "2001:db8::1" must be an IPv4 address for a udp forwarder/m);
      assert.match(text, /^ {2}forwarders\[3\]\.host: "x" is only used by http and https forwarders$/m);
      assert.match(text, /^ {2}forwarders\[4\]\.uri: is missing/m);
      assert.match(text, /^ {2}forwarders\[4\]\.ip: "not-an-ip" is not an IP address$/m);
      assert.match(text, /^ {2}forwarders\[5\]\.uri: "not a url" is not a URL/m);
      assert.match(text, /^ {2}forwarding\.workers: 0 is out of range/m);
      assert.match(text, /^ {2}forwarding\.timeout_in_secs: -1 is out of range/m);
      assert.match(text, /^ {2}forwarding\.retry_max_delay_in_secs: 1 must not be less than retry_base_delay_in_secs/m);
      assert.match(text, /^ {2}core\.net\.reverse_proxy_header: "forwarded" is not a supported header/m);
      assert.ok(!problems.some((p) => p.path.startsWith('forwarders[0]')));
    });

    it('masks a passkey in a bad uri', () => {
      const problems = loadProblems(
        withMinimal('[[forwarders]]\nuri = "ftp://t.example/announce/0123456789abcdef0123"\n'),
      );
      assert.equal(problemAt(problems, 'forwarders[0].uri').value, 'ftp://t.example/announce/***');
    });

    it('takes forwarders and settings from overrides', () => {
      const config = loadOk(MINIMAL, {
        [`${OVERRIDE}FORWARDERS__0__URI`]: 'udp://127.0.0.1:6969',
        [`${OVERRIDE}FORWARDING__TIMEOUT_IN_SECS`]: '1.5',
        [`${OVERRIDE}CORE__NET__REVERSE_PROXY_HEADER`]: 'x-real-ip',
      });
      assert.equal(config.forwarders[0]?.uri, 'udp://127.0.0.1:6969');
      assert.equal(config.forwarding.timeoutInSecs, 1.5);
      assert.equal(config.core.net.reverseProxyHeader, 'x-real-ip');
    });

    describe('forwarders_file (retracker forwarders.yml)', () => {
      function withFile(yaml: string, toml = ''): ConfigResult {
        const dir = tempDir();
        writeFileSync(join(dir, 'forwarders.yml'), yaml);
        return loadConfiguration(
          { TORRUST_TRACKER_CONFIG_TOML: withMinimal(`[forwarding]\nforwarders_file = "forwarders.yml"\n${toml}`) },
          dir,
        );
      }

      it('adds its entries after the [[forwarders]], relative to the working directory', () => {
        const result = withFile(
          [
            '# retracker forwarders',
            '- uri: http://1.2.3.4:8080/announce',
            '- uri: "http://5.6.7.8:8080/announce"',
            "  ip: '192.168.1.15' # announce a different client IP",
            '  host: retracker.local',
            '-',
            '  uri: udp://9.9.9.9:6969',
            '  name: nine',
          ].join('\n'),
          '[[forwarders]]\nuri = "udp://10.0.0.1:6969"\n',
        );
        if (!result.ok) assert.fail(formatProblems(result.problems));
        assert.deepEqual(
          result.config.forwarders.map((f) => [f.name, f.uri, f.ip, f.host, f.fromFile]),
          [
            ['10.0.0.1:6969', 'udp://10.0.0.1:6969', null, null, false],
            ['1.2.3.4:8080', 'http://1.2.3.4:8080/announce', null, null, true],
            ['5.6.7.8:8080', 'http://5.6.7.8:8080/announce', '192.168.1.15', 'retracker.local', true],
            ['nine', 'udp://9.9.9.9:6969', null, null, true],
          ],
        );
        assert.equal(result.config.forwarding.forwardersFile, 'forwarders.yml');
      });

      it('accepts an empty file or []', () => {
        for (const yaml of ['', '# nothing\n', '[]\n', '---\n[]\n']) {
          const result = withFile(yaml);
          assert.ok(result.ok, yaml);
          assert.deepEqual(result.config.forwarders, []);
        }
      });

      it('names the line of YAML it does not support, and the entry of a bad value', () => {
        const unsupported = withFile('- uri: http://a/announce\nname: x\n');
        assert.ok(!unsupported.ok);
        assert.match(
          formatProblems(unsupported.problems),
          /forwarding\.forwarders_file: "forwarders\.yml" is not a supported forwarders\.yml: line 2: expected a list item/,
        );
        const flow = withFile('- uri: [a, b]\n');
        assert.ok(!flow.ok);
        assert.match(formatProblems(flow.problems), /line 1: the value of "uri" is not a plain or quoted string/);
        const bad = withFile('- uri: http://a/announce\n- uri: gopher://b\n');
        assert.ok(!bad.ok);
        assert.equal(problemAt(bad.problems, 'forwarders.yml[1].uri').rule, 'is not an http, https or udp URL');
      });

      it('reports a file that cannot be read', () => {
        const result = loadConfiguration(
          { TORRUST_TRACKER_CONFIG_TOML: withMinimal('[forwarding]\nforwarders_file = "missing.yml"\n') },
          tempDir(),
        );
        assert.ok(!result.ok);
        assert.match(problemAt(result.problems, 'forwarding.forwarders_file').rule, /^cannot be read: ENOENT/);
      });
    });
  });
});
