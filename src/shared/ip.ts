/**
 * IP address text ⇄ bytes for the delivery layers and configuration (the domain works on
 * bytes only). IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) can be unwrapped to IPv4.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { IpFamily } from '../core/domain/types.js';

export interface IpBytes {
  readonly bytes: Uint8Array;
  readonly family: IpFamily;
}

/** Parses an IP literal (no brackets, no zone); null when it is not one. */
export function parseIp(text: string): IpBytes | null {
  if (isIPv4(text)) return { bytes: Uint8Array.from(text.split('.').map(Number)), family: 4 };
  if (!isIPv6(text)) return null;
  const bytes = new Uint8Array(16);
  let words = text;
  let groups = 8;
  if (text.includes('.')) {
    // A dotted IPv4 tail (::ffff:1.2.3.4) fills the last four bytes.
    const lastColon = text.lastIndexOf(':');
    bytes.set(
      text
        .slice(lastColon + 1)
        .split('.')
        .map(Number),
      12,
    );
    words = text.slice(0, lastColon + 1);
    if (!words.endsWith('::')) words = words.slice(0, -1);
    groups = 6;
  }
  const gap = words.indexOf('::');
  let parts: string[];
  if (gap >= 0) {
    const left = gap > 0 ? words.slice(0, gap).split(':') : [];
    const right = words.slice(gap + 2) ? words.slice(gap + 2).split(':') : [];
    parts = [...left, ...Array<string>(groups - left.length - right.length).fill('0'), ...right];
  } else {
    parts = words.split(':');
  }
  for (let i = 0; i < groups; i++) {
    const v = parseInt(parts[i], 16);
    bytes[i * 2] = v >> 8;
    bytes[i * 2 + 1] = v & 0xff;
  }
  return { bytes, family: 6 };
}

/** True for ::ffff:a.b.c.d given as 16 bytes. */
export function isIpv4Mapped(bytes: Uint8Array, offset = 0): boolean {
  for (let i = 0; i < 10; i++) if (bytes[offset + i] !== 0) return false;
  return bytes[offset + 10] === 0xff && bytes[offset + 11] === 0xff;
}

/** Text of 4 or 16 address bytes: dotted IPv4, RFC 5952 IPv6 (`::ffff:1.2.3.4` for mapped). */
export function formatIp(bytes: Uint8Array, family: IpFamily, offset = 0): string {
  if (family === 4) return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  if (isIpv4Mapped(bytes, offset)) return `::ffff:${formatIp(bytes, 4, offset + 12)}`;
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[offset + i * 2] << 8) | bytes[offset + i * 2 + 1]);
  // Longest run (>= 2) of zero words becomes "::" (the first one on ties).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Writes the address of a socket peer (`RemoteInfo.address`) into `out` without allocating on
 * the IPv4 path; an IPv4-mapped IPv6 address is written as IPv4. Returns the family, or 0 when
 * the text is not an address.
 */
export function writeSocketIp(text: string, out: Uint8Array): 0 | 4 | 6 {
  let v4 = text;
  if (text.startsWith('::ffff:') && text.indexOf('.') > 0) v4 = text.slice(7);
  else if (text.indexOf(':') >= 0) {
    const parsed = parseIp(text);
    if (parsed === null) return 0;
    out.set(parsed.bytes);
    return parsed.family;
  }
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < v4.length; i++) {
    const c = v4.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 2) return 0;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return 0;
    } else return 0;
  }
  if (digits === 0 || part !== 3) return 0;
  out[3] = value;
  return 4;
}
