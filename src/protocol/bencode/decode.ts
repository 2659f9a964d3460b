/**
 * Strict bencode decoder (BEP 3) for clients and tests. Byte strings come back as Buffers,
 * integers as numbers (bigint beyond the safe range), dictionaries as `BencodeDictionary` (raw
 * byte keys, wire order). Rejects trailing data, bad or oversized lengths, leading zeros, `-0`,
 * duplicate keys, nesting beyond `maxDepth`, and (opt-in) unsorted keys. Only throws `BencodeError`.
 */
import { BencodeError } from './errors.js';

export type BencodeValue = Buffer | number | bigint | BencodeValue[] | BencodeDictionary;

function keyString(key: string | Uint8Array): string {
  if (typeof key === 'string') {
    // ASCII is its own latin1; other text goes through its UTF-8 bytes
    // eslint-disable-next-line no-control-regex
    return /^[\x00-\x7f]*$/.test(key) ? key : Buffer.from(key, 'utf8').toString('latin1');
  }
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}

/** A decoded dictionary: raw byte keys in wire order, looked up by UTF-8 text or by bytes. */
export class BencodeDictionary implements Iterable<[Buffer, BencodeValue]> {
  private readonly byKey = new Map<string, BencodeValue>();
  private readonly list: [Buffer, BencodeValue][] = [];

  /** Adds an entry; returns false (and adds nothing) when the key is already present. */
  add(key: Buffer, value: BencodeValue): boolean {
    const k = key.toString('latin1');
    if (this.byKey.has(k)) return false;
    this.byKey.set(k, value);
    this.list.push([key, value]);
    return true;
  }

  get size(): number {
    return this.list.length;
  }

  has(key: string | Uint8Array): boolean {
    return this.byKey.has(keyString(key));
  }

  get(key: string | Uint8Array): BencodeValue | undefined {
    return this.byKey.get(keyString(key));
  }

  /** The value when it is a byte string. */
  getBytes(key: string | Uint8Array): Buffer | undefined {
    const v = this.get(key);
    return Buffer.isBuffer(v) ? v : undefined;
  }

  /** The value when it is a byte string, as UTF-8 text. */
  getString(key: string | Uint8Array): string | undefined {
    return this.getBytes(key)?.toString('utf8');
  }

  /** The value when it is an integer (number or bigint). */
  getInteger(key: string | Uint8Array): number | bigint | undefined {
    const v = this.get(key);
    return typeof v === 'number' || typeof v === 'bigint' ? v : undefined;
  }

  /** The value when it is an integer within the safe range. */
  getNumber(key: string | Uint8Array): number | undefined {
    const v = this.get(key);
    return typeof v === 'number' ? v : undefined;
  }

  getList(key: string | Uint8Array): BencodeValue[] | undefined {
    const v = this.get(key);
    return Array.isArray(v) ? v : undefined;
  }

  getDictionary(key: string | Uint8Array): BencodeDictionary | undefined {
    const v = this.get(key);
    return v instanceof BencodeDictionary ? v : undefined;
  }

  keys(): Buffer[] {
    return this.list.map(([k]) => k);
  }

  entries(): [Buffer, BencodeValue][] {
    return this.list.slice();
  }

  [Symbol.iterator](): Iterator<[Buffer, BencodeValue]> {
    return this.list[Symbol.iterator]();
  }
}

export interface BencodeDecodeOptions {
  /** Deepest list/dictionary nesting accepted (the top level is depth 1). Default 64. */
  maxDepth?: number;
  /** Reject dictionaries whose keys are not in ascending byte order (BEP 3). Default false. */
  requireSortedKeys?: boolean;
}

const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const I = 0x69;
const L = 0x6c;
const D = 0x64;
const E = 0x65;

