import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'smol-toml';
import type { Configuration } from './configuration.js';
import { formatProblems, loadConfiguration } from './loader.js';
import { maskForwarderUri, maskSecrets, maskUrlPassword } from './mask.js';

function configFrom(toml: string): Configuration {
  const result = loadConfiguration({ TORRUST_TRACKER_CONFIG_TOML: toml }, mkdtempSync(join(tmpdir(), 'config-mask-')));
  if (!result.ok) assert.fail(formatProblems(result.problems, result.source));
  return result.config;
}

const WITH_SECRETS = `
[metadata]
schema_version = "2.0.0"
[logging]
threshold = "info"
[core]
listed = false
private = true
[core.database]
driver = "mysql"
path = "mysql://db_user:db_user_secret_password@mysql:3306/torrust_tracker"
[core.net]
external_ip = "203.0.113.7"
[core.private_mode]
check_keys_expiration = false
[[udp_trackers]]
bind_address = "0.0.0.0:6969"
[udp_tracker_server]
connection_id_secret = "the-shared-cookie-key"
[[http_trackers]]
bind_address = "0.0.0.0:7443"
[http_trackers.tsl_config]
ssl_cert_path = "cert.pem"
ssl_key_path = "key.pem"
[http_api]
bind_address = "127.0.0.1:1212"
[http_api.access_tokens]
admin = "MyAccessToken"
backup = "AnotherSecretToken"
[[forwarders]]
uri = "https://user:forwarder_password@private.example/announce/forwarder_passkey_0123456789"
[[forwarders]]
uri = "http://other.example:8080/announce.php?uk=other_passkey&info=1"
ip = "198.51.100.7"
host = "other.example"
`;

describe('maskSecrets', () => {
  describe('given a configuration with every kind of secret', () => {
    const masked = maskSecrets(configFrom(WITH_SECRETS));
    const json = JSON.stringify(masked);

    it('hides every secret', () => {
      for (const secret of [
        'db_user_secret_password',
        'the-shared-cookie-key',
        'MyAccessToken',
        'AnotherSecretToken',
        'forwarder_password',
        'forwarder_passkey',
        'other_passkey',
      ]) {
        assert.ok(!json.includes(secret), `${secret} leaked: ${json}`);
      }
    });

    it('replaces them with *** and keeps everything else', () => {
      assert.deepEqual(masked, {
        metadata: { app: 'torrust-tracker', purpose: 'configuration', schema_version: '2.0.0' },
        logging: { threshold: 'info', style: 'text' },
        core: {
          inactive_peer_cleanup_interval: 600,
          listed: false,
          private: true,
          tracker_usage_statistics: true,
          announce_policy: { interval: 120, interval_min: 120, max_peers_per_announce: 74 },
          database: { driver: 'mysql', path: 'mysql://db_user:***@mysql:3306/torrust_tracker' },
          net: { external_ip: '203.0.113.7', on_reverse_proxy: false, reverse_proxy_header: 'x-forwarded-for' },
          private_mode: { check_keys_expiration: false },
          tracker_policy: {
            max_peer_timeout: 900,
            persistent_torrent_completed_stat: false,
            remove_peerless_torrents: true,
          },
        },
        udp_trackers: [{ bind_address: '0.0.0.0:6969', cookie_lifetime: 120 }],
        udp_tracker_server: {
          connection_id_secret: '***',
          max_connection_id_errors_per_ip: 10,
          ip_bans_reset_interval_in_secs: 3600,
        },
        http_trackers: [
          { bind_address: '0.0.0.0:7443', tsl_config: { ssl_cert_path: 'cert.pem', ssl_key_path: 'key.pem' } },
        ],
        http_api: {
          bind_address: '127.0.0.1:1212',
          access_tokens: { admin: '***', backup: '***' },
          metrics_require_token: false,
        },
        health_check_api: { bind_address: '127.0.0.1:1313' },
        shutdown: { drain_delay_in_secs: 0, grace_period_in_secs: 10 },
        forwarding: {
          workers: 8,
          queue_size: 10000,
          timeout_in_secs: 5,
          max_retries: 2,
          retry_base_delay_in_secs: 1,
          retry_max_delay_in_secs: 30,
          suspend_after_failures: 5,
          suspension_in_secs: 30,
          max_suspension_in_secs: 600,
        },
        forwarders: [
          { name: 'private.example', uri: 'https://user:***@private.example/announce/***' },
          {
            name: 'other.example:8080',
            uri: 'http://other.example:8080/announce.php?uk=***&info=***',
            ip: '198.51.100.7',
            host: 'other.example',
          },
        ],
      });
    });
  });

  describe('given a configuration without secrets', () => {
    const toml = `
[metadata]
schema_version = "2.0.0"
[logging]
threshold = "warn"
[core]
listed = true
private = false
[core.database]
path = "./data/sqlite3.db"
[[udp_trackers]]
bind_address = "[::]:6969"
[[http_trackers]]
bind_address = "0.0.0.0:7070"
[forwarding]
timeout_in_secs = 0.5
[[forwarders]]
uri = "udp://tracker.example:6969/announce"
[[forwarders]]
uri = "http://10.0.0.1:8080/announce"
name = "lan"
ip = "10.0.0.2"
host = "retracker.local"
`;

    it('keeps the SQLite path and an empty (random) connection id secret visible', () => {
      const masked = maskSecrets(configFrom(toml)) as {
        core: { database: { path: string } };
        udp_tracker_server: { connection_id_secret: string };
      };
      assert.equal(masked.core.database.path, './data/sqlite3.db');
      assert.equal(masked.udp_tracker_server.connection_id_secret, '');
    });

    it('is valid TOML that loads back into the same configuration', () => {
      const config = configFrom(toml);
      assert.deepEqual(configFrom(stringify(maskSecrets(config))), config);
    });
  });
});

describe('maskForwarderUri', () => {
  const cases: Array<[string, string]> = [
    ['udp://tracker.example:6969/announce', 'udp://tracker.example:6969/announce'],
    ['http://h:8080/announce', 'http://h:8080/announce'],
    ['http://h/announce/0123456789abcdef0123456789abcdef', 'http://h/announce/***'],
    ['http://h/0123456789abcdef/announce', 'http://h/***/announce'],
    ['https://h/announce?passkey=secret&x', 'https://h/announce?passkey=***&x'],
    ['https://u:p@h/announce', 'https://u:***@h/announce'],
    ['ftp://x', 'ftp://x'],
    ['not a url', 'not a url'],
  ];
  for (const [input, output] of cases) {
    it(`turns ${input} into ${output}`, () => assert.equal(maskForwarderUri(input), output));
  }
});

describe('maskUrlPassword', () => {
  const cases: Array<[string, string]> = [
    ['mysql://root:password@localhost:3306/torrust', 'mysql://root:***@localhost:3306/torrust'],
    ['mysql://root:p%40ss%3Aw@localhost/torrust', 'mysql://root:***@localhost/torrust'],
    ['mysql://root@localhost/torrust', 'mysql://root@localhost/torrust'],
    ['mysql://localhost/torrust', 'mysql://localhost/torrust'],
    ['./storage/tracker/lib/database/sqlite3.db', './storage/tracker/lib/database/sqlite3.db'],
  ];
  for (const [input, output] of cases) {
    it(`turns ${input} into ${output}`, () => assert.equal(maskUrlPassword(input), output));
  }
});
