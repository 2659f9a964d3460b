import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BencodeDictionary, decodeBencode, tryDecodeBencode, type BencodeValue } from './decode.js';
import { encodeBencode, type BencodeInput } from './encode.js';
import { BencodeError, type BencodeErrorCode } from './errors.js';

const b = (text: string) => Buffer.from(text, 'latin1');
const enc = (v: BencodeInput) => encodeBencode(v).toString('latin1');

/** Converts decoded values into plain comparable data (Buffers as latin1 text, dicts as entry arrays). */
function plain(v: BencodeValue): unknown {
  if (Buffer.isBuffer(v)) return { bytes: v.toString('latin1') };
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof BencodeDictionary) return [...v].map(([k, x]) => [k.toString('latin1'), plain(x)]);
  return v;
}

describe('bencode', () => {
  describe('encoder', () => {
    it('encodes strings as UTF-8 byte strings, bytes as they are', () => {
      assert.equal(enc('spam'), '4:spam');
      assert.equal(enc(''), '0:');
      assert.deepEqual(encodeBencode('é'), b('2:\xc3\xa9'));
      assert.deepEqual(encodeBencode(Uint8Array.of(0, 255)), b('2:\x00\xff'));
    });

    it('encodes integers (numbers and bigints)', () => {
      assert.equal(enc(0), 'i0e');
      assert.equal(enc(-42), 'i-42e');
      assert.equal(enc(2n ** 70n), `i${2n ** 70n}e`);
      assert.equal(enc(-(2n ** 64n)), `i-${2n ** 64n}e`);
    });

    it('encodes lists and dictionaries with keys sorted by raw bytes', () => {
      assert.equal(enc(['spam', 42, []]), 'l4:spami42elee');
      assert.equal(enc({ zebra: 1, apple: 2, Apple: 3 }), 'd5:Applei3e5:applei2e5:zebrai1ee');
      // 'é' (0xc3 0xa9) sorts after 'z' by bytes
      assert.equal(
        enc(
          new Map<string | Uint8Array, BencodeInput>([
            ['é', 1],
            ['z', 2],
            [b('\x01'), 3],
          ]),
        ),
        'd1:\x01i3e1:zi2e2:\xc3\xa9i1ee',
      );
      assert.equal(enc({ a: undefined, b: 1 }), 'd1:bi1ee');
    });

    it('rejects what bencode cannot express', () => {
      const code = (f: () => unknown): BencodeErrorCode | undefined => {
        try {
          f();
        } catch (e) {
          assert.ok(e instanceof BencodeError);
          return e.code;
        }
        return undefined;
      };
      assert.equal(
        code(() => encodeBencode(1.5)),
        'unsupported-value',
      );
      assert.equal(
        code(() => encodeBencode(2 ** 60)),
        'unsupported-value',
      );
      assert.equal(
        code(() => encodeBencode(true as unknown as BencodeInput)),
        'unsupported-value',
      );
      assert.equal(
        code(() =>
          encodeBencode(
            new Map<string | Uint8Array, BencodeInput>([
              ['a', 1],
              [b('a'), 2],
            ]),
          ),
        ),
        'duplicate-key',
      );
      const cyclic: BencodeInput[] = [];
      cyclic.push(cyclic);
      assert.equal(
        code(() => encodeBencode(cyclic)),
        'too-deep',
      );
    });
  });

  describe('decoder', () => {
    it('decodes every type', () => {
      const v = decodeBencode(b('d4:listli1ei-2e0:e3:numi9007199254740991e3:str4:spame'));
      assert.ok(v instanceof BencodeDictionary);
      assert.deepEqual(plain(v.get('list')!), [1, -2, { bytes: '' }]);
      assert.equal(v.getNumber('num'), Number.MAX_SAFE_INTEGER);
      assert.equal(v.getString('str'), 'spam');
      assert.equal(v.getBytes('num'), undefined);
      assert.equal(v.size, 3);
      assert.deepEqual(
        v.keys().map((k) => k.toString()),
        ['list', 'num', 'str'],
      );
    });

    it('returns bigints beyond the safe range', () => {
      assert.equal(decodeBencode(b('i9007199254740992e')), 9007199254740992n);
      assert.equal(decodeBencode(b('i-9007199254740992e')), -9007199254740992n);
      assert.equal(decodeBencode(b('i-9007199254740991e')), -9007199254740991);
      assert.equal(decodeBencode(b('i123456789012345678901234567890e')), 123456789012345678901234567890n);
    });

    it('looks keys up by text or raw bytes', () => {
      const hash = Buffer.alloc(20, 0xfe);
      const v = decodeBencode(Buffer.concat([b('d20:'), hash, b('i1e2:\xc3\xa9i2ee')])) as BencodeDictionary;
      assert.equal(v.get(hash), 1);
      assert.equal(v.get('é'), 2);
      assert.equal(v.has('x'), false);
    });

    const bad: [string, BencodeErrorCode][] = [
      ['', 'unexpected-end'],
      ['i42', 'unexpected-end'],
      ['ie', 'invalid-integer'],
      ['i-e', 'invalid-integer'],
      ['i-0e', 'invalid-integer'],
      ['i03e', 'invalid-integer'],
      ['i1.5e', 'invalid-integer'],
      ['i+1e', 'invalid-integer'],
      ['i 1e', 'invalid-integer'],
      ['01:a', 'invalid-length'],
      ['5:abc', 'invalid-length'],
      ['99999999999999999999:a', 'invalid-length'],
      ['1', 'unexpected-end'],
      ['3', 'invalid-length'],
      ['3x', 'invalid-length'],
      ['-1:a', 'unexpected-byte'],
      ['l', 'unexpected-end'],
      ['li1e', 'unexpected-end'],
      ['d', 'unexpected-end'],
      ['d1:a', 'unexpected-end'],
      ['di1ei2ee', 'unexpected-byte'],
      ['d1:ai1e1:ai2ee', 'duplicate-key'],
      ['i1ei2e', 'trailing-data'],
      ['4:spamx', 'trailing-data'],
      ['x', 'unexpected-byte'],
      ['e', 'unexpected-byte'],
    ];
    for (const [text, code] of bad) {
      it(`rejects ${JSON.stringify(text)} with ${code}`, () => {
        const r = tryDecodeBencode(b(text));
        assert.equal(r.ok, false);
        if (!r.ok) {
          assert.ok(r.error instanceof BencodeError);
          assert.equal(r.error.code, code);
          assert.ok(r.error.offset >= 0);
        }
        assert.throws(() => decodeBencode(b(text)), BencodeError);
      });
    }

    it('accepts unsorted keys unless asked to require sorting', () => {
      assert.ok(tryDecodeBencode(b('d1:bi1e1:ai2ee')).ok);
      const r = tryDecodeBencode(b('d1:bi1e1:ai2ee'), { requireSortedKeys: true });
      assert.ok(!r.ok && r.error.code === 'unsorted-key');
      assert.ok(tryDecodeBencode(b('d1:ai1e1:bi2ee'), { requireSortedKeys: true }).ok);
    });

    it('limits nesting depth', () => {
      assert.ok(tryDecodeBencode(b('l'.repeat(64) + 'e'.repeat(64))).ok);
      const r = tryDecodeBencode(b('l'.repeat(65) + 'e'.repeat(65)));
      assert.ok(!r.ok && r.error.code === 'too-deep');
      const deep = tryDecodeBencode(b('l'.repeat(100000)));
      assert.ok(!deep.ok && deep.error.code === 'too-deep');
      assert.ok(!tryDecodeBencode(b('ll1:aee'), { maxDepth: 1 }).ok);
    });

    it('never throws anything but BencodeError on random input', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 64 }),
            fc.array(fc.constantFrom(...'ilde0123456789:-xa'), { maxLength: 40 }).map((cs) => b(cs.join(''))),
          ),
          (bytes) => {
            try {
              decodeBencode(bytes);
            } catch (e) {
              return e instanceof BencodeError;
            }
            return true;
          },
        ),
        { numRuns: 2000 },
      );
    });
  });

  describe('round trips', () => {
    const value: fc.Arbitrary<BencodeInput> = fc.letrec<{ v: BencodeInput }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.uint8Array({ maxLength: 24 }).map((u) => Buffer.from(u)),
        fc.maxSafeInteger(),
        fc.bigInt(),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 4 }),
      ),
    })).v;

    it('encode → decode → encode is stable and decode(encode(x)) matches x', () => {
      fc.assert(
        fc.property(value, (v) => {
          const once = encodeBencode(v);
          const decoded = decodeBencode(once, { requireSortedKeys: true, maxDepth: 1000 });
          const again = encodeBencode(toInput(decoded));
          assert.deepEqual(again, once);
        }),
      );
    });
  });
});

function toInput(v: BencodeValue): BencodeInput {
  if (Array.isArray(v)) return v.map(toInput);
  if (v instanceof BencodeDictionary) {
    return new Map<string | Uint8Array, BencodeInput>([...v].map(([k, x]) => [k, toInput(x)] as const));
  }
  return v;
}
