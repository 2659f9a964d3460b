/**
 * General bencode encoder (BEP 3) for clients and tests: byte strings (Uint8Array, or string as
 * UTF-8), integers (safe-integer numbers or bigints), lists, and dictionaries (plain objects or
 * Maps with string/byte keys) whose keys are emitted sorted by raw bytes. Not for the server hot
 * path (see tracker-responses.ts). Invalid input throws a `BencodeError`.
 */
import { BencodeError } from './errors.js';

export type BencodeInput =
  | Uint8Array
  | string
  | number
  | bigint
  | readonly BencodeInput[]
  | ReadonlyMap<string | Uint8Array, BencodeInput>
  | { readonly [key: string]: BencodeInput | undefined };

const MAX_DEPTH = 512;
const E = 0x65;

class Chunks {
  readonly parts: Uint8Array[] = [];
  length = 0;

  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  ascii(text: string): void {
    this.push(Buffer.from(text, 'latin1'));
  }
}

function toKeyBytes(key: string | Uint8Array): Buffer {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}

function encodeValue(value: BencodeInput, out: Chunks, depth: number): void {
  if (depth > MAX_DEPTH) throw new BencodeError('too-deep', `nesting deeper than ${MAX_DEPTH} (a cycle?)`);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    out.ascii(`${bytes.length}:`);
    out.push(bytes);
  } else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new BencodeError('unsupported-value', `only safe integers can be encoded, got ${value}`);
    }
    out.ascii(`i${value}e`);
  } else if (typeof value === 'bigint') {
    out.ascii(`i${value}e`);
  } else if (value instanceof Uint8Array) {
    out.ascii(`${value.length}:`);
    out.push(value);
  } else if (Array.isArray(value)) {
    out.ascii('l');
    for (const item of value as readonly BencodeInput[]) encodeValue(item, out, depth + 1);
    out.push(Uint8Array.of(E));
  } else if (value instanceof Map) {
    encodeDictionary([...(value as ReadonlyMap<string | Uint8Array, BencodeInput>)], out, depth);
  } else if (typeof value === 'object' && value !== null) {
    const entries: [string, BencodeInput][] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) entries.push([k, v as BencodeInput]);
    encodeDictionary(entries, out, depth);
  } else {
    throw new BencodeError('unsupported-value', `cannot bencode a value of type ${typeof value}`);
  }
}

function encodeDictionary(entries: (readonly [string | Uint8Array, BencodeInput])[], out: Chunks, depth: number): void {
  const keyed = entries.map(([k, v]) => ({ key: toKeyBytes(k), value: v }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  out.ascii('d');
  for (let i = 0; i < keyed.length; i++) {
    if (i > 0 && keyed[i - 1].key.equals(keyed[i].key)) {
      throw new BencodeError(
        'duplicate-key',
        `duplicate dictionary key ${JSON.stringify(keyed[i].key.toString('latin1'))}`,
      );
    }
    out.ascii(`${keyed[i].key.length}:`);
    out.push(keyed[i].key);
    encodeValue(keyed[i].value, out, depth + 1);
  }
  out.push(Uint8Array.of(E));
}

/** Bencodes `value` into a new Buffer. */
export function encodeBencode(value: BencodeInput): Buffer {
  const out = new Chunks();
  encodeValue(value, out, 0);
  return Buffer.concat(out.parts, out.length);
}
