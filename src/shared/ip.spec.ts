import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIp, isIpv4Mapped, parseIp } from './ip.js';

describe('ip', () => {
  describe('parseIp', () => {
    it('parses IPv4', () => {
      assert.deepEqual(parseIp('192.0.2.7'), { bytes: Uint8Array.from([192, 0, 2, 7]), family: 4 });
    });

    it('parses compressed IPv6 forms', () => {
      for (const [text, last] of [
        ['::1', 1],
        ['2001:db8::1', 1],
        ['2001:db8:0:0:0:0:0:ff', 0xff],
      ] as const) {
        const ip = parseIp(text);
        assert.equal(ip?.family, 6, text);
        assert.equal(ip?.bytes[15], last, text);
      }
      assert.deepEqual(Array.from(parseIp('2001:db8::1')?.bytes ?? []).slice(0, 4), [0x20, 0x01, 0x0d, 0xb8]);
      assert.deepEqual(Array.from(parseIp('::')?.bytes ?? []), new Array(16).fill(0));
    });

    it('parses IPv4-mapped IPv6 with a dotted tail', () => {
      const ip = parseIp('::ffff:1.2.3.4');
      assert.ok(ip && isIpv4Mapped(ip.bytes));
      assert.deepEqual(Array.from(ip.bytes.subarray(12)), [1, 2, 3, 4]);
    });

    it('rejects what is not an IP literal', () => {
      for (const text of ['localhost', '1.2.3', '[::1]', '1.2.3.4:80', '']) assert.equal(parseIp(text), null, text);
    });
  });

  describe('formatIp', () => {
    it('round-trips and compresses the longest zero run (RFC 5952)', () => {
      for (const text of [
        '1.2.3.4',
        '::1',
        '2001:db8::1',
        '2001:db8:0:1:0:0:0:1',
        '1:0:0:2:0:0:0:3',
        '::',
        '::ffff:10.0.0.1',
      ]) {
        const ip = parseIp(text);
        assert.ok(ip, text);
        const expected =
          text === '2001:db8:0:1:0:0:0:1' ? '2001:db8:0:1::1' : text === '1:0:0:2:0:0:0:3' ? '1:0:0:2::3' : text;
        assert.equal(formatIp(ip.bytes, ip.family), expected);
      }
    });
  });
});
