/**
 * IP address text, without `node:net`: IPv4 dotted decimal and IPv6 in RFC 5952 form (lowercase,
 * longest zero run compressed, IPv4-mapped as `::ffff:a.b.c.d`), as Rust's `Display` prints them
 * (used by the HTTP dictionary peer list, BEP 3, and by the console clients). The writers put
 * ASCII straight into a Buffer for the hot path; the parsers accept what Rust's `FromStr` accepts.
 */

const COLON = 0x3a;
const DOT = 0x2e;
const HEX_DIGITS = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];

/** Longest text the writers produce: eight 4-digit groups and seven colons. */
export const MAX_IP_TEXT_LENGTH = 39;

function writeOctet(out: Uint8Array, o: number, v: number): number {
  if (v >= 100) {
    out[o++] = 0x30 + ((v / 100) | 0);
    out[o++] = 0x30 + (((v / 10) | 0) % 10);
  } else if (v >= 10) {
    out[o++] = 0x30 + ((v / 10) | 0);
  }
  out[o++] = 0x30 + (v % 10);
  return o;
}

/** Writes `a.b.c.d` for the 4 bytes at `addr[addrOffset]`; returns the offset after the text. */
export function writeIPv4Text(out: Uint8Array, offset: number, addr: Uint8Array, addrOffset: number): number {
  let o = writeOctet(out, offset, addr[addrOffset]);
  out[o++] = DOT;
  o = writeOctet(out, o, addr[addrOffset + 1]);
  out[o++] = DOT;
  o = writeOctet(out, o, addr[addrOffset + 2]);
  out[o++] = DOT;
  return writeOctet(out, o, addr[addrOffset + 3]);
}

/** Writes the RFC 5952 text of the 16 bytes at `addr[addrOffset]`; returns the offset after the text. */
export function writeIPv6Text(out: Uint8Array, offset: number, addr: Uint8Array, addrOffset: number): number {
  let o = offset;
  let mapped = addr[addrOffset + 10] === 0xff && addr[addrOffset + 11] === 0xff;
  for (let i = 0; mapped && i < 10; i++) if (addr[addrOffset + i] !== 0) mapped = false;
  if (mapped) {
    // ::ffff:a.b.c.d (RFC 5952 section 5, and Rust's Display)
    out[o++] = COLON;
    out[o++] = COLON;
    for (let i = 0; i < 4; i++) out[o++] = 0x66;
    out[o++] = COLON;
    return writeIPv4Text(out, o, addr, addrOffset + 12);
  }
  // Longest run of at least two zero groups; the first one wins a tie (RFC 5952 section 4.2).
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  let runLen = 0;
  for (let g = 0; g < 8; g++) {
    if (addr[addrOffset + 2 * g] === 0 && addr[addrOffset + 2 * g + 1] === 0) {
      if (runStart < 0) runStart = g;
      runLen++;
      if (runLen > bestLen) {
        bestLen = runLen;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
      runLen = 0;
    }
  }
  if (bestLen < 2) bestStart = -1;
  let g = 0;
  while (g < 8) {
    if (g === bestStart) {
      out[o++] = COLON;
      out[o++] = COLON;
      g += bestLen;
      continue;
    }
    if (g > 0 && g !== bestStart + bestLen) out[o++] = COLON;
    const v = (addr[addrOffset + 2 * g] << 8) | addr[addrOffset + 2 * g + 1];
    if (v >= 0x1000) out[o++] = HEX_DIGITS[v >> 12];
    if (v >= 0x100) out[o++] = HEX_DIGITS[(v >> 8) & 15];
    if (v >= 0x10) out[o++] = HEX_DIGITS[(v >> 4) & 15];
    out[o++] = HEX_DIGITS[v & 15];
    g++;
  }
  return o;
}

const scratch = Buffer.allocUnsafe(64);

export function formatIPv4(addr: Uint8Array, addrOffset = 0): string {
  return scratch.toString('latin1', 0, writeIPv4Text(scratch, 0, addr, addrOffset));
}

export function formatIPv6(addr: Uint8Array, addrOffset = 0): string {
  return scratch.toString('latin1', 0, writeIPv6Text(scratch, 0, addr, addrOffset));
}

/** Text of a 4-byte (IPv4) or 16-byte (IPv6) address. */
export function formatIp(addr: Uint8Array): string {
  return addr.length === 16 ? formatIPv6(addr) : formatIPv4(addr);
}

/** `a.b.c.d:port` or `[v6]:port`, as Rust's `SocketAddr` prints. */
export function formatSocketAddress(addr: Uint8Array, port: number): string {
  return addr.length === 16 ? `[${formatIPv6(addr)}]:${port}` : `${formatIPv4(addr)}:${port}`;
}

/** Four decimal octets 0..255 without leading zeros (as Rust's `Ipv4Addr::from_str`); else null. */
export function parseIPv4(text: string): Buffer | null {
  const out = Buffer.alloc(4);
  return parseIPv4Into(text, 0, text.length, out, 0) ? out : null;
}

function parseIPv4Into(text: string, start: number, end: number, out: Uint8Array, offset: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : DOT;
    if (c === DOT) {
      if (digits === 0 || part > 3) return false;
      out[offset + part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && value === 0) return false; // leading zero
      value = value * 10 + (c - 0x30);
      if (value > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  return part === 4;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/**
 * Parses the groups of one side of an IPv6 text (`a:b:c` or `a:b:1.2.3.4`) into `groups`;
 * returns the number of groups or -1.
 */
function parseIPv6Groups(text: string, start: number, end: number, allowV4: boolean, groups: number[]): number {
  if (start === end) return 0;
  let n = 0;
  let i = start;
  while (i <= end) {
    let j = i;
    while (j < end && text.charCodeAt(j) !== COLON) j++;
    if (j === i) return -1; // empty group
    let isV4 = false;
    for (let k = i; k < j; k++) if (text.charCodeAt(k) === DOT) isV4 = true;
    if (isV4) {
      if (!allowV4 || j !== end) return -1;
      const v4 = new Uint8Array(4);
      if (!parseIPv4Into(text, i, j, v4, 0)) return -1;
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      n += 2;
    } else {
      if (j - i > 4) return -1;
      let v = 0;
      for (let k = i; k < j; k++) {
        const h = hexValue(text.charCodeAt(k));
        if (h < 0) return -1;
        v = (v << 4) | h;
      }
      groups.push(v);
      n++;
    }
    if (n > 8) return -1;
    i = j + 1;
  }
  return n;
}

/** IPv6 text (with `::` and an optional trailing dotted IPv4; no zone, no brackets); else null. */
export function parseIPv6(text: string): Buffer | null {
  const dbl = text.indexOf('::');
  if (dbl >= 0 && text.indexOf('::', dbl + 1) >= 0) return null;
  const head: number[] = [];
  const tail: number[] = [];
  if (dbl < 0) {
    if (parseIPv6Groups(text, 0, text.length, true, head) !== 8) return null;
  } else {
    if (parseIPv6Groups(text, 0, dbl, false, head) < 0) return null;
    if (parseIPv6Groups(text, dbl + 2, text.length, true, tail) < 0) return null;
    if (head.length + tail.length > 7) return null;
  }
  const out = Buffer.alloc(16);
  for (let g = 0; g < head.length; g++) out.writeUInt16BE(head[g], 2 * g);
  for (let g = 0; g < tail.length; g++) out.writeUInt16BE(tail[g], 2 * (8 - tail.length + g));
  return out;
}

/** A 4-byte Buffer for IPv4 text, a 16-byte Buffer for IPv6 text, else null. */
export function parseIp(text: string): Buffer | null {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}
