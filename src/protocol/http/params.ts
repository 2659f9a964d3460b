/**
 * Value rules shared by the HTTP announce and scrape parsers (BEP 3): Rust-`FromStr`-compatible
 * unsigned integers (optional `+`, decimal digits, leading zeros allowed) without BigInt, and the
 * 20-byte binary params (`info_hash`, `peer_id`) percent-decoded straight into a target buffer.
 */
import { percentDecodeInto, percentDecodedLength } from './percent.js';

/** `parseUnsigned` result for text that is not an unsigned integer in range (Rust's parse error). */
export const NOT_UNSIGNED = -1;
/** `parseU64FitsI64` result for a valid u64 above i64::MAX (Torrust's "param value overflow"). */
export const I64_OVERFLOW = -2;

/** Index of the first digit after an optional `+`, or -1 when there is no digit or a non-digit. */
function digitsStart(text: string): number {
  const start = text.length > 0 && text.charCodeAt(0) === 0x2b /* + */ ? 1 : 0;
  if (start === text.length) return -1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
  }
  return start;
}

/** An unsigned integer <= `max` (max <= 2^53), or NOT_UNSIGNED. For u16 (`port`) and u32 (`numwant`). */
export function parseUnsigned(text: string, max: number): number {
  const start = digitsStart(text);
  if (start < 0) return NOT_UNSIGNED;
  let v = 0;
  for (let i = start; i < text.length; i++) {
    v = v * 10 + (text.charCodeAt(i) - 0x30);
    if (v > max) return NOT_UNSIGNED;
  }
  return v;
}

const U64_MAX_TEXT = '18446744073709551615';
const I64_MAX_TEXT = '9223372036854775807';

/**
 * Torrust's byte counters: parse as u64 (else NOT_UNSIGNED), then require <= i64::MAX (else
 * I64_OVERFLOW). The value is returned as a JS number, exact up to 2^53 and rounded above.
 */
export function parseU64FitsI64(text: string): number {
  let start = digitsStart(text);
  if (start < 0) return NOT_UNSIGNED;
  while (start < text.length - 1 && text.charCodeAt(start) === 0x30) start++;
  const digits = text.length - start;
  if (digits <= 15) {
    let v = 0;
    for (let i = start; i < text.length; i++) v = v * 10 + (text.charCodeAt(i) - 0x30);
    return v;
  }
  if (digits > 20) return NOT_UNSIGNED;
  const significant = text.slice(start);
  if (digits === 20) return significant > U64_MAX_TEXT ? NOT_UNSIGNED : I64_OVERFLOW;
  if (digits === 19 && significant > I64_MAX_TEXT) return I64_OVERFLOW;
  return Number(significant);
}

/**
 * Percent-decodes a raw `info_hash`/`peer_id` value into `out[offset..+20]` when it is exactly 20
 * bytes. Returns the decoded length: 20 on success, anything else means `out` was not touched.
 */
export function decodeTwentyBytes(raw: string, out: Uint8Array, offset: number): number {
  // Fast path: one decoding pass into scratch (a char never yields more than 3 bytes).
  if (raw.length * 3 > scratch.length) return decodeLongValue(raw, out, offset);
  const n = percentDecodeInto(raw, 0, raw.length, scratch, 0);
  if (n === 20) for (let i = 0; i < 20; i++) out[offset + i] = scratch[i];
  return n;
}

const scratch = new Uint8Array(3 * 64);

function decodeLongValue(raw: string, out: Uint8Array, offset: number): number {
  const n = percentDecodedLength(raw);
  if (n === 20) percentDecodeInto(raw, 0, raw.length, out, offset);
  return n;
}

/** Torrust's conversion error text for a binary param of the wrong length. */
export function wrongLengthText(what: 'infohash' | 'peer id', got: number): string {
  return `${got < 20 ? 'not enough' : 'too many'} bytes for ${what}: got ${got} bytes, expected 20`;
}
