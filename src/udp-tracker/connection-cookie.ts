/**
 * BEP 15 connection ids as stateless cookies. A cookie is 8 bytes: the issue time (u32 Unix
 * seconds, big-endian) and a 32-bit tag, HalfSipHash-2-4 over (issue time, client IP, client
 * port) keyed by a 64-bit secret. Nothing is stored per client; a cookie is good for the
 * client's exact address and port, from its issue time for `lifetime` seconds (+1 s slack either
 * side), and tags are compared in constant time. The key is random per process unless
 * `connection_id_secret` is configured, so that replicas accept each other's cookies.
 */
import { createHash, randomBytes } from 'node:crypto';

export const CookieCheck = {
  Valid: 0,
  /** The tag does not match: forged, or issued to another address or port. */
  NotNormal: 1,
  Expired: 2,
  FromFuture: 3,
} as const;
export type CookieCheck = (typeof CookieCheck)[keyof typeof CookieCheck];

function rotl(x: number, b: number): number {
  return (x << b) | (x >>> (32 - b));
}

export class ConnectionCookies {
  private readonly k0: number;
  private readonly k1: number;
  private readonly words = new Int32Array(7);
  /** Issue time of the last cookie checked (for the error text). */
  lastIssueTime = 0;

  /** `secret` empty = a random key for this process. */
  constructor(
    secret: string,
    private readonly lifetimeSeconds: number,
  ) {
    const key = secret === '' ? randomBytes(8) : createHash('sha256').update(`bep15-cookie:${secret}`).digest();
    this.k0 = key.readUInt32LE(0);
    this.k1 = key.readUInt32LE(4);
  }

  /** Writes a cookie for (ip, port) at `nowMs` into `out[offset .. offset + 8)`. */
  issue(out: Uint8Array, offset: number, ip: Uint8Array, family: 4 | 6, port: number, nowMs: number): void {
    const time = Math.floor(nowMs / 1000) >>> 0;
    const tag = this.tag(time, ip, family, port);
    out[offset] = time >>> 24;
    out[offset + 1] = (time >>> 16) & 0xff;
    out[offset + 2] = (time >>> 8) & 0xff;
    out[offset + 3] = time & 0xff;
    out[offset + 4] = tag >>> 24;
    out[offset + 5] = (tag >>> 16) & 0xff;
    out[offset + 6] = (tag >>> 8) & 0xff;
    out[offset + 7] = tag & 0xff;
  }

  /** Checks the cookie at `packet[offset .. offset + 8)` for (ip, port) at `nowMs`. */
  check(packet: Uint8Array, offset: number, ip: Uint8Array, family: 4 | 6, port: number, nowMs: number): CookieCheck {
    const time =
      ((packet[offset] << 24) | (packet[offset + 1] << 16) | (packet[offset + 2] << 8) | packet[offset + 3]) >>> 0;
    const given =
      ((packet[offset + 4] << 24) | (packet[offset + 5] << 16) | (packet[offset + 6] << 8) | packet[offset + 7]) >>> 0;
    this.lastIssueTime = time;
    // Constant time: the whole tag is compared with one XOR, no early exit.
    if ((this.tag(time, ip, family, port) ^ given) !== 0) return CookieCheck.NotNormal;
    const now = nowMs / 1000;
    if (time < now - this.lifetimeSeconds - 1) return CookieCheck.Expired;
    if (time > now + 1) return CookieCheck.FromFuture;
    return CookieCheck.Valid;
  }

  /** The oldest issue time accepted at `nowMs` (for the "expired" error text). */
  oldestValid(nowMs: number): number {
    return Math.ceil(nowMs / 1000 - this.lifetimeSeconds - 1);
  }

  /** HalfSipHash-2-4 (32-bit output) over seven words: time, port|family, four address words, length. */
  private tag(time: number, ip: Uint8Array, family: 4 | 6, port: number): number {
    const m = this.words;
    m[0] = time | 0;
    m[1] = (port & 0xffff) | (family << 16);
    const n = family === 6 ? 4 : 1;
    for (let w = 0; w < 4; w++) {
      m[2 + w] = w < n ? (ip[w * 4] << 24) | (ip[w * 4 + 1] << 16) | (ip[w * 4 + 2] << 8) | ip[w * 4 + 3] : 0;
    }
    m[6] = 24 << 24; // the message length in the last block, as SipHash does
    let v0 = this.k0;
    let v1 = this.k1;
    let v2 = 0x6c796765 ^ this.k0;
    let v3 = 0x74656462 ^ this.k1;
    for (let i = 0; i < 7 + 2; i++) {
      // Seven message words with two rounds each, then four finalisation rounds.
      const last = i >= 7;
      const w = last ? 0 : m[i];
      if (i === 7) v2 ^= 0xff;
      v3 ^= w;
      for (let r = 0; r < 2; r++) {
        v0 = (v0 + v1) | 0;
        v1 = rotl(v1, 5) ^ v0;
        v0 = rotl(v0, 16);
        v2 = (v2 + v3) | 0;
        v3 = rotl(v3, 8) ^ v2;
        v0 = (v0 + v3) | 0;
        v3 = rotl(v3, 7) ^ v0;
        v2 = (v2 + v1) | 0;
        v1 = rotl(v1, 13) ^ v2;
        v2 = rotl(v2, 16);
      }
      v0 ^= w;
    }
    return (v1 ^ v3) >>> 0;
  }
}