class Decoder {
  pos = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly maxDepth: number,
    private readonly sorted: boolean,
  ) {}

  fail(code: ConstructorParameters<typeof BencodeError>[0], message: string, at = this.pos): never {
    throw new BencodeError(code, message, at);
  }

  value(depth: number): BencodeValue {
    const buf = this.buf;
    if (this.pos >= buf.length) this.fail('unexpected-end', 'unexpected end of input');
    const c = buf[this.pos];
    if (c === I) return this.integer();
    if (c >= ZERO && c <= NINE) return this.bytes();
    if (c === L || c === D) {
      if (depth >= this.maxDepth) this.fail('too-deep', `nesting deeper than ${this.maxDepth}`);
      this.pos++;
      return c === L ? this.list(depth + 1) : this.dictionary(depth + 1);
    }
    return this.fail('unexpected-byte', `unexpected byte 0x${c.toString(16).padStart(2, '0')}`);
  }

  integer(): number | bigint {
    const buf = this.buf;
    const start = ++this.pos;
    let p = start;
    const negative = p < buf.length && buf[p] === MINUS;
    if (negative) p++;
    const digitsStart = p;
    while (p < buf.length && buf[p] >= ZERO && buf[p] <= NINE) p++;
    if (p >= buf.length) this.fail('unexpected-end', 'unterminated integer', p);
    if (buf[p] !== E) this.fail('invalid-integer', 'invalid character in integer', p);
    const digits = p - digitsStart;
    if (digits === 0) this.fail('invalid-integer', 'integer without digits', start);
    if (buf[digitsStart] === ZERO && (digits > 1 || negative)) {
      this.fail('invalid-integer', digits > 1 ? 'integer with a leading zero' : 'negative zero', start);
    }
    this.pos = p + 1;
    if (digits <= 15) {
      let v = 0;
      for (let k = digitsStart; k < p; k++) v = v * 10 + (buf[k] - ZERO);
      return negative ? -v : v;
    }
    const big = BigInt(buf.toString('latin1', start, p));
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }

  bytes(): Buffer {
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    let len = 0;
    while (p < buf.length && buf[p] >= ZERO && buf[p] <= NINE) {
      len = len * 10 + (buf[p] - ZERO);
      if (len > buf.length) this.fail('invalid-length', 'byte string longer than the input', start);
      p++;
    }
    if (p >= buf.length) this.fail('unexpected-end', 'unterminated byte string length', p);
    if (buf[p] !== COLON) this.fail('invalid-length', 'invalid character in byte string length', p);
    if (buf[start] === ZERO && p - start > 1)
      this.fail('invalid-length', 'byte string length with a leading zero', start);
    p++;
    if (len > buf.length - p) this.fail('invalid-length', 'byte string longer than the input', start);
    this.pos = p + len;
    return buf.subarray(p, p + len);
  }

  list(depth: number): BencodeValue[] {
    const out: BencodeValue[] = [];
    for (;;) {
      if (this.pos >= this.buf.length) this.fail('unexpected-end', 'unterminated list');
      if (this.buf[this.pos] === E) {
        this.pos++;
        return out;
      }
      out.push(this.value(depth));
    }
  }

  dictionary(depth: number): BencodeDictionary {
    const out = new BencodeDictionary();
    let previous: Buffer | undefined;
    for (;;) {
      if (this.pos >= this.buf.length) this.fail('unexpected-end', 'unterminated dictionary');
      const c = this.buf[this.pos];
      if (c === E) {
        this.pos++;
        return out;
      }
      if (c < ZERO || c > NINE) this.fail('unexpected-byte', 'dictionary key is not a byte string');
      const keyAt = this.pos;
      const key = this.bytes();
      if (this.sorted && previous !== undefined && Buffer.compare(previous, key) >= 0) {
        this.fail(
          Buffer.compare(previous, key) === 0 ? 'duplicate-key' : 'unsorted-key',
          'dictionary key out of order',
          keyAt,
        );
      }
      previous = key;
      const value = this.value(depth);
      if (!out.add(key, value)) this.fail('duplicate-key', 'duplicate dictionary key', keyAt);
    }
  }
}

/**
 * Decodes exactly one bencoded value filling all of `data`. Byte strings are views into `data`
 * (copy them if `data` will be reused). Throws `BencodeError` on any malformed input.
 */
export function decodeBencode(data: Uint8Array, options: BencodeDecodeOptions = {}): BencodeValue {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const decoder = new Decoder(buf, options.maxDepth ?? 64, options.requireSortedKeys ?? false);
  const value = decoder.value(0);
  if (decoder.pos !== buf.length) decoder.fail('trailing-data', 'trailing data after the value');
  return value;
}

export type BencodeDecodeResult = { ok: true; value: BencodeValue } | { ok: false; error: BencodeError };

/** `decodeBencode` returning the error as a value instead of throwing it. */
export function tryDecodeBencode(data: Uint8Array, options: BencodeDecodeOptions = {}): BencodeDecodeResult {
  try {
    return { ok: true, value: decodeBencode(data, options) };
  } catch (error) {
    if (error instanceof BencodeError) return { ok: false, error };
    throw error;
  }
}
