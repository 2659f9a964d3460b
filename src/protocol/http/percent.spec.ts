import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  percentDecode,
  percentDecodeInto,
  percentDecodedLength,
  percentEncode,
  percentEncodeAlphanumeric,
} from './percent.js';

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

describe('percent encoding', () => {
  describe('decoding', () => {
    it('decodes every byte 0..255 written as %XX in upper and lower case', () => {
      for (let b = 0; b < 256; b++) {
        assert.deepEqual([...percentDecode(`%${hex2(b).toUpperCase()}`)], [b], `upper ${b}`);
        assert.deepEqual([...percentDecode(`%${hex2(b)}`)], [b], `lower ${b}`);
        assert.deepEqual([...percentDecode(`%${hex2(b)[0].toUpperCase()}${hex2(b)[1]}`)], [b], `mixed ${b}`);
      }
    });

    it('keeps literal ASCII characters as their bytes', () => {
      for (let c = 0; c < 128; c++) {
        const ch = String.fromCharCode(c);
        if (ch === '%') continue;
        assert.deepEqual([...percentDecode(ch)], [c]);
      }
    });

    it('keeps + as + (not a space)', () => {
      assert.equal(percentDecode('a+b').toString('latin1'), 'a+b');
    });

    it('keeps a % without two hex digits literal', () => {
      for (const [text, out] of [
        ['%', '%'],
        ['%4', '%4'],
        ['%zz', '%zz'],
        ['%4g', '%4g'],
        ['100%', '100%'],
        ['%%41', '%A'],
        ['%2', '%2'],
      ]) {
        assert.equal(percentDecode(text).toString('latin1'), out, text);
      }
    });

    it('encodes other characters as UTF-8', () => {
      assert.deepEqual(percentDecode('é'), Buffer.from('é'));
      assert.deepEqual(percentDecode('€🔑'), Buffer.from('€🔑'));
      assert.deepEqual(percentDecode('\ud800x'), Buffer.from('\ufffdx')); // lone surrogate
    });

    it('decodes the Torrust sample info hash', () => {
      assert.equal(
        percentDecode('%3B%24U%04%CF%5F%11%BB%DB%E1%20%1C%EAjk%F4Z%EE%1B%C0').toString('hex'),
        '3b245504cf5f11bbdbe1201cea6a6bf45aee1bc0',
      );
    });

    it('decodes a slice into an offset of a target buffer', () => {
      const out = Buffer.alloc(6, 0);
      const text = 'xx%41b%43yy';
      assert.equal(percentDecodedLength(text, 2, 9), 3);
      assert.equal(percentDecodeInto(text, 2, 9, out, 2), 3);
      assert.deepEqual([...out], [0, 0, 0x41, 0x62, 0x43, 0]);
    });

    it('property: length matches the decoded bytes, and matches decodeURIComponent on valid input', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (s) => {
          assert.equal(percentDecode(s).length, percentDecodedLength(s));
        }),
      );
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme' }), (s) => {
          const encoded = encodeURIComponent(s);
          assert.deepEqual(percentDecode(encoded), Buffer.from(decodeURIComponent(encoded)));
        }),
      );
    });
  });

  describe('encoding (clients)', () => {
    it('keeps RFC 3986 unreserved bytes literal', () => {
      assert.equal(percentEncode(Buffer.from('-qB00000000000000001')), '-qB00000000000000001');
      assert.equal(percentEncode(Uint8Array.of(0x00, 0x20, 0x2b, 0x7e, 0xff)), '%00%20%2B~%FF');
    });

    it('keeps only alphanumerics literal like Torrust clients', () => {
      assert.equal(percentEncodeAlphanumeric(Buffer.from('-qB00000000000000001')), '%2DqB00000000000000001');
      assert.equal(percentEncodeAlphanumeric(Uint8Array.of(0x2e, 0x5f, 0x7e)), '%2E%5F%7E');
    });

    it('property: decode(encode(bytes)) gives the bytes back', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
          assert.deepEqual(percentDecode(percentEncode(bytes)), Buffer.from(bytes));
          assert.deepEqual(percentDecode(percentEncodeAlphanumeric(bytes)), Buffer.from(bytes));
        }),
      );
    });
  });
});
