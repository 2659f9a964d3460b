/**
 * Ports through which the pure core reaches time, randomness, the whitelist and the
 * authentication keys. Implementations live outside the domain (auth-keys/, whitelist/,
 * core.module.ts); tests pass fakes (a stopped clock, a fixed whitelist).
 */

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that only moves when told: for tests and benchmarks. */
export class StoppedClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  nowMs(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }
}

/** Answers "may this torrent be tracked?" in listed mode. Synchronous: backed by memory. */
export interface WhitelistQuery {
  isWhitelisted(infoHash: Uint8Array, offset: number): boolean;
}

export const KeyCheck = {
  Valid: 0,
  Unknown: 1,
  Expired: 2,
} as const;
export type KeyCheck = (typeof KeyCheck)[keyof typeof KeyCheck];

/** Answers "is this authentication key good now?" in private mode. Synchronous: memory. */
export interface AuthKeyQuery {
  check(key: string, nowMs: number): KeyCheck;
}

/** Source of 32-bit random seeds (hash-flooding protection of the swarm tables). */
export interface RandomSource {
  uint32(): number;
}

export const mathRandom: RandomSource = { uint32: () => (Math.random() * 0x1_0000_0000) >>> 0 };
