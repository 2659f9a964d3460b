/** Lowercase hex of `length` bytes at `offset` (info hashes at the edges: texts, keys, logs). */
const DIGITS = '0123456789abcdef';

export function hexOf(bytes: Uint8Array, offset = 0, length = 20): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const b = bytes[offset + i];
    s += DIGITS[b >> 4] + DIGITS[b & 15];
  }
  return s;
}
