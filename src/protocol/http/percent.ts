/**
 * Byte-wise percent-decoding of raw query values (`info_hash`, `peer_id`; BEP 3, as Torrust's
 * `percent_decode_str`): `%XX` in either case is one byte, a `%` without two hex digits stays a
 * literal `%`, `+` stays `+`, any other character is its UTF-8 bytes. Plus the client-side encoders
 * (RFC 3986 unreserved bytes literal, or only ASCII alphanumerics literal as Torrust's clients do).
 */

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

const PERCENT = 0x25;

function hexAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? HEX[c] : -1;
}

/** Number of bytes `text[start, end)` decodes to. */
export function percentDecodedLength(text: string, start = 0, end = text.length): number {
  let n = 0;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === PERCENT && i + 2 < end && hexAt(text, i + 1) >= 0 && hexAt(text, i + 2) >= 0) {
      i += 3;
      n++;
    } else if (c < 0x80) {
      i++;
      n++;
    } else if (c < 0x800) {
      i++;
      n += 2;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && isLowSurrogate(text.charCodeAt(i + 1))) {
      i += 2;
      n += 4;
    } else {
      i++;
      n += 3; // BMP character, or a lone surrogate encoded as U+FFFD
    }
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Decodes `text[start, end)` into `out` at `offset`; returns the number of bytes written. `out`
 * must have room for `percentDecodedLength(text, start, end)` bytes.
 */
export function percentDecodeInto(text: string, start: number, end: number, out: Uint8Array, offset: number): number {
  let o = offset;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === PERCENT && i + 2 < end) {
      const hi = hexAt(text, i + 1);
      const lo = hexAt(text, i + 2);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 3;
        continue;
      }
    }
    if (c < 0x80) {
      out[o++] = c;
      i++;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
      i++;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && isLowSurrogate(text.charCodeAt(i + 1))) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
      out[o++] = 0xf0 | (cp >> 18);
      out[o++] = 0x80 | ((cp >> 12) & 0x3f);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
      i += 2;
    } else {
      const cp = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
      out[o++] = 0xe0 | (cp >> 12);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
      i++;
    }
  }
  return o - offset;
}

/** Decodes `text[start, end)` into a new Buffer. */
export function percentDecode(text: string, start = 0, end = text.length): Buffer {
  const out = Buffer.allocUnsafe(percentDecodedLength(text, start, end));
  percentDecodeInto(text, start, end, out, 0);
  return out;
}

const UPPER_HEX = '0123456789ABCDEF';

function isAlphanumeric(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

function isUnreserved(b: number): boolean {
  return isAlphanumeric(b) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
}

function encode(bytes: Uint8Array, literal: (b: number) => boolean): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    s += literal(b) ? String.fromCharCode(b) : '%' + UPPER_HEX[b >> 4] + UPPER_HEX[b & 15];
  }
  return s;
}

/** RFC 3986: unreserved bytes (`A-Z a-z 0-9 - . _ ~`) literal, every other byte `%XX` (upper case). */
export function percentEncode(bytes: Uint8Array): string {
  return encode(bytes, isUnreserved);
}

/** Torrust's clients: only ASCII letters and digits literal, every other byte `%XX` (upper case). */
export function percentEncodeAlphanumeric(bytes: Uint8Array): string {
  return encode(bytes, isAlphanumeric);
}
