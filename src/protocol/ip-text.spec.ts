import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatIPv4, formatIPv6, formatSocketAddress, parseIPv4, parseIPv6, parseIp } from './ip-text.js';

const v6 = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex');

describe('IP address text', () => {
  describe('IPv4', () => {
    it('formats dotted decimal', () => {
      assert.equal(formatIPv4(Uint8Array.of(0, 0, 0, 0)), '0.0.0.0');
      assert.equal(formatIPv4(Uint8Array.of(105, 105, 105, 105)), '105.105.105.105');
      assert.equal(formatIPv4(Uint8Array.of(9, 10, 99, 100, 255), 1), '10.99.100.255');
    });

    it('parses only canonical dotted decimal', () => {
      assert.deepEqual([...parseIPv4('192.168.0.1')!], [192, 168, 0, 1]);
      for (const bad of [
        '',
        '1.2.3',
        '1.2.3.4.5',
        '256.1.1.1',
        '01.2.3.4',
        '1..2.3',
        '1.2.3.4 ',
        'a.b.c.d',
        '-1.2.3.4',
      ]) {
        assert.equal(parseIPv4(bad), null, bad);
      }
    });
  });

  describe('IPv6 (RFC 5952, as Rust prints it)', () => {
    const cases: [string, string][] = [
      ['00000000000000000000000000000000', '::'],
      ['00000000000000000000000000000001', '::1'],
      ['20010db8000000000000000000000001', '2001:db8::1'],
      ['20010db8000000010000000000000001', '2001:db8:0:1::1'], // longest run wins
      ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // tie: the first run wins
      ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
      ['1b391b391b391b391b391b391b391b39', '1b39:1b39:1b39:1b39:1b39:1b39:1b39:1b39'],
      ['0000000000000000000000000000abcd', '::abcd'],
      ['fe800000000000000000000000000000', 'fe80::'],
      ['00000000000000000000ffffc0a80001', '::ffff:192.168.0.1'], // IPv4-mapped
      ['000000000000000000000000c0a80001', '::c0a8:1'], // IPv4-compatible is not special
      ['ABCD0000000000000000000000000000'.toLowerCase(), 'abcd::'],
    ];

    for (const [hex, text] of cases) {
      it(`formats ${text}`, () => {
        assert.equal(formatIPv6(v6(hex)), text);
        assert.deepEqual(parseIPv6(text), v6(hex));
      });
    }

    it('formats the Torrust test address 6969:6969:...', () => {
      assert.equal(formatIPv6(v6('6969'.repeat(8))), '6969:6969:6969:6969:6969:6969:6969:6969');
    });

    it('parses upper case, leading zeros and embedded IPv4', () => {
      assert.deepEqual(parseIPv6('2001:0DB8:0000:0000:0000:0000:0000:0001'), v6('20010db8000000000000000000000001'));
      assert.deepEqual(parseIPv6('::FFFF:1.2.3.4'), v6('00000000000000000000ffff01020304'));
      assert.deepEqual(parseIPv6('1:2:3:4:5:6:1.2.3.4'), v6('00010002000300040005000601020304'));
      assert.deepEqual(parseIPv6('1:2:3:4:5:6:7::'), v6('00010002000300040005000600070000'));
    });

    it('rejects malformed text', () => {
      for (const bad of [
        '',
        ':',
        ':::',
        '1::2::3',
        '1:2:3:4:5:6:7',
        '1:2:3:4:5:6:7:8:9',
        '12345::',
        'g::',
        ':1::',
        '1::2:',
        '1.2.3.4::',
        '::1.2.3',
        '1:2:3:4:5:6:7::8',
        'fe80::1%eth0',
        '[::1]',
      ]) {
        assert.equal(parseIPv6(bad), null, bad);
      }
    });

    it('property: parse(format(bytes)) gives the bytes back', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
          assert.deepEqual(parseIPv6(formatIPv6(bytes)), Buffer.from(bytes));
        }),
      );
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
          assert.deepEqual(parseIPv4(formatIPv4(bytes)), Buffer.from(bytes));
        }),
      );
    });

    it('property: formatted text is lowercase and has at most one "::"', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
          const text = formatIPv6(bytes);
          return text === text.toLowerCase() && text.split('::').length <= 2 && !/(^|:)0[0-9a-f]/.test(text);
        }),
      );
    });
  });

  it('parses either family and formats socket addresses', () => {
    assert.equal(parseIp('127.0.0.1')?.length, 4);
    assert.equal(parseIp('::1')?.length, 16);
    assert.equal(parseIp('localhost'), null);
    assert.equal(formatSocketAddress(Uint8Array.of(127, 0, 0, 1), 6969), '127.0.0.1:6969');
    assert.equal(formatSocketAddress(v6('00000000000000000000000000000001'), 6969), '[::1]:6969');
  });
});
