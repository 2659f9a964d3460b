import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SAMPLE_INFO_HASH,
  formatHostPort,
  parseHttpTrackerUrl,
  parseInfoHash,
  parseInfoHashes,
  parseUdpTrackerAddress,
  trackerEndpoint,
  type Parsed,
} from './targets.js';

function value<T>(p: Parsed<T>): T {
  assert.ok(p.ok, p.ok ? '' : p.message);
  return p.value;
}

function message<T>(p: Parsed<T>): string {
  assert.ok(!p.ok, 'expected a failure');
  return p.message;
}

describe('console targets', () => {
  describe('parseInfoHash', () => {
    it('accepts 40 hex characters in either case', () => {
      assert.equal(value(parseInfoHash(SAMPLE_INFO_HASH)).toString('hex'), SAMPLE_INFO_HASH);
      assert.equal(value(parseInfoHash(SAMPLE_INFO_HASH.toUpperCase())).toString('hex'), SAMPLE_INFO_HASH);
    });

    it('rejects anything else, naming the value', () => {
      for (const bad of [
        '',
        'abc',
        `${SAMPLE_INFO_HASH}0`,
        SAMPLE_INFO_HASH.slice(1),
        `${SAMPLE_INFO_HASH.slice(1)}g`,
      ]) {
        assert.match(
          message(parseInfoHash(bad)),
          /^failed to parse info-hash `.*`: expected 40 hexadecimal characters$/,
        );
      }
    });

    it('splits space-separated hashes inside one argument (Torrust scrape)', () => {
      const a = SAMPLE_INFO_HASH;
      const b = 'c0ffee0000000000000000000000000000000001';
      assert.deepEqual(
        value(parseInfoHashes([`${a} ${b}`, a])).map((h) => h.toString('hex')),
        [a, b, a],
      );
      assert.match(message(parseInfoHashes([a, 'nope'])), /`nope`/);
    });
  });

  describe('parseUdpTrackerAddress', () => {
    it('accepts a URL with an explicit port and ignores its path', () => {
      assert.deepEqual(value(parseUdpTrackerAddress('udp://127.0.0.1:6969')), { host: '127.0.0.1', port: 6969 });
      assert.deepEqual(value(parseUdpTrackerAddress('udp://localhost:6969/announce')), {
        host: 'localhost',
        port: 6969,
      });
      assert.deepEqual(value(parseUdpTrackerAddress('udp://[::1]:6969/scrape')), { host: '::1', port: 6969 });
    });

    it('accepts host:port and [ipv6]:port', () => {
      assert.deepEqual(value(parseUdpTrackerAddress('127.0.0.1:6969')), { host: '127.0.0.1', port: 6969 });
      assert.deepEqual(value(parseUdpTrackerAddress('localhost:6969')), { host: 'localhost', port: 6969 });
      assert.deepEqual(value(parseUdpTrackerAddress('[::1]:6969')), { host: '::1', port: 6969 });
    });

    it('rejects a missing or bad port and malformed text', () => {
      assert.match(message(parseUdpTrackerAddress('udp://127.0.0.1')), /^port not found in URL/);
      assert.match(message(parseUdpTrackerAddress('127.0.0.1')), /^invalid address format/);
      assert.match(message(parseUdpTrackerAddress('::1:6969')), /^invalid address format/);
      assert.match(message(parseUdpTrackerAddress('127.0.0.1:70000')), /^invalid port `70000`/);
      assert.match(message(parseUdpTrackerAddress('127.0.0.1:x')), /^invalid port `x`/);
      assert.match(message(parseUdpTrackerAddress('127.0.0.1:0')), /^port 0 is not a valid tracker port/);
      assert.match(message(parseUdpTrackerAddress('udp://bad host:1')), /not a valid URL/);
      assert.match(message(parseUdpTrackerAddress(':6969')), /^invalid host/);
    });

    it('prints host and port as Rust prints a socket address', () => {
      assert.equal(formatHostPort('127.0.0.1', 6969), '127.0.0.1:6969');
      assert.equal(formatHostPort('::1', 6969), '[::1]:6969');
    });
  });

  describe('parseHttpTrackerUrl', () => {
    it('accepts http and https URLs with or without a path', () => {
      assert.equal(value(parseHttpTrackerUrl('http://127.0.0.1:7070')).href, 'http://127.0.0.1:7070/');
      assert.equal(value(parseHttpTrackerUrl('https://[::1]:7070/announce')).href, 'https://[::1]:7070/announce');
    });

    it('rejects other schemes, a query, a fragment and non-URLs', () => {
      assert.match(message(parseHttpTrackerUrl('udp://127.0.0.1:6969')), /unsupported scheme/);
      assert.match(message(parseHttpTrackerUrl('http://h/announce?info_hash=x')), /without a query or fragment/);
      assert.match(message(parseHttpTrackerUrl('http://h/#x')), /without a query or fragment/);
      assert.match(message(parseHttpTrackerUrl('127.0.0.1:7070')), /unsupported scheme|not a valid URL/);
      assert.match(message(parseHttpTrackerUrl('not a url')), /not a valid URL/);
    });
  });

  describe('trackerEndpoint', () => {
    const url = (text: string) => new URL(text);

    it('appends the verb to a base URL (Torrust)', () => {
      assert.equal(trackerEndpoint(url('http://127.0.0.1:7070'), 'announce'), 'http://127.0.0.1:7070/announce');
      assert.equal(trackerEndpoint(url('http://h:7070/'), 'scrape'), 'http://h:7070/scrape');
      assert.equal(trackerEndpoint(url('https://h/tracker/'), 'announce'), 'https://h/tracker/announce');
      assert.equal(trackerEndpoint(url('https://h/tracker'), 'announce'), 'https://h/tracker/announce');
    });

    it('keeps an announce path and swaps it for scrape (BEP 48), also with a key after it', () => {
      assert.equal(trackerEndpoint(url('http://h:7070/announce'), 'announce'), 'http://h:7070/announce');
      assert.equal(trackerEndpoint(url('http://h:7070/announce'), 'scrape'), 'http://h:7070/scrape');
      assert.equal(trackerEndpoint(url('http://h:7070/announce/KEY'), 'scrape'), 'http://h:7070/scrape/KEY');
      assert.equal(trackerEndpoint(url('http://[::1]:7070/x/scrape'), 'announce'), 'http://[::1]:7070/x/announce');
    });
  });
});
