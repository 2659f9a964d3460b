/**
 * hash20: a seeded murmur3-style hash of 20 bytes (an info hash or a peer id), for the
 * open-addressing tables of the swarm registry and the forwarding cache. The seed is random
 * per process, so crafted hashes cannot pile up in one probe run.
 */

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** Mixes five little-endian words of `buf[off .. off + 20)` with `seed`; an unsigned 32-bit value. */
export function hash20(buf: Uint8Array, off: number, seed: number): number {
  let h = seed;
  for (let i = 0; i < 20; i += 4) {
    let k = buf[off + i] | (buf[off + i + 1] << 8) | (buf[off + i + 2] << 16) | (buf[off + i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= 20;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
