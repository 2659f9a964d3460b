import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Parsed } from '../targets.js';
import { parseCheckerConfig, type CheckerConfig } from './checker-config.js';

function config(udp: string[] = [], http: string[] = [], health: string[] = []): string {
  return JSON.stringify({ udp_trackers: udp, http_trackers: http, health_checks: health });
}

function value(p: Parsed<CheckerConfig>): CheckerConfig {
  assert.ok(p.ok, p.ok ? '' : p.message);
  return p.value;
}

function message(p: Parsed<CheckerConfig>): string {
  assert.ok(!p.ok, 'expected the configuration to be rejected');
  return p.message;
}

describe('checker configuration (Torrust tracker_checker.json)', () => {
  it('reads the three groups', () => {
    const c = value(
      parseCheckerConfig(config(['udp://127.0.0.1:8080'], ['http://127.0.0.1:8080'], ['http://127.0.0.1:8080/health'])),
    );
    assert.deepEqual(c.udpTrackers, [{ host: '127.0.0.1', port: 8080, url: 'udp://127.0.0.1:8080' }]);
    assert.deepEqual(
      c.httpTrackers.map((u) => u.href),
      ['http://127.0.0.1:8080/'],
    );
    assert.deepEqual(
      c.healthChecks.map((u) => u.href),
      ['http://127.0.0.1:8080/health'],
    );
  });

  describe('udp_trackers', () => {
    it('adds the udp scheme when it is missing, and allows domains, an empty path and a path', () => {
      const c = value(
        parseCheckerConfig(config(['127.0.0.1:6969', 'localhost:6969/', '127.0.0.1:6969/announce', '[::1]:6969'])),
      );
      assert.deepEqual(
        c.udpTrackers.map((t) => [t.url, t.host, t.port]),
        [
          ['udp://127.0.0.1:6969', '127.0.0.1', 6969],
          ['udp://localhost:6969/', 'localhost', 6969],
          ['udp://127.0.0.1:6969/announce', '127.0.0.1', 6969],
          ['udp://[::1]:6969', '::1', 6969],
        ],
      );
    });

    it('rejects an invalid URL or one without a port', () => {
      assert.match(
        message(parseCheckerConfig(config(['invalid URL']))),
        /^Invalid URL: udp_trackers\[0\] "invalid URL"/,
      );
      assert.match(message(parseCheckerConfig(config(['udp://127.0.0.1']))), /port not found/);
    });
  });

  describe('http_trackers and health_checks', () => {
    it('keep their path', () => {
      const c = value(
        parseCheckerConfig(config([], ['http://127.0.0.1:7070/announce'], ['https://h/api/health_check'])),
      );
      assert.equal(c.httpTrackers[0].href, 'http://127.0.0.1:7070/announce');
      assert.equal(c.healthChecks[0].href, 'https://h/api/health_check');
    });

    it('must be http(s) URLs', () => {
      assert.match(message(parseCheckerConfig(config([], ['invalid URL']))), /^Invalid URL: http_trackers\[0\]/);
      assert.match(
        message(parseCheckerConfig(config([], [], ['ftp://h/']))),
        /health_checks\[0\].*http:\/\/ or https:\/\//,
      );
    });
  });

  it('requires all three arrays of strings and valid JSON', () => {
    assert.match(message(parseCheckerConfig('{"udp_trackers": [], "http_trackers": [],}')), /^JSON parse error: /);
    assert.match(message(parseCheckerConfig('[]')), /must be a JSON object/);
    assert.match(
      message(parseCheckerConfig('{"udp_trackers": [], "http_trackers": []}')),
      /^missing field `health_checks`$/,
    );
    assert.match(
      message(parseCheckerConfig('{"udp_trackers": "x", "http_trackers": [], "health_checks": []}')),
      /`udp_trackers` must be an array of strings/,
    );
    assert.match(
      message(parseCheckerConfig('{"udp_trackers": [6969], "http_trackers": [], "health_checks": []}')),
      /udp_trackers\[0\] must be a string, got 6969/,
    );
  });

  it('accepts empty groups and ignores unknown keys', () => {
    const c = value(parseCheckerConfig('{"udp_trackers": [], "http_trackers": [], "health_checks": [], "x": 1}'));
    assert.deepEqual(c, { udpTrackers: [], httpTrackers: [], healthChecks: [] });
  });
});
