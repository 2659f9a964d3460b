import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIp } from '../shared/ip.js';
import { resolveClientIp } from './client-ip.js';

/** The resolved address as text (`null` when none), through a dirty scratch buffer. */
function resolve(
  socket: string | undefined,
  forwardedFor: string | string[] | undefined,
  onReverseProxy: boolean,
): string | null {
  const out = new Uint8Array(16).fill(0xee);
  const family = resolveClientIp(socket, forwardedFor, onReverseProxy, out);
  return family === 0 ? null : formatIp(out, family);
}

const direct = (socket: string | undefined, forwardedFor?: string | string[]) => resolve(socket, forwardedFor, false);
const proxied = (forwardedFor: string | string[] | undefined, socket = '10.0.0.1') =>
  resolve(socket, forwardedFor, true);

describe('HTTP tracker client IP', () => {
  describe('without a reverse proxy: the socket address', () => {
    it('takes an IPv4 peer', () => {
      assert.equal(direct('127.0.0.1'), '127.0.0.1');
      assert.equal(direct('203.0.113.9'), '203.0.113.9');
    });

    it('takes an IPv6 peer', () => {
      assert.equal(direct('::1'), '::1');
      assert.equal(direct('2001:db8::7'), '2001:db8::7');
    });

    it('unwraps an IPv4-mapped IPv6 peer (dual-stack socket) to IPv4', () => {
      const out = new Uint8Array(16);
      assert.equal(resolveClientIp('::ffff:192.0.2.33', undefined, false, out), 4);
      assert.deepEqual([...out.subarray(0, 4)], [192, 0, 2, 33]);
    });

    it('ignores X-Forwarded-For', () => {
      assert.equal(direct('127.0.0.1', '198.51.100.1'), '127.0.0.1');
      assert.equal(direct('::1', ['198.51.100.1', '2001:db8::1']), '::1');
    });

    it('gives 0 when the socket has no address', () => {
      assert.equal(direct(undefined), null);
      assert.equal(direct(''), null);
    });
  });

  describe('on a reverse proxy: the right-most parseable X-Forwarded-For entry', () => {
    it('takes a single entry', () => {
      assert.equal(proxied('198.51.100.1'), '198.51.100.1');
      assert.equal(proxied('2001:db8::1'), '2001:db8::1');
      assert.equal(proxied('  198.51.100.1  '), '198.51.100.1');
    });

    it('takes the right-most of comma-separated entries', () => {
      assert.equal(proxied('198.51.100.1, 198.51.100.2,198.51.100.3'), '198.51.100.3');
      assert.equal(proxied('198.51.100.1, 2001:db8::2'), '2001:db8::2');
    });

    it('takes the right-most across repeated header lines (the last line last)', () => {
      assert.equal(proxied(['198.51.100.1, 198.51.100.2', '198.51.100.3, 198.51.100.4']), '198.51.100.4');
      assert.equal(proxied(['198.51.100.1', 'garbage']), '198.51.100.1');
      assert.equal(proxied(['198.51.100.1, 198.51.100.2', '']), '198.51.100.2');
    });

    it('skips entries that are not bare IPs (ip:port, names, junk, empty)', () => {
      assert.equal(proxied('198.51.100.1, 198.51.100.2:8080'), '198.51.100.1');
      assert.equal(proxied('198.51.100.1, [2001:db8::1]:443'), '198.51.100.1');
      assert.equal(proxied('2001:db8::5, unknown, example.com, 300.1.1.1, , 1.2.3'), '2001:db8::5');
      assert.equal(proxied('198.51.100.1,'), '198.51.100.1');
    });

    it('skips what Rust does not parse as an IP: leading zeros, zone ids', () => {
      assert.equal(proxied('198.51.100.1, 010.0.0.1'), '198.51.100.1');
      assert.equal(proxied('198.51.100.1, ::ffff:010.0.0.1'), '198.51.100.1');
      assert.equal(proxied('198.51.100.1, fe80::1%eth0'), '198.51.100.1');
      assert.equal(proxied('2001:DB8::A'), '2001:db8::a');
    });

    it('unwraps an IPv4-mapped entry to IPv4', () => {
      const out = new Uint8Array(16);
      assert.equal(resolveClientIp('10.0.0.1', '::ffff:198.51.100.7', true, out), 4);
      assert.deepEqual([...out.subarray(0, 4)], [198, 51, 100, 7]);
    });

    it('gives 0 when no entry parses', () => {
      assert.equal(proxied('unknown'), null);
      assert.equal(proxied('198.51.100.1:80, [::1]:80'), null);
      assert.equal(proxied(''), null);
      assert.equal(proxied(['', ' , ']), null);
    });

    it('gives 0 when the header is missing, never falling back to the socket', () => {
      assert.equal(proxied(undefined), null);
      assert.equal(proxied(undefined, '127.0.0.1'), null);
      assert.equal(proxied([], '::1'), null);
      assert.equal(proxied('nonsense', '127.0.0.1'), null);
    });
  });

  describe('on a reverse proxy with reverse_proxy_header = "x-real-ip": the single X-Real-IP', () => {
    const realIp = (header: string | string[] | undefined, socket = '10.0.0.1'): string | null => {
      const out = new Uint8Array(16).fill(0xee);
      const family = resolveClientIp(socket, header, true, out, 'x-real-ip');
      return family === 0 ? null : formatIp(out, family);
    };

    it('takes a bare IPv4 or IPv6 address, trimmed', () => {
      assert.equal(realIp('198.51.100.7'), '198.51.100.7');
      assert.equal(realIp(' 2001:db8::7 '), '2001:db8::7');
    });

    it('takes the last line when the header is repeated', () => {
      assert.equal(realIp(['198.51.100.1', '198.51.100.2']), '198.51.100.2');
    });

    it('unwraps an IPv4-mapped address', () => {
      assert.equal(realIp('::ffff:198.51.100.9'), '198.51.100.9');
    });

    it('gives 0 for a list, ip:port, a name, a zone or nothing, never the socket', () => {
      for (const bad of [
        '198.51.100.1, 198.51.100.2',
        '198.51.100.1:80',
        'proxy.example',
        'fe80::1%eth0',
        '',
        undefined,
      ]) {
        assert.equal(realIp(bad), null, String(bad));
      }
      assert.equal(realIp([]), null);
    });

    it('is ignored without on_reverse_proxy', () => {
      const out = new Uint8Array(16);
      assert.equal(resolveClientIp('127.0.0.1', '198.51.100.7', false, out, 'x-real-ip'), 4);
      assert.equal(formatIp(out, 4), '127.0.0.1');
    });
  });
});
